"""``python -m playbook.export.site``: see :mod:`playbook.export.site.serve`."""

import sys

from playbook.export.site.serve import main

sys.exit(main())
