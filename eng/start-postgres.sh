#!/usr/bin/env bash
# Starts a local PostgreSQL 15 for MLwatch development and tests (Debian 12, run as root).
# Idempotent: installs only when missing, starts only when stopped, creates role/databases only when absent.
# MLWATCH_PG_CLUSTER / MLWATCH_PG_PORT select another cluster (eng/start-postgres-outage.sh uses them).
# Prints the connection string of database "mlwatch" (what silo-config/postgres.json and the README use), or of the
# database named as the first argument: eng/test.sh asks for "mlwatch_test", which the tests fill and drop tables in.
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=${MLWATCH_PG_CLUSTER:-main}
PG_HOST=127.0.0.1
PG_PORT=${MLWATCH_PG_PORT:-5432}
ROLE=mlwatch
ROLE_PASSWORD=mlwatch
DATABASES=(mlwatch mlwatch_test)
DATABASE=${1:-mlwatch}
if [[ ! " ${DATABASES[*]} " == *" $DATABASE "* ]]; then
    echo "start-postgres: unknown database '$DATABASE'; choose one of: ${DATABASES[*]}." >&2
    exit 2
fi

log() { echo "start-postgres: $*" >&2; }

# stdout carries exactly one line, the connection string (callers capture it);
# everything the tools below print (apt-get, pg_ctlcluster's "Removed stale pid file") goes to stderr.
# Commands that may start the server get `3>&-` so the daemon does not hold the caller's pipe open.
exec 3>&1 1>&2

if [[ $(id -u) -ne 0 ]]; then
    log "must run as root (it uses apt-get, pg_ctlcluster and 'su postgres')."
    exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "pg_ctlcluster not found; installing postgresql with apt-get."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends postgresql 3>&-
fi

if ! pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    log "cluster $PG_VERSION/$PG_CLUSTER does not exist; creating it."
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" 3>&-
fi

if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
    log "starting cluster $PG_VERSION/$PG_CLUSTER."
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start 3>&-
fi

for _ in $(seq 1 30); do
    if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
        break
    fi
    sleep 1
done
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    log "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within 30 s."
    log "Check /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log."
    exit 1
fi

psql_as_postgres() {
    # Run from / so 'su' does not complain about an unreadable working directory.
    (cd / && su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT $*")
}

role_exists=$(psql_as_postgres "-tA -c \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")
if [[ "$role_exists" != "1" ]]; then
    log "creating role $ROLE."
    psql_as_postgres "-c \"CREATE ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$ROLE_PASSWORD'\""
fi

for db in "${DATABASES[@]}"; do
    db_exists=$(psql_as_postgres "-tA -c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"")
    if [[ "$db_exists" != "1" ]]; then
        log "creating database $db owned by $ROLE."
        psql_as_postgres "-c \"CREATE DATABASE $db OWNER $ROLE\""
    fi
done

echo "Host=$PG_HOST;Port=$PG_PORT;Username=$ROLE;Password=$ROLE_PASSWORD;Database=$DATABASE" >&3
