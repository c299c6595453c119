#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests of the PostgreSQL index
# backend, and print the URL to export as QUOTECHECK_TEST_POSTGRES:
#
#     export QUOTECHECK_TEST_POSTGRES=$(bash scripts/start_postgres.sh)
#
# Uses Debian's postgresql package (initdb, pg_ctl; PG_BIN overrides where they
# are). The cluster lives in a new temporary directory, listens on 127.0.0.1
# only, on PORT (default 54329), trusts local connections (a test server: never
# for real data) and is stopped with: pg_ctl -D "$DIR" stop (DIR is printed on
# stderr). Run as root, it runs the server as the postgres user.
set -euo pipefail
PORT=${PORT:-54329}
if [ -z "${PG_BIN:-}" ]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
fi
[ -x "${PG_BIN:-}/initdb" ] || { echo "start_postgres: no initdb (install Debian's postgresql package, or set PG_BIN)" >&2; exit 1; }
DIR=$(mktemp -d /tmp/quotecheck-pg.XXXXXX)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
as_owner "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200" start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
echo "start_postgres: server in $DIR/data on port $PORT (stop: $PG_BIN/pg_ctl -D $DIR/data stop)" >&2
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
