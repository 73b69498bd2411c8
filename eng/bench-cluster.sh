#!/usr/bin/env bash
# End-to-end throughput of an N-silo cluster on this machine:
#   eng/bench-cluster.sh [SILOS=1] [RECORDS=20000]
# Starts redis-server, `mlwatch broker` and SILOS `mlwatch silo --config silo-config/cluster.json` processes on free
# loopback ports (PostgreSQL storage in a fresh table, its own service id), waits until the silos share the Kafka
# partitions, produces RECORDS Fashion-MNIST images as fast as possible with `mlwatch produce`, and prints records/s
# from the first record produced until the label counts (GET /api/models/fashion-mnist/labels) reach RECORDS.
# Needs a built CLI (dotnet build -c Release), redis-server and PostgreSQL (eng/start-postgres.sh). Every process it
# starts is stopped on exit; logs stay in the printed directory.
set -euo pipefail
cd "$(dirname "$0")/.."

SILOS=${1:-1}
RECORDS=${2:-20000}
MLWATCH=(dotnet src/MLwatch.Cli/bin/Release/net10.0/mlwatch.dll)
PG=${MLWATCH_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=mlwatch;Password=mlwatch;Database=mlwatch_test}
RUN=$(date +%s)-$$
LOGS=${TMPDIR:-/tmp}/mlwatch-bench-$RUN
TABLE=bench_${RUN//-/_}
mkdir -p "$LOGS"
pids=()

log() { echo "bench: $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cleanup() {
    for pid in "${pids[@]}"; do { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true; done
    PGPASSWORD=mlwatch psql -X -q -h 127.0.0.1 -U mlwatch -d mlwatch_test -c "DROP TABLE IF EXISTS $TABLE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

total() { curl -s -m 5 "http://127.0.0.1:$1/api/models/fashion-mnist/labels" | python3 -c 'import json,sys; print(sum(l["count"] for l in json.load(sys.stdin)["labels"]))' 2>/dev/null || echo -1; }
owned() { curl -s -m 5 "http://127.0.0.1:$1/api/cluster" | python3 -c 'import json,sys; s=json.load(sys.stdin)["silos"]; print(len(s), sum(len([p for p in x["partitions"] if p.startswith("mlwatch.requests/")]) for x in s))' 2>/dev/null || echo "0 0"; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$LOGS/redis.log" 2>&1 &
pids+=($!)
broker_port=$(free_port)
"${MLWATCH[@]}" broker --port "$broker_port" >"$LOGS/broker.log" 2>&1 &
pids+=($!)
until grep -q "Kafka broker ready" "$LOGS/broker.log"; do sleep 0.2; done
partitions=$(grep -o 'has [0-9]* partitions' "$LOGS/broker.log" | grep -o '[0-9]*')

api_ports=()
for i in $(seq 1 "$SILOS"); do
    api=$(free_port)
    api_ports+=("$api")
    MLWATCH__Cluster__RedisConnectionString=127.0.0.1:$redis_port \
    MLWATCH__Cluster__ServiceId=bench-$RUN MLWATCH__Cluster__ClusterId=bench-$RUN \
    MLWATCH__Cluster__SiloPort=$(free_port) MLWATCH__Cluster__GatewayPort=$(free_port) \
    MLWATCH__Api__Urls=http://127.0.0.1:$api \
    MLWATCH__Kafka__BootstrapServers=127.0.0.1:$broker_port \
    MLWATCH__Storage__ConnectionString="$PG" MLWATCH__Storage__TableName=$TABLE \
    MLWATCH__Monitoring__FeedbackEnabled=false \
        "${MLWATCH[@]}" silo --config silo-config/cluster.json >"$LOGS/silo-$i.log" 2>&1 &
    pids+=($!)
    until curl -s -m 2 "http://127.0.0.1:$api/healthz" >/dev/null; do sleep 0.5; done
done
first=${api_ports[0]}
until [[ "$(owned "$first")" == "$SILOS $partitions" ]]; do sleep 0.5; done
log "$SILOS silo(s) up, sharing $partitions partitions; producing $RECORDS records (logs in $LOGS)"

started=$(date +%s.%N)
"${MLWATCH[@]}" produce --bootstrap "127.0.0.1:$broker_port" --count "$RECORDS" --rate 0 >"$LOGS/produce.log" 2>&1
produced=$(date +%s.%N)
while (( $(total "$first") < RECORDS )); do sleep 0.2; done
counted=$(date +%s.%N)
python3 - "$SILOS" "$RECORDS" "$started" "$produced" "$counted" <<'PY'
import sys
silos, records, start, produced, counted = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:])
print(f"silos={silos} records={records} produce={produced-start:.1f}s end-to-end={counted-start:.1f}s "
      f"throughput={records/(counted-start):.0f} records/s")
PY
