#!/usr/bin/env bash
# cosmjs for the compatibility test (tests/node/rest/test_cosmjs.py): `npm ci` from the pinned lock file,
# skipped when node_modules was installed from this very lock file. Needs Node.js and npm (and the npm
# registry the first time).
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/tests/node/rest/cosmjs"
command -v npm >/dev/null || { echo "cosmjs_deps: npm is required (install Node.js)" >&2; exit 1; }
want="$(sha256sum "${dir}/package-lock.json" | cut -d' ' -f1)"
stamp="${dir}/node_modules/.installed-from"
if [ "$(cat "${stamp}" 2>/dev/null)" = "${want}" ]; then
    exit 0
fi
echo "cosmjs_deps: npm ci in ${dir}" >&2
(cd "${dir}" && npm ci --no-audit --no-fund --loglevel=error >&2)
echo "${want}" > "${stamp}"
