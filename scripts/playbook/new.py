"""Scaffold a skill or an agent that passes the validator:
``python -m playbook.new skill NAME [--category C]`` or ``python -m playbook.new agent NAME``.

The file has the sections of a good skill (or agent) with TODO prompts; a skill also gets its
trigger eval cases under evals/triggers/NAME/ (six requests that must load it, three near
misses that must not), whose requests the author writes. It never overwrites an existing file.
A name the validator would refuse, or one already taken, is reported as
``path:line:col: CODE message`` (exit 1).
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from playbook import rules
from playbook.checks.fields import name_errors
from playbook.cli import Parser
from playbook.content import relpath
from playbook.problems import Problem
from playbook.schema import CATEGORIES

SKILL_TEMPLATE = '''\
---
name: {name}
description: >-
  TODO: what {title} covers, in the words a user would type (tools, file types).
  Use when TODO.
license: MIT
metadata:
  category: {category}
  tags: "{name}"
  versions: "TODO: e.g. Python 3.12"
  last-reviewed: "{today}"
---

# {title}

**Respect the repository first.** TODO: follow the tools and conventions the repository already
has; the defaults below are for new code or when the user asks for them.

## When to use

- TODO: the situations, file types and commands that should bring this skill in.

## Core principles

1. TODO

## Patterns

TODO: one runnable example per pattern.

```python
def greet(name: str) -> str:
    return f"Hello, {{name}}"


print(greet("world"))
#> Hello, world
```

## Anti-patterns

Bad:

```python example="bad"
def greet(name):
    print("Hello, " + name)  # mixes formatting with output
```

Good: return the value and let the caller print it (see above).

## Commands

```bash
echo "TODO: the commands a reader runs most"
```

## Checklist

- [ ] TODO
'''

AGENT_TEMPLATE = '''\
---
name: {name}
description: TODO what it does. Use when TODO (say "use proactively" if it should run unasked).
tools: Read, Grep, Glob
model: sonnet
color: blue
---

You are TODO.

## Procedure

1. TODO

## Severity

- **critical**: TODO
- **high**: TODO
- **medium**: TODO
- **low**: TODO

## Output format

| file:line | severity | finding | fix |
| --- | --- | --- | --- |
'''


CASE_TEMPLATE = """\
---
tags: [{tags}]
max_turns: 3
timeout_seconds: 120
allowed_tools: [Skill]
runs: 1
---

TODO: {ask}
"""

SKILL_GRADER = """\
---
type: tool_used
tool: Skill
input_match: '"skill":"(playbook:)?{name}"'
{bounds}---
"""


def scaffold_trigger_cases(name: str, root: Path) -> list[Path]:
    """evals/triggers/NAME/: six requests that must load the skill and three near misses that
    must not, each a `claude plugin eval` case whose request the author writes."""
    cases = []
    for kind, count in (("fires", 6), ("not", 3)):
        for number in range(1, count + 1):
            case = root / "evals" / "triggers" / name / f"{name}-{kind}-{number}"
            (case / "graders").mkdir(parents=True)
            if kind == "fires":
                tags = f"triggers, {name}"
                ask = "a request, as a user types it, that needs this skill"
                grader, bounds = f"loads-{name}", "min: 1\n"
            else:
                tags = f"triggers, near-miss, {name}"
                ask = ("a near miss: close to this skill but owned by a neighbour (add a "
                       "loads-NEIGHBOUR grader) or by no skill")
                grader, bounds = f"skips-{name}", "min: 0\nmax: 0\narm: both\n"
            with open(case / "prompt.md", "x", encoding="utf-8", newline="\n") as handle:
                handle.write(CASE_TEMPLATE.format(tags=tags, ask=ask))
            with open(case / "graders" / f"{grader}.md", "x", encoding="utf-8",
                      newline="\n") as handle:
                handle.write(SKILL_GRADER.format(name=name, bounds=bounds))
            cases.append(case)
    return cases


class Refused(ValueError):
    """A name the scaffold will not write, as the problem to print."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def scaffold(kind: str, name: str, root: Path, category: str = "patterns") -> Path:
    """Write the new file and return its path; raises :class:`Refused` for a name the validator
    would refuse or one already taken."""
    skill, agent = root / "skills" / name, root / "agents" / f"{name}.md"
    path = skill / "SKILL.md" if kind == "skill" else agent
    broken = next(name_errors(name), None)
    if broken is not None:
        raise Refused(Problem(relpath(path), 1, 1, *broken))
    for taken in (skill, agent):
        if taken.exists():
            raise Refused(Problem(relpath(taken), 1, 1, rules.NAME_TAKEN,
                                  f"'{name}' already exists: skills and agents share one "
                                  "namespace"))
    if kind == "skill":
        text = SKILL_TEMPLATE.format(name=name, title=name.replace("-", " ").title(),
                                     category=category, today=datetime.date.today().isoformat())
    else:
        text = AGENT_TEMPLATE.format(name=name)
    cases = root / "evals" / "triggers" / name
    if kind == "skill" and cases.exists():
        raise Refused(Problem(relpath(cases), 1, 1, rules.NAME_TAKEN,
                              f"evals/triggers/{name} already exists"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    if kind == "skill":
        scaffold_trigger_cases(name, root)
    return path


def main(argv: list[str] | None = None, prog: str = "python -m playbook.new") -> int:
    parser = Parser(prog=prog, description=__doc__)
    parser.add_argument("kind", choices=("skill", "agent"))
    parser.add_argument("name")
    parser.add_argument("--category", choices=CATEGORIES, default="patterns")
    parser.add_argument("--root", type=Path, default=Path.cwd(), metavar="DIR",
                        help="the repository to add it to (default: the current directory)")
    args = parser.parse_args(argv)
    try:
        path = scaffold(args.kind, args.name, args.root, category=args.category)
    except Refused as exc:
        print(exc.problem, file=sys.stderr)
        return 1
    except OSError as exc:
        where = relpath(Path(exc.filename)) if exc.filename else args.name
        print(Problem(where, 1, 1, rules.IO_ERROR, f"cannot write: {exc.strerror or exc}"),
              file=sys.stderr)
        return 1
    root = args.root.resolve()
    print(f"created {path.resolve().relative_to(root).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
