#!/usr/bin/env bash
# Stage the textkit fixture as a committed repository in the run's working directory.
set -euo pipefail
fixtures="$(cd "$(dirname "$0")/../fixtures" && pwd)"
cp -R "$fixtures/textkit/." .
git add -A && git commit -qm "textkit as it is"
cat > src/textkit/titlecase.py <<'PY'
SMALL = {"a", "an", "the", "of", "and", "or", "in"}


def titlecase(text: str) -> str:
    words = text.lower().split()
    return " ".join(w if i and w in SMALL else w.capitalize() for i, w in enumerate(words))
PY
