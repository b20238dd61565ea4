#!/usr/bin/env bash
# Installs the npm packages from package-lock.json unless node_modules already matches it.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [[ -f "$stamp" && "$stamp" -nt package-lock.json ]]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
