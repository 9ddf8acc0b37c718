"""The pages made from many sources: the skills, agents and hooks indexes, the tags index,
the validator's rule table, and the fragments the guide pages include."""

from __future__ import annotations

from playbook import rules
from playbook.content import Catalogue, Document, Hook, sections, split_tools
from playbook.export.items import POLICY_FILE
from playbook.export.site.context import GUIDE
from playbook.export.site.markup import cell, code, front_matter, md_escape, slug
from playbook.export.site.pages import category, registration, tags, title
from playbook.schema import CATEGORIES

RULE_GROUPS = {
    "file": "Files and encoding", "frontmatter": "Frontmatter", "skill": "Skills",
    "agent": "Agents", "catalogue": "Across files", "code": "Code blocks",
    "safety": "Content safety",
}


def _ordered_categories(skills: list[Document]) -> list[str]:
    found = {category(d) for d in skills}
    return [c for c in CATEGORIES if c in found] + sorted(found - set(CATEGORIES))


def skills_index(skills: list[Document]) -> str:
    categories = _ordered_categories(skills)
    front = {"title": "Skills",
             "description": "Every Playbook skill by category, with what it covers and when "
                            "Claude uses it.",
             "source_path": ""}
    out = [front_matter(front), "# Skills", "",
           f"{len(skills)} skills in {len(categories)} categories. Claude Code loads a skill "
           "when its description matches the task, so each description says what the skill "
           "covers and when to use it. Every code example in them runs, compiles or parses "
           "in CI.", ""]
    for kind in categories:
        out += [f"## {kind.capitalize()}", "", '<div class="grid cards" markdown>', ""]
        for doc in sorted((d for d in skills if category(d) == kind), key=lambda d: d.name):
            labels = " ".join(code(t) for t in tags(doc))
            out += [f"-   **[{md_escape(title(doc))}]({doc.name}/index.md)** "
                    f"{code(doc.name)}", "", "    ---", "",
                    f"    {md_escape(str(doc.get('description', '')))}", ""]
            if labels:
                out += [f"    {labels}", ""]
        out += ["</div>", ""]
    return "\n".join(out)


def agents_table(agents: list[Document], prefix: str) -> str:
    out = ["| Agent | Model | Tools | When Claude calls it |", "| --- | --- | --- | --- |"]
    for doc in sorted(agents, key=lambda d: d.name):
        tools = " ".join(code(t) for t in split_tools(doc.get("tools")))
        out.append(f"| [{doc.name}]({prefix}{doc.name}/index.md) | "
                   f"{cell(str(doc.get('model', 'inherit')))} | {cell(tools)} | "
                   f"{cell(md_escape(str(doc.get('description', ''))))} |")
    return "\n".join(out) + "\n"


def hooks_table(hooks: list[Hook], prefix: str) -> str:
    out = ["| Hook | Event | Matcher | What it does |", "| --- | --- | --- | --- |"]
    for hook in hooks:
        out.append(f"| [{hook.name}]({prefix}{hook.name}/index.md) | "
                   f"{cell(registration(hook, 'event') or 'not registered')} | "
                   f"{cell(registration(hook, 'matcher'))} | {cell(md_escape(hook.title))} |")
    return "\n".join(out) + "\n"


def agents_index(agents: list[Document]) -> str:
    front = {"title": "Agents",
             "description": "The Playbook subagents, their models and tools.",
             "source_path": ""}
    return "\n".join([
        front_matter(front), "# Agents", "",
        f"{len(agents)} subagents, each with a least-privilege tool list and the model its job "
        f"needs ([why each model](../{GUIDE}/models.md)). They read and report; none of them "
        "edits files.", "", agents_table(agents, ""),
    ])


def hooks_index(hooks: list[Hook]) -> str:
    front = {"title": "Hooks",
             "description": "The Playbook hooks and the Claude Code events they act on.",
             "source_path": ""}
    return "\n".join([
        front_matter(front), "# Hooks", "",
        f"{len(hooks)} hooks, one standard-library Python file each, registered in "
        "`hooks/hooks.json`. What each one blocks and how to allow a false positive: "
        f"[the hooks in depth](../{GUIDE}/hooks.md).", "", hooks_table(hooks, ""),
    ])


def tags_page() -> str:
    front = {"title": "Tags",
             "description": "Every tag the skills carry, with the skills that carry it.",
             "source_path": ""}
    return "\n".join([
        front_matter(front), "# Tags", "",
        "A skill's tags come from `metadata.tags` in its `SKILL.md`: the tools, formats and "
        "words it covers. Each tag lists the skills that carry it.", "",
        "<!-- material/tags -->", "",
    ])


def rules_page() -> str:
    front = {"title": "Validator rules",
             "description": "Every check the validator and the code-block checker report: why "
                            "it exists and how to satisfy it.",
             "source_path": "scripts/playbook/rules.py"}
    out = [front_matter(front, sidebar=True), "# Validator rules", "",
           "`python -m playbook.validate` and `python -m playbook.examples` report each problem "
           "as `path:line:col: CODE message`. The codes are stable and never reused; each one "
           "says why the rule exists and how to satisfy it legitimately. Dangerous commands "
           "are allowed inside blocks marked `example=\"bad\"`, which the site shows as a "
           "\"Don't\".", ""]
    groups: dict[str, list[rules.Rule]] = {}
    for rule in rules.RULES.values():
        groups.setdefault(rule.group, []).append(rule)
    for group, members in groups.items():
        out += [f"## {RULE_GROUPS.get(group, group.capitalize())}", "",
                "| Code | Rule | Why | How to satisfy it |", "| --- | --- | --- | --- |"]
        for rule in members:
            anchor = rule.code.lower()
            out.append(f"| [{rule.code}](#{anchor}){{ #{anchor} }} | {code(rule.name)} | "
                       f"{cell(rule.why)} | {cell(rule.fix)} |")
        out.append("")
    return "\n".join(out)


def policy_fragments(catalogue: Catalogue) -> dict[str, str]:
    """Each ``## section`` of the policy, without its heading, by the heading's slug."""
    path = (catalogue.root / POLICY_FILE).resolve()
    doc = next((d for d in catalogue.pages if d.path.resolve() == path), None)
    if doc is None:
        return {}
    return {slug(heading): text.strip("\n") + "\n" for heading, text in sections(doc)}
