#!/usr/bin/env bash
# Stage the textkit fixture as a committed repository in the run's working directory.
set -euo pipefail
fixtures="$(cd "$(dirname "$0")/../fixtures" && pwd)"
cp -R "$fixtures/textkit/." .
git add -A && git commit -qm "textkit as it is"
