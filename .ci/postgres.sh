#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the tests, in a temporary directory, on 127.0.0.1 and a
# free port, run as the unprivileged `postgres` user (CI runs as root and initdb refuses root).
#
#   source .ci/postgres.sh     # starts it, exports RASID_TEST_PG_URL; stopped and removed on exit
#   bash .ci/postgres.sh       # starts it, prints the URL, waits until interrupted, then cleans up
#
# Tuned for throwaway test data (fsync, synchronous_commit and full_page_writes off);
# RASID_PG_DURABLE=1 keeps PostgreSQL's durable defaults (for benchmarks).
#
# Installs Debian's postgresql when the binaries are missing. Never touches another cluster.
set -euo pipefail

_rasid_pg_bin() {
    local d
    for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
    return 1
}

if ! PG_BIN=$(_rasid_pg_bin); then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(_rasid_pg_bin)
fi

# the user that runs the server: postgres when we are root, else ourselves
if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id "$PG_USER" >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER"
    _rasid_as() { runuser -u "$PG_USER" -- "$@"; }
else
    PG_USER=$(id -un)
    _rasid_as() { "$@"; }
fi

RASID_PG_DIR=$(mktemp -d /tmp/rasid-pg.XXXXXX)
chmod 755 "$RASID_PG_DIR"
[ "$(id -u)" = 0 ] && chown "$PG_USER" "$RASID_PG_DIR"
RASID_PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

rasid_pg_stop() {
    if [ -n "${RASID_PG_DIR:-}" ] && [ -d "$RASID_PG_DIR" ]; then
        _rasid_as "$PG_BIN/pg_ctl" -D "$RASID_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$RASID_PG_DIR"
    fi
}
trap rasid_pg_stop EXIT INT TERM

_rasid_as "$PG_BIN/initdb" -D "$RASID_PG_DIR/data" -U rasid --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$RASID_PG_DIR/initdb.log" 2>&1 \
    || { cat "$RASID_PG_DIR/initdb.log" >&2; exit 1; }
# loopback only, the socket in our own folder; no durability unless RASID_PG_DURABLE=1
_rasid_pg_opts="-c listen_addresses=127.0.0.1 -p $RASID_PG_PORT -k $RASID_PG_DIR -c max_connections=200"
if [ "${RASID_PG_DURABLE:-0}" != 1 ]; then
    _rasid_pg_opts="$_rasid_pg_opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
_rasid_as "$PG_BIN/pg_ctl" -D "$RASID_PG_DIR/data" -l "$RASID_PG_DIR/server.log" -w -t 60 \
    -o "$_rasid_pg_opts" start >/dev/null || { cat "$RASID_PG_DIR/server.log" >&2; exit 1; }
_rasid_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$RASID_PG_PORT" -U rasid rasid

export RASID_TEST_PG_URL="postgresql://rasid@127.0.0.1:$RASID_PG_PORT/rasid"
echo "RASID_TEST_PG_URL=$RASID_TEST_PG_URL"

if [ "${BASH_SOURCE[0]}" = "$0" ]; then  # run, not sourced: keep it up until interrupted
    echo "PostgreSQL running in $RASID_PG_DIR; Ctrl-C stops and removes it" >&2
    while true; do sleep 3600 & wait $!; done
fi
