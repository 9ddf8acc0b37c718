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

What the rewrite does to a source file: front matter becomes what Material reads (``title``,
``description``, ``tags`` lifted from ``metadata.tags``, and ``source_path``, the file in the
repository that overrides/partials/actions.html turns into the "Edit this page" link); fences
lose the checker's settings (``test``, ``reason``, ``group``, ``example``) and keep ``title``;
``example="bad"`` blocks are wrapped in a ``/// danger | Don't`` block and ``example="good"``
ones in ``/// success | Do``; links to other sources (``../tdd/SKILL.md``, ``../../hooks/x.py``)
point at their pages, links to other repository files at the repository, so strict mode holds.

Writing: only files whose bytes changed are written, atomically and all at once
(:func:`playbook.export.files.commit`); pages whose source is gone are removed; a second run
writes nothing, which keeps ``mkdocs serve`` quiet. Each owned folder carries a marker file,
and a folder without it that holds files is refused: the export never deletes what it did not
write.

``python -m playbook.export site --target docs`` exports once. ``python -m playbook.export.site``
also has ``--watch`` (re-export when skills/, agents/, hooks/, policy/ or the rule table
change) and ``--serve`` (export, watch in a thread, run ``mkdocs serve``), which ``nox -s
serve`` uses.
"""

from __future__ import annotations

import argparse
import importlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import yaml

from playbook import content, rules
from playbook.checks.links import is_external
from playbook.content import Catalogue, Document, Hook, load_catalogue, split_tools
from playbook.export import files
from playbook.export.errors import ExportError
from playbook.export.items import POLICY_FILE, skill_item
from playbook.export.plugin import NAME as PLUGIN
from playbook.export.zips import skill_zip

DEFAULT_REPO_URL = "https://github.com/playbook-dev/playbook"
BRANCH = "main"
CATEGORIES = ("languages", "infrastructure", "testing", "patterns")
MARKER = ".playbook-site"
MARKER_TEXT = (b"Written by `python -m playbook.export site`: every file in this folder is "
               b"generated from the repository's sources and replaced on the next export.\n")
IMAGES = (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp")
FRAGMENTS = "generated"  # docs/generated/: included by the guide pages, not published
GUIDE = "guide"  # the hand-written guide pages that include the fragments live in docs/guide/
WATCHED = ("skills", "agents", "hooks", "policy", "scripts/playbook/rules.py")
RULE_GROUPS = {
    "file": "Files and encoding", "frontmatter": "Frontmatter", "skill": "Skills",
    "agent": "Agents", "catalogue": "Across files", "code": "Code blocks",
    "safety": "Content safety",
}
BLOCKS = {"bad": ("danger", "Don't", "pb-dont"), "good": ("success", "Do", "pb-do")}

Echo = Callable[[str], None]


# ---------------------------------------------------------------------------------------------
# Markdown helpers


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


def front_matter(meta: dict[str, object], *, sidebar: bool = False) -> str:
    """YAML front matter. Most generated pages are reached from the tabs, the catalogue pages,
    search and tags, and have nothing to show in the navigation sidebar, so it is hidden;
    ``sidebar=True`` keeps it for a page listed in a section of the nav (the rule table)."""
    if not sidebar:
        meta = {**meta, "hide": ["navigation"]}
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def split_title(body: str) -> tuple[str | None, str]:
    """The text of a leading ``# Title`` line and the body without it."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            title = re.sub(r"\s+#+\s*$", "", line[2:]).strip()  # "# C#" stays "C#"
            return title, "\n".join(lines[i + 1:])
        break
    return None, body


