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

# The first administrator: from the environment, or one made up once and kept in data/ (mode 600).
if [ -z "${ADMIN_PASSWORD:-}" ]; then
  mkdir -p data
  [ -s data/admin-password ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > data/admin-password)
  ADMIN_PASSWORD=$(cat data/admin-password)
fi
export ADMIN_USERNAME="${ADMIN_USERNAME:-admin}" ADMIN_PASSWORD

echo "start: serving vizportal on http://localhost:${PORT}/ (API docs: http://localhost:${PORT}/api/docs)"
echo "start: log in as '${ADMIN_USERNAME}' with the password '${ADMIN_PASSWORD}' (kept in data/admin-password)"
exec node dist/apps/api/main.js
