#!/usr/bin/env bash
# The README's start command: sets up everything (tools/prepare.sh), builds the API and the web app,
# and serves the portal on http://localhost:${PORT:-8080}/ in the foreground (Ctrl-C stops it;
# `bash tools/dev-cluster/dev-cluster.sh stop` stops the cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

bash tools/prepare.sh
npx nx run-many -t build -p api web --configuration=production --outputStyle=static

export NODE_ENV=production PORT="${PORT:-8080}"
echo "start: serving vizportal on http://localhost:${PORT}/ (API docs: http://localhost:${PORT}/api/docs)"
exec node dist/apps/api/main.js
