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

# Jobs run as their owners' own Unix accounts (sudo -n -u, as root may), never as root, which runs
# the portal here. The cluster has alice and bob; the administrator gets an account of its own.
export SLURM_SUBMIT_AS="${SLURM_SUBMIT_AS:-user}"
if [ "$ADMIN_USERNAME" = root ]; then
  echo "start: ADMIN_USERNAME must not be root: jobs never run as root" >&2
  exit 1
fi
if [ "$SLURM_SUBMIT_AS" = user ] && ! id -u "$ADMIN_USERNAME" >/dev/null 2>&1; then
  useradd -m -s /bin/bash "$ADMIN_USERNAME"
  echo "start: created the Unix account '$ADMIN_USERNAME', which the administrator's desktops run as"
fi

echo "start: serving vizportal on http://localhost:${PORT}/ (API docs: http://localhost:${PORT}/api/docs)"
echo "start: log in as '${ADMIN_USERNAME}' with the password '${ADMIN_PASSWORD}' (kept in data/admin-password)"
echo "start: jobs run as their owners' Unix accounts; alice and bob exist on this cluster (create them in the portal to use them)"
exec node dist/apps/api/main.js
