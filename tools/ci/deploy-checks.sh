#!/usr/bin/env bash
# CI for tools/deploy: each production config tested as far as this machine allows.
#   1. deploy-app-images.sh over real ssh (two Debian sshd on loopback as the nodes)
#   2. vizportal.env.example against the API's config schema (names and exact defaults)
#   3. the systemd unit with `systemd-analyze verify` (systemd itself does not run here)
#   4. the nginx site in front of the built API: REST, Socket.IO and a VNC session through it
# Needs the builds (dist/apps/api, dist/apps/web) and the local Slurm cluster, as tools/test.sh
# has them after its build step. Each step installs its own Debian packages and cleans up after
# itself. Run as root from anywhere: bash tools/ci/deploy-checks.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

step() { echo "deploy-checks: == $* ($((SECONDS - started)) s)"; }

step "1/4 app image deployment over ssh"
bash tools/deploy/test-deploy.sh

step "2/4 vizportal.env.example against apps/api/src/config/app-config.ts"
check_env() {
  TS_NODE_PROJECT=tsconfig.base.json npx ts-node -r tsconfig-paths/register --transpile-only \
    --compiler-options '{"module":"commonjs","moduleResolution":"node"}' tools/deploy/check-env-example.ts "$@"
}
check_env
# The check must be able to fail: a copy with a wrong default and a missing variable.
damaged_env=$(mktemp)
trap 'rm -f -- "$damaged_env"' EXIT
sed -e 's/^#VNC_PORT_MIN=5920$/#VNC_PORT_MIN=5921/' -e '/^#METRICS_TOKEN=/d' tools/deploy/vizportal.env.example >"$damaged_env"
if check_env "$damaged_env" >/dev/null 2>&1; then
  echo "deploy-checks: FAIL - check-env-example.ts accepted a copy with a wrong default and a missing variable" >&2
  exit 1
fi
echo "deploy-checks: ok - check-env-example.ts rejects a damaged copy"

step "3/4 systemd unit"
unit=tools/deploy/systemd/vizportal-api.service
# systemd-analyze verify reads unit files offline: it needs the systemd package, not a running systemd.
source tools/lib/apt.sh
apt_install_missing systemd
# verify prints problems (unknown options, bad values, missing binaries) but may still exit 0.
if ! verify_output=$(systemd-analyze verify "$unit" 2>&1) || [ -n "$verify_output" ]; then
  echo "$verify_output" >&2
  echo "deploy-checks: FAIL - systemd-analyze verify reports problems in $unit" >&2
  exit 1
fi
# And it must notice a problem: the same unit with a misspelt value.
broken_unit_dir=$(mktemp -d)
sed 's/^ProtectSystem=full$/ProtectSystem=fulll/' "$unit" >"$broken_unit_dir/vizportal-api.service"
broken_output=$(systemd-analyze verify "$broken_unit_dir/vizportal-api.service" 2>&1 || true)
rm -rf -- "$broken_unit_dir"
[ -n "$broken_output" ] || { echo "deploy-checks: FAIL - systemd-analyze verify did not notice a misspelt value" >&2; exit 1; }
echo "deploy-checks: ok - systemd-analyze verify $unit: clean (and it flags a misspelt copy)"

step "4/4 nginx site in front of the API"
bash tools/deploy/test-nginx.sh

step "all deploy checks passed"
