"""A page per skill, reference, agent and hook: front matter for Material, the header card,
the rewritten body and the Install section."""

from __future__ import annotations

from playbook.content import Document, Hook, split_title, split_tools
from playbook.export.plugin import NAME as PLUGIN
from playbook.export.site.context import GUIDE, Site, rel_of
from playbook.export.site.markup import card, code, front_matter, md_escape, slug
from playbook.export.site.rewrite import site_body

# --- what the pages and the catalogue read from a source --------------------------------------


def metadata(doc: Document) -> dict[str, str]:
    value = doc.get("metadata")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def tags(doc: Document) -> list[str]:
    raw = metadata(doc).get("tags", "")
    return [t.strip() for t in raw.split(",") if t.strip()]


def category(doc: Document) -> str:
    return metadata(doc).get("category", "").strip() or "other"


def title(doc: Document) -> str:
    found, _ = split_title(doc.body)
    return found or doc.name


def registration(hook: Hook, part: str) -> str:
    """The hook's ``event``, ``matcher`` or ``timeout`` across its registrations."""
    values = []
    for reg in hook.registrations:
        if part == "event":
            values.append(str(reg["event"]))
        elif part == "matcher":
            values.append(code(str(reg["matcher"])))
        elif reg.get("timeout") is not None:
            values.append(f"{reg['timeout']} s")
    return "; ".join(values)


# --- the pages ---------------------------------------------------------------------------------


def skill_page(doc: Document, refs: list[Document], ctx: Site) -> str:
    out_rel = f"skills/{doc.name}/index.md"
    heading, body = split_title(site_body(doc, out_rel, ctx))
    heading = heading or doc.name
    meta = metadata(doc)
    labels = tags(doc)
    front: dict[str, object] = {"title": heading,
                                "description": str(doc.get("description", ""))}
    if labels:
        front["tags"] = labels
    front["source_path"] = rel_of(doc.path, ctx.root)
    kind = category(doc)
    ref_links = " · ".join(f"[{md_escape(title(r))}](references/{r.path.name})" for r in refs)
    rows = [
        ("Skill", code(doc.name)),
        ("Category", f"[{kind.capitalize()}](../index.md#{slug(kind)})"),
        ("Tags", " ".join(code(t) for t in labels)),
        ("Tool versions", md_escape(meta.get("versions", ""))),
        ("Last reviewed", md_escape(meta.get("last-reviewed", ""))),
        ("References", ref_links),
    ]
    return "\n".join([
        front_matter(front), f"# {heading}", "", card(str(doc.get("description", "")), rows),
        body.strip("\n"), "", install("skill", doc.name, ctx),
    ])


def reference_page(doc: Document, skill: Document, ctx: Site) -> str:
    out_rel = rel_of(doc.path, ctx.root)
    heading, body = split_title(site_body(doc, out_rel, ctx))
    heading = heading or doc.path.stem
    skill_title = title(skill)
    front = {"title": heading,
             "description": f"{heading}: a reference of the {skill_title} skill.",
             "source_path": out_rel}
    return "\n".join([
        front_matter(front), f"# {heading}", "",
        f"*A reference of the [{md_escape(skill_title)}](../index.md) skill, which Claude "
        "reads when the task needs this depth.*", "", body.strip("\n"), "",
    ])


def agent_page(doc: Document, ctx: Site) -> str:
    out_rel = f"agents/{doc.name}/index.md"
    body = site_body(doc, out_rel, ctx)
    model = str(doc.get("model", "inherit"))
    tools = split_tools(doc.get("tools"))
    front = {"title": doc.name, "description": str(doc.get("description", "")),
             "source_path": rel_of(doc.path, ctx.root)}
    rows = [
        ("Agent", code(doc.name)),
        ("Model", f"[{md_escape(model)}](../../{GUIDE}/models.md)"),
        ("Tools", " ".join(code(t) for t in tools) or "all the tools of the main conversation"),
    ]
    return "\n".join([
        front_matter(front), f"# {doc.name}", "", card(str(doc.get("description", "")), rows),
        body.strip("\n"), "", install("agent", doc.name, ctx),
    ])


def hook_page(hook: Hook, ctx: Site) -> str:
    lines = hook.doc.strip().split("\n")
    rest = "\n".join(lines[1:]).strip("\n")
    program = rel_of(hook.path, ctx.root)
    front = {"title": hook.name, "description": hook.title, "source_path": program}
    rows = [
        ("Hook", code(hook.name)),
        ("Event", registration(hook, "event") or "not registered in hooks/hooks.json"),
        ("Matcher", registration(hook, "matcher")),
        ("Timeout", registration(hook, "timeout")),
        ("Program", f"[{code(program)}]({ctx.source_url(program)}): Python 3.10+, "
                    "standard library only"),
    ]
    if not hook.registrations:
        rows = rows[:2] + rows[4:]
    return "\n".join([
        front_matter(front), f"# {hook.name}", "", card(hook.title, rows), rest, "",
        install("hook", hook.name, ctx),
    ])


def install(kind: str, name: str, ctx: Site) -> str:
    """The three ways to install: the plugin, the export of this item, the zip (skills)."""
    out = [
        "## Install", "",
        "/// tab | Plugin marketplace", "",
        f"In Claude Code, add the marketplace once and install the plugin. It brings every "
        f"skill, agent and hook, this {kind} included, and updates when the content changes:",
        "",
        "```text", f"/plugin marketplace add {ctx.slug}", f"/plugin install {PLUGIN}@{PLUGIN}",
        "```", "", "///", "",
        f"/// tab | Just this {kind}", "",
        f"From a clone of the repository, write only this {kind} into a project's `.claude/` "
        "(or `--user` instead of `--target ...` for `~/.claude/`). The export never "
        "overwrites your own changes without `--force`:", "",
        "```bash", f"python -m playbook.export claude --target path/to/your-project --only {name}",
        "```", "",
    ]
    if kind == "hook":
        out += ["The hook is copied to `.claude/hooks/` and registered in "
                "`.claude/settings.json`, merged with the settings already there.", ""]
    out += ["///", ""]
    if kind == "skill":
        out += [
            "/// tab | Zip for claude.ai", "",
            f"[Download {name}.zip]({name}.zip){{ .md-button }} and upload it on claude.ai "
            f"under Settings, Capabilities, Skills. The archive holds one folder, `{name}/`, "
            "with `SKILL.md` first.", "", "///", "",
        ]
    return "\n".join(out)
