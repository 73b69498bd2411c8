#!/usr/bin/env bash
# Starts the dedicated PostgreSQL 15 cluster "outage" (port 5439 unless MLWATCH_PG_OUTAGE_PORT is set) that the
# storage-outage test stops and starts again. The shared cluster ("main", 5432) is never stopped: other test
# assemblies use it in parallel. Idempotent like eng/start-postgres.sh (same role, databases and output: one line,
# the connection string). Run as root.
set -euo pipefail
cd "$(dirname "$0")"
MLWATCH_PG_CLUSTER=outage MLWATCH_PG_PORT="${MLWATCH_PG_OUTAGE_PORT:-5439}" exec bash ./start-postgres.sh "$@"
