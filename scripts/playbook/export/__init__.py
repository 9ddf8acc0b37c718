"""Export the catalogue, read once through :mod:`playbook.content`, into the forms people use.

::

    python -m playbook.export claude --target DIR  # DIR/.claude/ + a section of DIR/CLAUDE.md
    python -m playbook.export claude --user  # ~/.claude/
    python -m playbook.export agents --target DIR  # .agents/skills, AGENTS.md, GEMINI.md, subagents
    python -m playbook.export plugin --target DIR  # a standalone Claude Code plugin (+ marketplace)
    python -m playbook.export gemini-extension --target DIR  # a Gemini CLI extension
    python -m playbook.export cursor-plugin --target DIR  # a Cursor plugin
    python -m playbook.export zip --target DIR  # DIR/<skill>.zip for claude.ai
    python -m playbook.export root [--check]  # the repository's own .claude-plugin/*.json
    python -m playbook.export site --target DIR  # the docs tree mkdocs builds from

    options: --only NAME... (skills, agents, hooks by name, or a category: a skill's
             metadata.category, skills, agents, hooks, policy)
             --dry-run (print the plan as a diff)  --force (overwrite what the user changed)
             --remove (take out exactly what the last export wrote)

Guarantees (each proved by a test in ``tests/export``): idempotent (a second run writes
nothing and says so); atomic, all files or none; the user's settings keys, permissions, env,
hooks and ``CLAUDE.md`` lines are kept; a file changed since the last export is left alone and
reported unless ``--force``; paths that would leave the target (``..``, symlinks) are refused.

Modules: :mod:`.items` (what can be exported, ``--only``), :mod:`.plan` (plan, manifest, diff,
apply), :mod:`.files` (safe paths, atomic writes), :mod:`.jsonedit` (JSON edited as text),
:mod:`.settings` and :mod:`.claude_md` (the files shared with the user), :mod:`.frontmatter`,
:mod:`.subagents` (our agents in each client's format), and one module per format:
:mod:`.claude`, :mod:`.agents`, :mod:`.plugin` (also ``root``), :mod:`.gemini`, :mod:`.cursor`,
:mod:`.zips`; the :mod:`.site`
package is imported only when asked for.
"""