def card(description: str, rows: Iterable[tuple[str, str]]) -> str:
    """The header card: the description, then a definition list of facts."""
    out = ['<div class="pb-card" markdown>', "", md_escape(description), ""]
    for term, value in rows:
        if value:
            out += [term, f":   {value}", ""]
    out += ["</div>", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The context shared by every page: the repository URL and where each source is published


@dataclass
class Site:
    root: Path
    repo_url: str
    pages: dict[str, str]  # repository path -> docs path of the page (or file) made from it

    @property
    def slug(self) -> str:
        """``owner/repo`` for ``/plugin marketplace add``."""
        path = self.repo_url.split("://", 1)[-1].split("/", 1)[-1]
        return path.strip("/").removesuffix(".git")

    def source_url(self, rel: str) -> str:
        kind = "tree" if (self.root / rel).is_dir() else "blob"
        return f"{self.repo_url}/{kind}/{BRANCH}/{rel}"


def repo_url(root: Path) -> str:
    """``repo_url`` from the repository's mkdocs.yml (one line, read as text), or the default."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_REPO_URL
    m = re.search(r"^repo_url:\s*['\"]?([^'\"\s#]+)", text, re.M)
    return m.group(1).rstrip("/") if m else DEFAULT_REPO_URL


def rel_of(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _context(catalogue: Catalogue) -> Site:
    root = catalogue.root
    pages: dict[str, str] = {}
    for doc in catalogue.skills:
        pages[rel_of(doc.path, root)] = f"skills/{doc.name}/index.md"
        folder = doc.path.parent
        for path in folder.rglob("*"):
            inner = path.relative_to(folder).as_posix()
            if path.suffix.lower() in IMAGES and path.is_file() and not any(
                    files.is_junk(part) for part in inner.split("/")):
                pages[rel_of(path, root)] = f"skills/{doc.name}/{inner}"
    for doc in catalogue.references:
        rel = rel_of(doc.path, root)
        pages[rel] = rel
    for doc in catalogue.agents:
        pages[rel_of(doc.path, root)] = f"agents/{doc.name}/index.md"
    for hook in catalogue.hooks:
        pages[rel_of(hook.path, root)] = f"hooks/{hook.name}/index.md"
    pages["hooks/hooks.json"] = "hooks/index.md"
    pages["scripts/playbook/rules.py"] = "catalog/rules.md"
    return Site(root, repo_url(root), pages)


# ---------------------------------------------------------------------------------------------
# Rewriting a source file for the site


def site_body(doc: Document, out_rel: str, ctx: Site) -> str:
    """The body of ``doc`` with fences and links rewritten for a page at ``out_rel``."""
    lines = doc.text.split("\n")
    src = rel_of(doc.path, ctx.root)
    for link in sorted(doc.links, key=lambda k: (k.line, -k.col)):
        new = _link_target(link.target, src, out_rel, ctx)
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


def _link_target(target: str, src: str, out_rel: str, ctx: Site) -> str | None:
    if not target or target.startswith("#") or is_external(target):
        return None
    path, sep, fragment = target.partition("#")
    path = unquote(path.split("?", 1)[0])
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


# ---------------------------------------------------------------------------------------------
# Pages


def _metadata(doc: Document) -> dict[str, str]:
    value = doc.get("metadata")
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _tags(doc: Document) -> list[str]:
    raw = _metadata(doc).get("tags", "")
    return [t.strip() for t in raw.split(",") if t.strip()]


def _category(doc: Document) -> str:
    return _metadata(doc).get("category", "").strip() or "other"


def _title_of(doc: Document) -> str:
    title, _ = split_title(doc.body)
    return title or doc.name


def skill_page(doc: Document, refs: list[Document], ctx: Site) -> str:
    out_rel = f"skills/{doc.name}/index.md"
    title, body = split_title(site_body(doc, out_rel, ctx))
    title = title or doc.name
    meta = _metadata(doc)
    tags = _tags(doc)
    front: dict[str, object] = {"title": title, "description": str(doc.get("description", ""))}
    if tags:
        front["tags"] = tags
    front["source_path"] = rel_of(doc.path, ctx.root)
    category = _category(doc)
    ref_links = " · ".join(f"[{md_escape(_title_of(r))}](references/{r.path.name})"
                           for r in refs)
    rows = [
        ("Skill", code(doc.name)),
        ("Category", f"[{category.capitalize()}](../index.md#{slug(category)})"),
        ("Tags", " ".join(code(t) for t in tags)),
        ("Tool versions", md_escape(meta.get("versions", ""))),
        ("Last reviewed", md_escape(meta.get("last-reviewed", ""))),
        ("References", ref_links),
    ]
    return "\n".join([
        front_matter(front), f"# {title}", "", card(str(doc.get("description", "")), rows),
        body.strip("\n"), "", install("skill", doc.name, ctx),
    ])


def reference_page(doc: Document, skill: Document, ctx: Site) -> str:
    out_rel = rel_of(doc.path, ctx.root)
    title, body = split_title(site_body(doc, out_rel, ctx))
    title = title or doc.path.stem
    skill_title = _title_of(skill)
    front = {"title": title,
             "description": f"{title}: a reference of the {skill_title} skill.",
             "source_path": out_rel}
    return "\n".join([
        front_matter(front), f"# {title}", "",
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


def _registration(hook: Hook, part: str) -> str:
    values = []
    for reg in hook.registrations:
        if part == "event":
            values.append(str(reg["event"]))
        elif part == "matcher":
            values.append(code(str(reg["matcher"])))
        elif reg.get("timeout") is not None:
            values.append(f"{reg['timeout']} s")
    return "; ".join(values)


def hook_page(hook: Hook, ctx: Site) -> str:
    lines = hook.doc.strip().split("\n")
    rest = "\n".join(lines[1:]).strip("\n")
    front = {"title": hook.name, "description": hook.title,
             "source_path": rel_of(hook.path, ctx.root)}
    registered = bool(hook.registrations)
    rows = [
        ("Hook", code(hook.name)),
        ("Event", _registration(hook, "event") or "not registered in hooks/hooks.json"),
        ("Matcher", _registration(hook, "matcher")),
        ("Timeout", _registration(hook, "timeout")),
        ("Program", f"[{code(rel_of(hook.path, ctx.root))}]"
                    f"({ctx.source_url(rel_of(hook.path, ctx.root))}): Python 3.10+, "
                    "standard library only"),
    ]
    if not registered:
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


# ---------------------------------------------------------------------------------------------
# Catalogue pages and fragments


def _ordered_categories(skills: list[Document]) -> list[str]:
    found = {_category(d) for d in skills}
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
    for category in categories:
        out += [f"## {category.capitalize()}", "", '<div class="grid cards" markdown>', ""]
        for doc in sorted((d for d in skills if _category(d) == category), key=lambda d: d.name):
            tags = " ".join(code(t) for t in _tags(doc))
            out += [f"-   **[{md_escape(_title_of(doc))}]({doc.name}/index.md)** "
                    f"{code(doc.name)}", "", "    ---", "",
                    f"    {md_escape(str(doc.get('description', '')))}", ""]
            if tags:
                out += [f"    {tags}", ""]
        out += ["</div>", ""]
    return "\n".join(out)


def _agents_table(agents: list[Document], prefix: str) -> str:
    out = ["| Agent | Model | Tools | When Claude calls it |", "| --- | --- | --- | --- |"]
    for doc in sorted(agents, key=lambda d: d.name):
        tools = " ".join(code(t) for t in split_tools(doc.get("tools")))
        out.append(f"| [{doc.name}]({prefix}{doc.name}/index.md) | "
                   f"{cell(str(doc.get('model', 'inherit')))} | {cell(tools)} | "
                   f"{cell(md_escape(str(doc.get('description', ''))))} |")
    return "\n".join(out) + "\n"


def _hooks_table(hooks: list[Hook], prefix: str) -> str:
    out = ["| Hook | Event | Matcher | What it does |", "| --- | --- | --- | --- |"]
    for hook in hooks:
        out.append(f"| [{hook.name}]({prefix}{hook.name}/index.md) | "
                   f"{cell(_registration(hook, 'event') or 'not registered')} | "
                   f"{cell(_registration(hook, 'matcher'))} | {cell(md_escape(hook.title))} |")
    return "\n".join(out) + "\n"


def agents_index(agents: list[Document]) -> str:
    front = {"title": "Agents",
             "description": "The Playbook subagents, their models and tools.",
             "source_path": ""}
    return "\n".join([
        front_matter(front), "# Agents", "",
        f"{len(agents)} subagents, each with a least-privilege tool list and the model its job "
        f"needs ([why each model](../{GUIDE}/models.md)). They read and report; none of them "
        "edits files.", "", _agents_table(agents, ""),
    ])


def hooks_index(hooks: list[Hook]) -> str:
    front = {"title": "Hooks",
             "description": "The Playbook hooks and the Claude Code events they act on.",
             "source_path": ""}
    return "\n".join([
        front_matter(front), "# Hooks", "",
        f"{len(hooks)} hooks, one standard-library Python file each, registered in "
        "`hooks/hooks.json`. What each one blocks and how to allow a false positive: "
        f"[the hooks in depth](../{GUIDE}/hooks.md).", "", _hooks_table(hooks, ""),
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
    found: dict[str, str] = {}
    heading, lines = None, []
    for line in [*doc.body.split("\n"), "## "]:
        if line.startswith("## "):
            if heading:
                found[slug(heading)] = "\n".join(lines).strip("\n") + "\n"
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    return found


# ---------------------------------------------------------------------------------------------
# Everything the export writes


def render(catalogue: Catalogue) -> dict[str, bytes]:
    """Every file the export owns under the target, by path relative to it."""
    ctx = _context(catalogue)
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
    put("skills/index.md", skills_index(catalogue.skills))
    put("agents/index.md", agents_index(catalogue.agents))
    put("hooks/index.md", hooks_index(catalogue.hooks))
    put("catalog/tags.md", tags_page())
    put("catalog/rules.md", rules_page())
    put(f"{FRAGMENTS}/agents.md", _agents_table(catalogue.agents, "../agents/"))
    put(f"{FRAGMENTS}/hooks.md", _hooks_table(catalogue.hooks, "../hooks/"))
    for name, text in policy_fragments(catalogue).items():
        put(f"{FRAGMENTS}/policy/{name}.md", text)
    return out


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class Result:
    written: list[str]
    removed: list[str]
    unchanged: int


def owned_files(target: Path) -> dict[str, bytes]:
    """The files now in the folders the export owns; refuses a folder it did not write."""
    found: dict[str, bytes] = {}
    for folder in content.GENERATED_DOCS:
        path = target / folder
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            raise ExportError(path.as_posix(), "refused: the site export writes a directory "
                              "here, and a file or symlink stands in its place")
        if not path.is_dir():
            continue
        entries = sorted(path.rglob("*"))
        if not (path / MARKER).is_file() and any(not p.is_dir() for p in entries):
            raise ExportError(path.as_posix(), f"refused: this folder was not written by the "
                              f"site export (it has no {MARKER}), and the export replaces "
                              "everything in it; move it away or choose another --target")
        for entry in entries:
            if entry.is_symlink():
                raise ExportError(entry.as_posix(), "refused: a symlink in a folder the site "
                                  "export owns")
            if entry.is_file():
                found[entry.relative_to(target).as_posix()] = entry.read_bytes()
    return found


def export_site(catalogue: Catalogue, target: Path, *, echo: Echo = print) -> Result:
    """Write :func:`render` into ``target``: changed files only, stale ones removed, at once."""
    target = Path(target)
    wanted = render(catalogue)
    current = owned_files(target)
    changes = [files.Change(rel, current.get(rel), data)
               for rel, data in sorted(wanted.items()) if current.get(rel) != data]
    removed = sorted(rel for rel in current if rel not in wanted)
    changes += [files.Change(rel, current[rel], None) for rel in removed]
    if changes:
        files.commit(target, changes)
    written = [c.rel for c in changes if c.new is not None]
    result = Result(written, removed, len(wanted) - len(written))
    echo(f"site: {len(written)} written, {len(removed)} removed, {result.unchanged} unchanged "
         f"in {target.as_posix()}")
    return result


# ---------------------------------------------------------------------------------------------
# Watching and serving


class Watcher:
    """Tells when a source the site is made from has changed since the last look."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen = self._snapshot()

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        snap: dict[str, tuple[int, int]] = {}
        for name in WATCHED:
            path = self.root / name
            for entry in ([path] if path.is_file() else sorted(path.rglob("*"))
                          if path.is_dir() else []):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                snap[entry.as_posix()] = (stat.st_mtime_ns, stat.st_size)
        return snap

    def changed(self) -> bool:
        now = self._snapshot()
        if now == self.seen:
            return False
        self.seen = now
        return True


def _export_logged(root: Path, target: Path, echo: Echo) -> None:
    try:
        importlib.reload(rules)  # the rule table is code: pick up an edit to it
        export_site(load_catalogue(root), target, echo=echo)
    except ExportError as exc:
        echo(str(exc))
    except Exception as exc:  # noqa: BLE001 - a watcher reports and keeps watching
        echo(f"{root.as_posix()}:1:1: EXPORT the site export failed: {exc!r}")


def watch(root: Path, target: Path, *, echo: Echo = print,
          sleep: Callable[[float], None] = time.sleep, interval: float = 0.5) -> None:
    """Export, then export again whenever a source changes, until interrupted."""
    watcher = Watcher(root)
    _export_logged(root, target, echo)
    try:
        while True:
            sleep(interval)
            if watcher.changed():
                _export_logged(root, target, echo)
    except KeyboardInterrupt:
        return


def _start_watcher(root: Path, target: Path, echo: Echo) -> threading.Thread:
    thread = threading.Thread(target=watch, args=(root, target), kwargs={"echo": echo},
                              daemon=True, name="site-export-watcher")
    thread.start()
    return thread


# ---------------------------------------------------------------------------------------------
# A whole build in a scratch directory (the tests and benchmarks/site.py)

SCAFFOLD = ("mkdocs.yml", "overrides", "CONTRIBUTING.md")


def stage(root: Path, project: Path) -> None:
    """Copy what mkdocs needs besides the export into ``project``: the config, the theme
    overrides, CONTRIBUTING.md and the hand-written docs (not the generated folders)."""
    project.mkdir(parents=True, exist_ok=True)
    for name in SCAFFOLD:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, project / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, project / name)
    docs = root / "docs"
    ignore = shutil.ignore_patterns(*content.GENERATED_DOCS)
    shutil.copytree(docs, project / "docs", dirs_exist_ok=True,
                    ignore=lambda d, names: ignore(d, names) if Path(d) == docs else [])


