#!/usr/bin/env bash
# The README's test command: sets up everything the tests need (tools/prepare.sh, Chromium,
# PostgreSQL), then runs every test: lint with module boundaries, unit tests, builds, the deployment
# checks (tools/deploy), the browser tests, the integration, fault and abuse tests on the real
# cluster, and the docker-compose Slurm cluster brought up for real.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true

bash tools/prepare.sh

# The browser tests drive Debian's Chromium (no browser download is possible or wanted); the unit
# tests run shellcheck on every rendered job script.
source tools/lib/apt.sh
apt_install_missing chromium shellcheck

started=$SECONDS
# The TypeScript, templates and styles as Prettier writes them (npm run format rewrites them so).
npm run -s format:check
npx nx run-many -t lint test build --parallel=2 --outputStyle=static
echo "test: lint, unit tests and builds passed after $((SECONDS - started)) s"

# tools/deploy: app images over ssh, the env example against the config schema, the systemd unit,
# and the nginx site in front of the built API.
bash tools/ci/deploy-checks.sh
echo "test: deployment checks passed after $((SECONDS - started)) s"

# Suites on the shared dev cluster hold its lock, as the benches and the nginx check do, so a bench
# started meanwhile waits instead of skewing them (and being skewed).
CLUSTER_LOCK=/tmp/vizportal-cluster.lock

# The README's start command as a new user runs it: the portal answers, alice's desktop runs as alice.
flock "$CLUSTER_LOCK" bash tools/ci/start-check.sh
echo "test: start command checked after $((SECONDS - started)) s"

# The portal in a real Chromium against the real API and cluster; screenshots in artifacts/screenshots.
flock "$CLUSTER_LOCK" npx nx e2e web-e2e --outputStyle=static
echo "test: browser tests passed after $((SECONDS - started)) s"

# The API's entities must also run on PostgreSQL: a throw-away server for its tests.
VIZPORTAL_TEST_POSTGRES_URL=$(bash tools/test-postgres.sh)
export VIZPORTAL_TEST_POSTGRES_URL

# Integration tests share one cluster: one project at a time.
flock "$CLUSTER_LOCK" npx nx run-many -t integration --parallel=1 --outputStyle=static
echo "test: integration tests passed after $((SECONDS - started)) s"

# Every benchmark once, briefly, with nothing asserted of its figures: a bench that no longer runs
# fails here. The builds above are the ones the benches use.
BENCH_SKIP_BUILD=1 bash bench/run-all.sh --smoke
echo "test: benchmark smoke run passed after $((SECONDS - started)) s"

# docker-compose.slurm.yml up for real (podman), a desktop session through the containerized portal.
bash tools/ci/compose-cluster.sh
echo "test: compose cluster passed after $((SECONDS - started)) s"
