"""``python -m playbook ...`` is the ``playbook`` command."""

import sys

from playbook.cli import main

sys.exit(main())
