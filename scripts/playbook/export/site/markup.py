"""Writing markdown for the generated pages: escaped text, table cells, code spans, front matter
and the header card."""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml


def md_escape(text: str) -> str:
    """Plain text as inline markdown that renders as the same text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", " ".join(text.split()))


def cell(text: str) -> str:
    """Markdown for a table cell: pipes outside code spans escaped (inside them they are
    literal in Python-Markdown's tables), line breaks folded."""
    parts = re.split(r"(`[^`]*`)", " ".join(text.split()))
    return "".join(p if p.startswith("`") else p.replace("|", "\\|") for p in parts)


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text else f"`` {text} ``"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def front_matter(meta: dict[str, object], *, sidebar: bool = False) -> str:
    """YAML front matter. Most generated pages are reached from the tabs, the catalogue pages,
    search and tags, and have nothing to show in the navigation sidebar, so it is hidden;
    ``sidebar=True`` keeps it for a page listed in a section of the nav (the rule table)."""
    if not sidebar:
        meta = {**meta, "hide": ["navigation"]}
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n"


def card(description: str, rows: Iterable[tuple[str, str]]) -> str:
    """The header card: the description, then a definition list of facts (empty ones left out)."""
    out = ['<div class="pb-card" markdown>', "", md_escape(description), ""]
    for term, value in rows:
        if value:
            out += [term, f":   {value}", ""]
    out += ["</div>", ""]
    return "\n".join(out)