def build(root: Path, project: Path, *, source: Path | None = None,
          echo: Echo = lambda _line: None) -> subprocess.CompletedProcess[str]:
    """Stage ``root``'s site scaffolding in ``project``, export the catalogue of ``source``
    (default ``root``) into it and run ``mkdocs build --strict``; the site is project/site."""
    stage(root, project)
    export_site(load_catalogue(source or root), project / "docs", echo=echo)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
         str(project / "site")], cwd=project, env=env, capture_output=True, text=True,
        check=False)


# ---------------------------------------------------------------------------------------------
# Command line


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m playbook.export.site",
        description="Write the site's generated docs folders; optionally keep them current "
                    "(--watch) or preview the site (--serve; arguments after -- go to "
                    "mkdocs serve).")
    top.add_argument("--source", type=Path, default=content.ROOT, metavar="DIR",
                     help="the Playbook repository to read (default: this one)")
    top.add_argument("--target", type=Path, metavar="DIR",
                     help="the docs folder to write into (default: SOURCE/docs)")
    mode = top.add_mutually_exclusive_group()
    mode.add_argument("--watch", action="store_true", help="re-export when a source changes")
    mode.add_argument("--serve", action="store_true",
                      help="export, watch, and run mkdocs serve")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    args = parser().parse_args(argv)
    root = args.source.resolve()
    target = args.target or root / "docs"
    if args.watch:
        watch(root, target)
        return 0
    try:
        export_site(load_catalogue(root), target)
    except ExportError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not args.serve:
        return 0
    _start_watcher(root, target, print)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "mkdocs", "serve", *extra], env=env,
                              check=False).returncode
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C at the terminal
        return 0


if __name__ == "__main__":
    sys.exit(main())
