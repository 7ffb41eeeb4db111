#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free loopback port in a temp directory.
#   eval "$(scripts/pg.sh start)"     # exports JSONDUMP_PG_URL and JSONDUMP_PG_DIR
#   scripts/pg.sh stop "$JSONDUMP_PG_DIR"
# Installs Debian's postgresql when no server binaries are found. Runs the server as the
# postgres user when started as root (PostgreSQL refuses to run as root).
set -euo pipefail
. "$(dirname "$0")/db-lib.sh"

find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  done
  return 1
}


as_server_user() {
  # from /: the caller's directory may be one only its owner can read (a private checkout)
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}


start() {
  local bindir dir port
  bindir=$(find_bindir) || { apt_install postgresql; bindir=$(find_bindir); }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/jsondump-pg.XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  # fsync off and small buffers: a disposable test server on a shared machine
  # (JSONDUMP_PG_SHARED_BUFFERS: the benchmark's server holds its table in its own buffers)
  as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=${JSONDUMP_PG_SHARED_BUFFERS:-32MB}" >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export JSONDUMP_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "export JSONDUMP_PG_DIR=$dir"
}

stop() {
  local dir=${1:?usage: pg.sh stop DIR} bindir
  bindir=$(find_bindir)
  if [[ -d "$dir/data" ]]; then as_server_user "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true; fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
