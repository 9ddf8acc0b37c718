#!/usr/bin/env bash
# Stage the shop fixture as a committed repository in the run's working directory.
set -euo pipefail
fixtures="$(cd "$(dirname "$0")/../fixtures" && pwd)"
cp -R "$fixtures/shop/." .
git add -A && git commit -qm "shop as it is"
