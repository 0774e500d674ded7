#!/usr/bin/env bash
# Installs the workspace's npm dependencies when they are missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing npm dependencies from package-lock.json"
  # Not `npm ci`: its lockfile check also wants other platforms' optional binaries
  # (e.g. @swc/core-darwin-*), which the registry we build from does not serve.
  npm install --no-audit --no-fund

fi
