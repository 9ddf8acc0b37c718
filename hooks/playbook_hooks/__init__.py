"""Playbook's hooks: the code behind the launchers in hooks/ (one module per hook, `common` for
what they share). Standard library only, Python 3.10+.

Importing this package picks where Python caches the bytecode of the modules that follow, so
that a hook call imports them instead of compiling them: the plugin's data directory
(`CLAUDE_PLUGIN_DATA`), else the user's cache (`XDG_CACHE_HOME`, else `~/.cache`) under
`playbook/pycache`. Never a `__pycache__` beside the code, which an export puts in the user's
repository. This happens when a launcher in hooks/ is the program; the launcher turns bytecode
writing off before it imports the package (so this file itself is never cached beside it), and
here it is turned on again, with that cache. It is on even under `PYTHONDONTWRITEBYTECODE` (set
in many containers to keep `__pycache__` out of a work tree, which this cache never enters); a
`PYTHONPYCACHEPREFIX` the user set wins. Imported any other way (tests, the validator), the
package changes nothing.
"""

import os
import sys


def _use_cache_outside() -> None:
    base = os.environ.get("CLAUDE_PLUGIN_DATA") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "playbook")
    if sys.pycache_prefix is None and os.path.isabs(base):
        sys.pycache_prefix = os.path.join(base, "pycache")
    sys.dont_write_bytecode = sys.pycache_prefix is None  # no home directory: no cache


_HOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if sys.argv and sys.argv[0] and os.path.dirname(os.path.abspath(sys.argv[0])) == _HOOKS:
    _use_cache_outside()  # run by a launcher in hooks/
