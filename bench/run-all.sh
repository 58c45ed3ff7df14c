#!/usr/bin/env bash
# Runs every benchmark in sequence and keeps each one's output in $BENCH_OUT (default
# /tmp/vizportal-bench). The scripts that use the local Slurm cluster take
# /tmp/vizportal-cluster.lock themselves (flock), one at a time. Builds the API and the web app
# first unless BENCH_SKIP_BUILD=1. Exits non-zero if any benchmark failed; the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
out="${BENCH_OUT:-/tmp/vizportal-bench}"
mkdir -p "$out"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  npx nx build api --outputStyle=static || exit 1
  npx nx build web --configuration=production --outputStyle=static || exit 1
fi
command -v websockify >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends websockify || exit 1

failed=()
for bench in bundle-size load poller-cost state-change-latency proxy-throughput launch-to-first-frame; do
  echo "==== $bench"
  if ! npx ts-node --transpile-only -P bench/tsconfig.json "bench/$bench.ts" 2>&1 | tee "$out/$bench.txt"; then
    failed+=("$bench")
  fi
done
echo "==== outputs in $out"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
