#!/usr/bin/env bash
# PostgreSQL for the scale-out tests: install from Debian, start on loopback, create a role and a
# database the tests find at postgresql+psycopg://repairdesk:repairdesk@127.0.0.1:5432/repairdesk_test
# (CI scripts cannot export variables to the test run, so the URL is fixed). Idempotent.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi

version="$(ls /etc/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | grep -q "^${version} main"; then
    pg_createcluster "$version" main
fi
conf="/etc/postgresql/${version}/main/postgresql.conf"
# loopback only; more connections for the concurrent-desk tests
sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$conf"
sed -i "s/^#\?max_connections.*/max_connections = 200/" "$conf"
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main restart

for _ in $(seq 1 30); do
    su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
done

su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='repairdesk'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"CREATE ROLE repairdesk LOGIN PASSWORD 'repairdesk' CREATEDB\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='repairdesk_test'\"" | grep -q 1 \
    || su postgres -c "createdb -O repairdesk repairdesk_test"
echo "postgres ${version} ready on 127.0.0.1:5432 (repairdesk/repairdesk_test)"
