"""Offline trigger check: would a request pick the right skill from its name and description?

    python benchmarks/triggers.py [--ref GIT_REF] [--requests FILE.tsv] [--min-top1 R --min-top3 R]

Claude chooses a skill from the listing `playbook:<name>: <description>` before it reads a line of
the body. This ranks every skill for every request in evals/triggers/ by that text alone and
prints the top-1 and top-3 rates and the worst confusions; with --min-top1/--min-top3 it exits 1
below a floor. --ref ranks the descriptions of a git revision instead (the "before" figure);
--requests reads extra requests from a file of `skill<TAB>request` lines (a held-out list).

The ranker is BM25 (k1 1.2, b 0.75), in the standard library only, because it is the lexical
baseline that information retrieval measures everything else against: term frequency saturates,
so a description cannot win by repeating a word, and rare words (CrashLoopBackOff, tfstate) weigh
more than common ones (test, code). Three adjustments fit short descriptions:

- Field weighting (BM25F): the name counts three times a description word, as a skill's name is
  its most specific word and the one users type ("terraform", "rust").
- Light stemming: lowercase; tokens split at anything but letters, digits, + and #, so
  `pyproject.toml` gives `pyproject` and `toml`, and a hyphenated word also stands joined
  (`what-if` gives `what`, `if` and `whatif`, `dry-run` gives `dryrun`); plural,
  -ing, -ed and -ation endings stripped (`tests`, `testing` and `tested` are `test`, `paginate`
  and `pagination` are `pagin`), then a final e (`cache`, `caching` and `cached` are `cach`,
  as in Porter's step 5); a stop list of English function words; numbers of one or two
  digits dropped (version parts such as the 12 of 3.12 say nothing about the topic, while 404
  or 422 do).
- Negative clauses: "Not for ..." names what a neighbour owns. Claude reads it as a pointer away;
  a bag of words would read it as a match, so the ranker drops each such clause to the end of
  its sentence (a full stop before a space or the end; `.tf` does not end it).

Scoring, per case, from the case's own graders (a `tool_used` grader on `Skill`; a skill is the
one a grader names when its input_match accepts the call `{"skill":"playbook:<name>"}`):

- A positive requires one skill and forbids none: a hit at k when that skill ranks in the first k.
- A skill that shares no word with the request does not rank at all.
- A near miss forbids a skill: a hit (at every k) when that skill does not rank first. The
  neighbour that should load instead, if the case names one, is reported but not scored: a
  lexical ranker cannot answer "no skill", so only the exclusion is comparable.
- top-k rate = hits at k / all cases.

Figures are for people writing descriptions; they predict, they do not prove, what the model does
(`nox -s evals` runs the same cases through the real client).
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVALS = ROOT / "evals" / "triggers"
K1, B, NAME_WEIGHT = 1.2, 0.75, 3

STOP = frozenset("""
a an and are as at be but by can do does for from has have how i if in into is it its me my of on
or our so than that the their then there these this to too use used uses using was we what when
where which while who why will with without you your yours get got just also any all each every
not no yes should would could want need only one two some keep make like after before over
under once other same per again still between even very much many more most less about into
onto out up down off there here now ever never always sometimes""".split())
SMALL_NUMBER = re.compile(r"^\d{1,2}$")
NOT_FOR = re.compile(r"\bnot for\b.*?(?:\.(?=\s|$)|$)", re.I | re.S)
FRONTMATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.S)


def stem(word: str) -> str:
    for suffix, repl in (("ations", ""), ("ation", ""), ("ates", ""), ("ate", ""), ("ies", "y"),
                         ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            if suffix == "es" and not word.endswith(("ches", "shes", "xes", "sses")):
                continue
            word = word[: len(word) - len(suffix)] + repl
            break
    return word[:-1] if word.endswith("e") and len(word) >= 4 else word


def tokens(text: str) -> list[str]:
    text = text.lower()
    words = re.findall(r"[a-z0-9+#]+", text)
    words += [w.replace("-", "") for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text)]
    return [stem(w) for w in words if w not in STOP and len(w) > 1 and not SMALL_NUMBER.match(w)]


@dataclass
class Skill:
    name: str
    description: str

    def terms(self) -> collections.Counter[str]:
        counts = collections.Counter(tokens(NOT_FOR.sub(" ", self.description)))
        for term in tokens(self.name.replace("-", " ")):
            counts[term] += NAME_WEIGHT
        return counts


class Ranker:
    def __init__(self, skills: list[Skill]):
        self.names = [s.name for s in skills]
        self.docs = [s.terms() for s in skills]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / len(self.lengths)
        n = len(self.docs)
        df = collections.Counter(t for d in self.docs for t in d)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def rank(self, request: str) -> list[str]:
        """The skills that share a word with the request, best first (ties by name)."""
        query = set(tokens(request))
        scores = []
        for name, doc, length in zip(self.names, self.docs, self.lengths, strict=True):
            norm = K1 * (1 - B + B * length / self.average)
            score = sum(self.idf[t] * doc[t] * (K1 + 1) / (doc[t] + norm)
                        for t in query if t in doc)
            if score > 0:
                scores.append((-score, name))
        return [name for _score, name in sorted(scores)]


@dataclass
class Case:
    name: str
    request: str
    loads: set[str] = field(default_factory=set)
    skips: set[str] = field(default_factory=set)

    @property
    def near_miss(self) -> bool:
        return bool(self.skips)

    def hit(self, ranking: list[str], k: int) -> bool:
        if self.near_miss:
            return not ranking or ranking[0] not in self.skips
        return bool(self.loads & set(ranking[:k]))


def split_frontmatter(text: str) -> tuple[dict, str]:
    found = FRONTMATTER.match(text)
    if not found:
        return {}, text
    return yaml.safe_load(found.group(1)) or {}, found.group(2).strip()


def skills_at(ref: str | None = None, root: Path = ROOT) -> list[Skill]:
    """Every skill's name and description, from the working tree or from a git revision."""
    paths = sorted((root / "skills").glob("*/SKILL.md"))
    out = []
    for path in paths:
        if ref is None:
            text = path.read_text(encoding="utf-8")
        else:
            rel = path.relative_to(root).as_posix()
            shown = subprocess.run(["git", "-C", str(root), "show", f"{ref}:{rel}"],
                                   capture_output=True, text=True, check=False)
            if shown.returncode != 0:
                continue
            text = shown.stdout
        meta, _body = split_frontmatter(text)
        out.append(Skill(str(meta["name"]), str(meta["description"])))
    return out


