#!/bin/sh
# A throwaway PostgreSQL server for the ledger tests and bench, in a folder
# of its own: no system cluster, no TCP port (a Unix socket in the folder).
# Recipe: ../shared/notes/postgres-test-server.md.
#
# Usage: tests/tools/pg-server.sh start DIR   prints the libpq connection
#                                             string of database "postgres"
#        tests/tools/pg-server.sh stop DIR    stops it and removes DIR
# DIR must be new or empty and short (the socket path has a 107-byte cap).
# As root, initdb and postgres run as the Debian package's "postgres" user
# (they refuse root).  Needs the Debian package postgresql (scripts/deps.sh
# test installs it); without it, start fails saying so: the tests never skip.
# FSYNC=on keeps fsync (the bench); tests turn it off (a killed client is
# what they test, not a killed server).
set -eu
cmd=${1:-}
D=${2:-}
[ -n "$cmd" ] && [ -n "$D" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg-server: PostgreSQL's server is not installed (Debian package postgresql;" >&2
  echo "           scripts/deps.sh test installs it)" >&2
  exit 1
fi
RUN=""
if [ "$(id -u)" = 0 ]; then RUN="runuser -u postgres --"; fi
case $cmd in
start)
  mkdir -p "$D"
  [ -z "$RUN" ] || chown postgres "$D"
  if ! $RUN "$PGBIN/initdb" -D "$D/data" -A trust -U vncert -E UTF8 --no-locale \
      >"$D/initdb.log" 2>&1; then
    echo "pg-server: initdb failed:" >&2; cat "$D/initdb.log" >&2; exit 1
  fi
  fsync=off
  [ "${FSYNC:-off}" = on ] && fsync=on
  if ! $RUN "$PGBIN/pg_ctl" -D "$D/data" -l "$D/log" -w \
      -o "-k $D -c listen_addresses= -c fsync=$fsync -c max_connections=40" \
      start >/dev/null 2>&1; then
    echo "pg-server: the server did not start:" >&2; cat "$D/log" >&2; exit 1
  fi
  echo "host=$D user=vncert dbname=postgres"
  ;;
stop)
  if [ -d "$D/data" ]; then
    $RUN "$PGBIN/pg_ctl" -D "$D/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$D"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
