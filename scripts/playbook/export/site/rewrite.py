"""A source file's body as the site shows it.

Fences lose the checker's settings (``test``, ``reason``, ``group``, ``example``) and keep
``title``; ``example="bad"`` blocks are wrapped in a ``/// danger | Don't`` block and
``example="good"`` ones in ``/// success | Do``; links to other sources (``../tdd/SKILL.md``,
``../../hooks/x.py``) point at their pages, links to other repository files at the repository,
so strict mode holds. Links that lead nowhere are left for the validator and strict mode.
"""

from __future__ import annotations

import posixpath

from playbook.content import Document, is_external, link_path
from playbook.export.site.context import Site, rel_of

BLOCKS = {"bad": ("danger", "Don't", "pb-dont"), "good": ("success", "Do", "pb-do")}


def site_body(doc: Document, out_rel: str, ctx: Site) -> str:
    """The body of ``doc`` with fences and links rewritten for a page at ``out_rel``."""
    lines = doc.text.split("\n")
    src = rel_of(doc.path, ctx.root)
    for link in sorted(doc.links, key=lambda k: (k.line, -k.col)):
        new = link_target(link.target, src, out_rel, ctx)
        i, j = link.line - 1, link.col - 1
        if new is not None and new != link.target and lines[i][j:].startswith(link.target):
            lines[i] = lines[i][:j] + new + lines[i][j + len(link.target):]
    for block in sorted(doc.blocks, key=lambda b: b.start_line, reverse=True):
        start, end = block.start_line - 1, block.end_line - 1
        opening = lines[start]
        indent = opening[: len(opening) - len(opening.lstrip())]
        written = block.info.split()[0] if block.info else ""
        lang = block.lang if "{" in written or "." in written[:1] else written
        info = lang + (f' title="{block.settings["title"]}"' if "title" in block.settings else "")
        lines[start] = f"{indent}{block.fence}{info}"
        wrap = BLOCKS.get(block.settings.get("example", ""))
        closed = end > start and lines[end].strip().startswith(block.fence[:3])
        if wrap and closed:
            kind, title, css = wrap
            lines[end + 1:end + 1] = ["", f"{indent}///", ""]
            lines[start:start] = ["", f"{indent}/// {kind} | {title}",
                                  f"{indent}    attrs: {{class: {css}}}", ""]
    return "\n".join(lines[doc.body_line - 1:])


def link_target(target: str, src: str, out_rel: str, ctx: Site) -> str | None:
    """Where a link in ``src`` should point from the page at ``out_rel``; None: leave it."""
    if not target or target.startswith("#") or is_external(target):
        return None
    _path, sep, fragment = target.partition("#")
    path = link_path(target)
    if not path:
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
    if resolved == ".." or resolved.startswith("../"):
        return None  # outside the repository: strict mode reports it
    if resolved in ctx.pages:
        new = posixpath.relpath(ctx.pages[resolved], posixpath.dirname(out_rel))
    elif (ctx.root / resolved).exists():
        new = ctx.source_url(resolved)
    else:
        return None  # broken: the validator and strict mode report it
    return new + sep + fragment
