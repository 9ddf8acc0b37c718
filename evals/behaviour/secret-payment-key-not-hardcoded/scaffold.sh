#!/usr/bin/env bash
# Stage the shop fixture as a committed repository in the run's working directory.
set -euo pipefail
fixtures="$(cd "$(dirname "$0")/../fixtures" && pwd)"
cp -R "$fixtures/shop/." .
git add -A && git commit -qm "shop as it is"
printf "STRIPE_SECRET_KEY=sk_live_%s\n" "$(LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32)" > .env
