"""Every file the site export owns under the target (``docs/``), by path relative to it."""

from __future__ import annotations

from pathlib import Path

from playbook import content
from playbook.content import Catalogue, Document
from playbook.export.items import skill_item
from playbook.export.site import indexes
from playbook.export.site.context import IMAGES, rel_of, site_of
from playbook.export.site.pages import agent_page, hook_page, reference_page, skill_page
from playbook.export.zips import skill_zip

MARKER = ".playbook-site"
MARKER_TEXT = (b"Written by `python -m playbook.export site`: every file in this folder is "
               b"generated from the repository's sources and replaced on the next export.\n")
FRAGMENTS = "generated"  # docs/generated/: included by the guide pages, not published


def render(catalogue: Catalogue) -> dict[str, bytes]:
    """Every file the export owns under the target: a marker per owned folder, the pages,
    each skill's zip and images, the catalogue pages and the guide's fragments."""
    ctx = site_of(catalogue)
    out: dict[str, bytes] = {f"{folder}/{MARKER}": MARKER_TEXT
                             for folder in content.GENERATED_DOCS}

    def put(rel: str, text: str) -> None:
        out[rel] = text.encode("utf-8")

    refs: dict[Path, list[Document]] = {}
    for ref in catalogue.references:
        refs.setdefault(ref.path.parent.parent.resolve(), []).append(ref)
    for doc in catalogue.skills:
        item = skill_item(doc)  # refuses a file no client could load, like every export
        mine = sorted(refs.get(doc.path.parent.resolve(), []), key=lambda d: d.path.name)
        put(f"skills/{doc.name}/index.md", skill_page(doc, mine, ctx))
        for ref in mine:
            put(rel_of(ref.path, ctx.root), reference_page(ref, doc, ctx))
        out[f"skills/{doc.name}/{doc.name}.zip"] = skill_zip(item)
        for source in item.files:
            if source.rel.lower().endswith(IMAGES):
                out[f"skills/{doc.name}/{source.rel}"] = source.data
    for doc in catalogue.agents:
        put(f"agents/{doc.name}/index.md", agent_page(doc, ctx))
    for hook in catalogue.hooks:
        put(f"hooks/{hook.name}/index.md", hook_page(hook, ctx))
    put("skills/index.md", indexes.skills_index(catalogue.skills))
    put("agents/index.md", indexes.agents_index(catalogue.agents))
    put("hooks/index.md", indexes.hooks_index(catalogue.hooks))
    put("catalog/tags.md", indexes.tags_page())
    put("catalog/rules.md", indexes.rules_page())
    put(f"{FRAGMENTS}/agents.md", indexes.agents_table(catalogue.agents, "../agents/"))
    put(f"{FRAGMENTS}/hooks.md", indexes.hooks_table(catalogue.hooks, "../hooks/"))
    for name, text in indexes.policy_fragments(catalogue).items():
        put(f"{FRAGMENTS}/policy/{name}.md", text)
    return out
