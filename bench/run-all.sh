#!/usr/bin/env bash
# Runs every benchmark in sequence and keeps each one's output in $BENCH_OUT (default
# /tmp/vizportal-bench). The scripts that use the local Slurm cluster take
# /tmp/vizportal-cluster.lock themselves (flock), one at a time. Builds the API and the web app
# first unless BENCH_SKIP_BUILD=1. Exits non-zero if any benchmark failed; the others still run.
# With --smoke, each runs one short iteration (the README's test command does this, so a bench that
# no longer runs is seen at once): its figures then mean nothing, and nothing is asserted of them.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
if [ "${1:-}" = --smoke ]; then
  export LAUNCH_RUNS=1 LAUNCH_PHASES=1 STATE_RUNS=1 STATE_SLOW_INTERVALS_MS=1000 PROXY_REPEATS=1 PROXY_DESKTOP_SECONDS=1 \
    POLLER_SIZES=0,10 POLLER_TICKS=2 POLLER_FINISHED_JOBS=20 POLLER_FINISHED_SIZES=10 \
    LOAD_SECONDS=2 LOAD_RATE=20 LOAD_SOCKETS=10 LOAD_ROWS=100 LOAD_USERS=2 LOAD_CHANGES=2
fi
out="${BENCH_OUT:-/tmp/vizportal-bench}"
mkdir -p "$out"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  npx nx build api --outputStyle=static || exit 1
  npx nx build web --configuration=production --outputStyle=static || exit 1
fi
command -v websockify >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends websockify || exit 1

failed=()
# poller-cost last: the finished jobs it leaves in the controller (for MinJobAge, 5 minutes) would
# slow every squeue of a bench after it.
for bench in bundle-size load state-change-latency proxy-throughput launch-to-first-frame poller-cost; do
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
