"""``export site``: the docs tree that ``mkdocs build --strict`` publishes, written from the
content model before the build (no mkdocs hooks, no gen-files: Zensical builds the same tree).

Under the target (``docs/``) the export owns the folders :data:`playbook.content.GENERATED_DOCS`
names, all git-ignored, and nothing else; the hand-written guide pages beside them are inputs::

    skills/index.md                      the catalogue, grouped by category
    skills/<name>/index.md               a skill: header card, its body, Install
    skills/<name>/references/<ref>.md    its references
    skills/<name>/<name>.zip             the claude.ai upload (the bytes `export zip` writes)
    skills/<name>/assets/...             images beside the skill
    agents/index.md, agents/<name>/index.md
    hooks/index.md, hooks/<name>/index.md     (the page is the hook's docstring)
    catalog/tags.md, catalog/rules.md         the tags index; the validator's rule table
    generated/...                        fragments the guide pages include with
                                         pymdownx.snippets (mkdocs.yml excludes the folder)

A source file's page keeps its body with what only the checker reads taken out
(:mod:`.rewrite`), and its front matter becomes what Material reads: ``title``,
``description``, ``tags`` lifted from ``metadata.tags``, and ``source_path``, the file in the
repository that overrides/partials/actions.html turns into the "Edit this page" link.

Modules, in the order data flows: :mod:`.context` (the repository URL from mkdocs.yml, where
each source is published), :mod:`.markup` (writing markdown), :mod:`.rewrite` (a source body
for the site), :mod:`.pages` (a page per skill, reference, agent, hook), :mod:`.indexes`
(pages made from many sources), :mod:`.tree` (every file the export owns), :mod:`.write`
(through :mod:`playbook.export.plan`, with ``--dry-run``), :mod:`.serve` (``--watch``,
``--serve``, the command line) and :mod:`.build` (a scratch build for tests and benchmarks).

``python -m playbook.export site --target docs`` exports once; ``python -m
playbook.export.site`` also watches and serves (``nox -s serve``).
"""

from __future__ import annotations

from playbook.export.site.build import build, stage
from playbook.export.site.context import DEFAULT_REPO_URL, repo_url
from playbook.export.site.serve import Watcher, main, watch
from playbook.export.site.tree import MARKER, render
from playbook.export.site.write import Result, export_site

__all__ = ["DEFAULT_REPO_URL", "MARKER", "Result", "Watcher", "build", "export_site", "main",
           "render", "repo_url", "stage", "watch"]
