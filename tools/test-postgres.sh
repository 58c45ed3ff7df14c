#!/usr/bin/env bash
# A PostgreSQL server for the tests that prove the API's entities and migrations run there too:
# Debian's postgresql, started without systemd, with a throw-away database. Prints its URL.
# Idempotent. Run as root on Debian 12.
set -euo pipefail
source "$(dirname "$0")/lib/apt.sh"

apt_install_missing postgresql
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${version:-}" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
[ "$status" = online ] || pg_ctlcluster "$version" "$cluster" start >&2

password=vizportal-test
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 <<SQL >&2
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vizportal_test') THEN
    CREATE ROLE vizportal_test LOGIN PASSWORD '$password' CREATEDB;
  END IF;
END \$\$;
SQL
echo "postgres://vizportal_test:${password}@127.0.0.1:${port}/postgres"
