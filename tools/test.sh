#!/usr/bin/env bash
# The README's test command: sets up everything the tests need (tools/prepare.sh, Chromium,
# PostgreSQL), then runs every test: lint with module boundaries, unit tests, builds, the integration
# tests on the real cluster, and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true

bash tools/prepare.sh

# The browser tests drive Debian's Chromium (no browser download is possible or wanted).
if ! dpkg-query -W -f='${db:Status-Abbrev}' chromium 2>/dev/null | grep -q '^ii'; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium ||
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }
fi

started=$SECONDS
npx nx run-many -t lint test build --parallel=2 --outputStyle=static
echo "test: lint, unit tests and builds passed after $((SECONDS - started)) s"

# The portal in a real Chromium against the real API and cluster; screenshots in artifacts/screenshots.
npx nx e2e web-e2e --outputStyle=static
echo "test: browser tests passed after $((SECONDS - started)) s"

# The API's entities must also run on PostgreSQL: a throw-away server for its tests.
VIZPORTAL_TEST_POSTGRES_URL=$(bash tools/test-postgres.sh)
export VIZPORTAL_TEST_POSTGRES_URL

# Integration tests share one cluster: one project at a time.
npx nx run-many -t integration --parallel=1 --outputStyle=static
echo "test: integration tests passed after $((SECONDS - started)) s"

