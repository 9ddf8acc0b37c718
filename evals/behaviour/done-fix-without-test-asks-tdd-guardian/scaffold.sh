#!/usr/bin/env bash
# Stage the shop fixture as a committed repository in the run's working directory.
set -euo pipefail
fixtures="$(cd "$(dirname "$0")/../fixtures" && pwd)"
cp -R "$fixtures/shop/." .
git add -A && git commit -qm "shop as it is"
sed -i.bak 's/        self.coupons.append(code)/        if code not in self.coupons:\n            self.coupons.append(code)/' src/shop/cart.py && rm src/shop/cart.py.bak
