#!/usr/bin/env bash
# Everything both README commands need, idempotent: Debian packages and the local Slurm cluster
# (tools/dev-cluster), then the npm packages from the lock file. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "tools/prepare.sh: run as root (it installs Debian packages and starts Slurm daemons)." >&2
  exit 1
fi

# Node and npm are the one prerequisite the project does not install: say so plainly.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tools/prepare.sh: Node.js 20 (>= 20.19) and npm must be installed first (node and npm on PATH)." >&2
  exit 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a === 20 && b >= 19 ? 0 : 1)'; then
  echo "tools/prepare.sh: Node.js $(node --version) found; vizportal needs Node.js 20 (>= 20.19)." >&2
  exit 1
fi
# sqlite3 is a native module. Its prebuilt binary and node-gyp's header download both come from
# outside the registries this machine reaches, so it is built from source against the headers that
# came with Node itself (<prefix>/include/node, shipped by Debian's and NodeSource's nodejs).
node_prefix=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
if [ ! -f "$node_prefix/include/node/node_api.h" ] || [ ! -f "$node_prefix/include/node/common.gypi" ]; then
  echo "tools/prepare.sh: Node's headers are missing ($node_prefix/include/node/node_api.h and common.gypi);" >&2
  echo "  install Node.js with its headers (Debian/NodeSource 'nodejs' package, or the official tarball)." >&2
  exit 1
fi
export npm_config_nodedir=$node_prefix

started=$SECONDS
# The compiler and tools node-gyp needs for sqlite3, then Slurm, munge and the desktop packages.
source tools/lib/apt.sh
apt_install_missing python3 make g++
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
