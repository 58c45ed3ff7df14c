#!/usr/bin/env bash
# Everything both README commands need, idempotent: Debian packages and the local Slurm cluster
# (tools/dev-cluster), then the npm packages from the lock file. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "tools/prepare.sh: run as root (it installs Debian packages and starts Slurm daemons)." >&2
  exit 1
fi

started=$SECONDS
bash tools/dev-cluster/dev-cluster.sh install
echo "prepare: Debian packages ready after $((SECONDS - started)) s"

# npm ci only when the lock changed since the last install: a second run takes no time.
stamp=node_modules/.vizportal-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
echo "prepare: npm packages ready after $((SECONDS - started)) s"

bash tools/dev-cluster/dev-cluster.sh start
echo "prepare: Slurm cluster up after $((SECONDS - started)) s"
