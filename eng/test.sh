#!/usr/bin/env bash
# The one test command: installs and starts what the tests need (PostgreSQL, redis-server, prometheus, Chromium; idempotently), then runs the whole suite.
#   eng/test.sh                 # everything
#   eng/test.sh --filter X      # extra arguments go to `dotnet test`
# Needs root for apt-get and PostgreSQL (CI and the dev machines run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "test.sh: $*" >&2; }

# Installs Debian package $2 when command $1 is missing. Output goes to a file, not our stdout/stderr: a daemon the
# package may start must not hold the caller's pipes open.
apt_updated=false
install_missing() {
    local command=$1 package=$2
    if command -v "$command" >/dev/null 2>&1; then
        return
    fi
    log "$command not found; installing $package with apt-get."
    if ! (export DEBIAN_FRONTEND=noninteractive
          if [[ $apt_updated == false ]]; then apt-get update; fi
          apt-get install -y --no-install-recommends "$package") </dev/null >"/tmp/mlwatch-apt-$package.log" 2>&1; then
        tail -20 "/tmp/mlwatch-apt-$package.log" >&2
        exit 1
    fi
    apt_updated=true
}

# The cluster tests start their own redis-server per test (a free port, no persistence): only the binary is needed.
install_missing redis-server redis-server
# The network-namespace cluster test builds its hosts with `ip netns` and forwards the embedded broker's port with socat.
install_missing ip iproute2
install_missing socat socat

# The metrics tests run Debian's prometheus and promtool themselves, on a config they write: only the binaries are
# needed, and the package's own service must not start (a policy-rc.d that says no, unless the machine has one).
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
    log "prometheus not found; installing it with apt-get (without starting its service)."
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' > "$policy"
        chmod +x "$policy"
    fi
    installed=0
    (export DEBIAN_FRONTEND=noninteractive; apt-get update && apt-get install -y --no-install-recommends prometheus) </dev/null >/tmp/mlwatch-apt-prometheus.log 2>&1 || installed=$?
    if [ -n "$policy" ]; then rm -f "$policy"; fi
    if [ "$installed" -ne 0 ]; then
        tail -20 /tmp/mlwatch-apt-prometheus.log >&2
        exit 1
    fi
fi

export MLWATCH_TEST_POSTGRES
MLWATCH_TEST_POSTGRES=$(bash eng/start-postgres.sh mlwatch_test)
log "PostgreSQL ready: ${MLWATCH_TEST_POSTGRES/Password=*;/Password=***;}"
# A cluster of its own for the storage-outage test, which stops and starts it (never the shared one above).
export MLWATCH_TEST_POSTGRES_OUTAGE
MLWATCH_TEST_POSTGRES_OUTAGE=$(bash eng/start-postgres-outage.sh mlwatch_test)
log "PostgreSQL for the outage test ready: ${MLWATCH_TEST_POSTGRES_OUTAGE/Password=*;/Password=***;}"

bash eng/install-chromium.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
started=$(date +%s)
dotnet build MLwatch.sln -c Release -warnaserror
# The output is kept so that a failure is summed up last, where a reader of the log's tail (CI) sees it.
output=$(mktemp /tmp/mlwatch-test-XXXXXX.log)
status=0
dotnet test MLwatch.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$output" || status=$?
log "suite finished in $(( $(date +%s) - started )) s"
if [ "$status" -ne 0 ]; then
    log "FAILED (dotnet test exit code $status). Each failed test with its message follows; the whole output is in $output."
    awk '/^  Failed |[Tt]est host process crashed|[Tt]est [Rr]un [Aa]borted/ { show = 1 } /^  Stack Trace:/ { show = 0 } show' "$output" >&2
    exit "$status"
fi