def skills_named(graders: list[dict], names: list[str], loads: bool) -> set[str]:
    """The skills that `tool_used: Skill` graders require (loads) or forbid (not loads)."""
    found = set()
    for grader in graders:
        if grader.get("type") != "tool_used" or grader.get("tool") != "Skill":
            continue
        required = grader.get("min", 1) >= 1
        forbidden = grader.get("max") == 0
        if (loads and not required) or (not loads and not forbidden):
            continue
        pattern = re.compile(str(grader.get("input_match", "")))
        found |= {n for n in names if pattern.search(json.dumps(
            {"skill": f"playbook:{n}"}, separators=(",", ":")))}
    return found


def load_cases(names: list[str], evals: Path = EVALS) -> list[Case]:
    cases = []
    for prompt in sorted(evals.rglob("prompt.md")):
        _meta, request = split_frontmatter(prompt.read_text(encoding="utf-8"))
        graders = [split_frontmatter(g.read_text(encoding="utf-8"))[0]
                   for g in sorted((prompt.parent / "graders").glob("*.md"))]
        cases.append(Case(prompt.parent.name, request, skills_named(graders, names, True),
                          skills_named(graders, names, False)))
    return cases


def read_requests(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            skill, _tab, request = line.partition("\t")
            cases.append(Case(f"{path.name}:{number}", request.strip(), {skill.strip()}))
    return cases


@dataclass
class Report:
    cases: int
    top1: float
    top3: float
    misses: list[tuple[Case, list[str]]]

    def confusions(self) -> list[tuple[str, int]]:
        pairs = collections.Counter()
        for case, ranking in self.misses:
            wanted = "not " + "/".join(sorted(case.skips)) if case.near_miss else \
                "/".join(sorted(case.loads))
            pairs[f"{wanted} -> {ranking[0] if ranking else 'nothing'}"] += 1
        return pairs.most_common()


def evaluate(skills: list[Skill], cases: list[Case]) -> Report:
    ranker = Ranker(skills)
    rankings = [(case, ranker.rank(case.request)) for case in cases]
    top1 = sum(c.hit(r, 1) for c, r in rankings)
    top3 = sum(c.hit(r, 3) for c, r in rankings)
    n = max(len(cases), 1)
    return Report(len(cases), top1 / n, top3 / n, [(c, r) for c, r in rankings if not c.hit(r, 1)])


def print_report(title: str, report: Report, worst: int = 10) -> None:
    print(f"{title}: {report.cases} requests, top-1 {report.top1:.1%}, top-3 {report.top3:.1%}")
    for pair, count in report.confusions()[:worst]:
        print(f"  {count}x {pair}")
    for case, ranking in report.misses[:worst]:
        print(f"    {case.name}: {case.request!r} ranked {', '.join(ranking[:3])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", help="rank the descriptions of this git revision")
    parser.add_argument("--requests", type=Path, help="extra `skill<TAB>request` lines")
    parser.add_argument("--min-top1", type=float, default=0.0)
    parser.add_argument("--min-top3", type=float, default=0.0)
    args = parser.parse_args(argv)
    skills = skills_at(args.ref)
    names = [s.name for s in skills]
    cases = read_requests(args.requests) if args.requests else load_cases(names)
    source = args.requests or EVALS.relative_to(ROOT)
    report = evaluate(skills, cases)
    print_report(f"{source} against {args.ref or 'working tree'} descriptions", report)
    if report.top1 < args.min_top1 or report.top3 < args.min_top3:
        print(f"below the floor: top-1 {args.min_top1:.0%}, top-3 {args.min_top3:.0%}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
