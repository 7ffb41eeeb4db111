#!/usr/bin/env bash
# A throwaway MariaDB server for the tests, on a free loopback port in a temp directory.
#   eval "$(scripts/mariadb.sh start)"   # exports JSONDUMP_MYSQL_URL and JSONDUMP_MYSQL_DIR
#   scripts/mariadb.sh stop "$JSONDUMP_MYSQL_DIR"
# Installs Debian's mariadb-server when no server binary is found. Runs the server as the mysql
# user when started as root. The database `jsondump` is created; root has no password.
set -euo pipefail
. "$(dirname "$0")/db-lib.sh"

find_server() {
  local bin
  for bin in /usr/sbin/mariadbd /usr/sbin/mysqld; do
    if [[ -x "$bin" ]] && command -v mariadb-install-db >/dev/null; then echo "$bin"; return 0; fi
  done
  return 1
}

install_mariadb() {
  apt_install mariadb-server
  # the package starts a system-wide server; the tests use their own
  if command -v service >/dev/null; then service mariadb stop >&2 || true; fi
}


start() {
  local server dir port user=() owner
  server=$(find_server) || { install_mariadb; server=$(find_server); }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/jsondump-mariadb.XXXXXX")
  chmod 755 "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown mysql: "$dir"; user=(--user=mysql); fi
  mariadb-install-db --no-defaults --datadir="$dir/data" "${user[@]}" --auth-root-authentication-method=normal \
    --skip-test-db --tmpdir="$dir" >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  port=$(free_port)
  # no binary log, a small buffer pool, no flush per commit: a disposable server on a shared machine
  "$server" --no-defaults --datadir="$dir/data" "${user[@]}" --port="$port" --bind-address=127.0.0.1 \
    --tmpdir="$dir" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/server.log" \
    --skip-log-bin --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=0 --max-allowed-packet=64M --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    if mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e 'CREATE DATABASE IF NOT EXISTS jsondump CHARACTER SET utf8mb4' 2>/dev/null; then
      echo "export JSONDUMP_MYSQL_URL=mysql://root@127.0.0.1:$port/jsondump"
      echo "export JSONDUMP_MYSQL_DIR=$dir"
      return 0
    fi
    sleep 0.5
  done
  cat "$dir/server.log" >&2
  stop "$dir"
  exit 1
}

stop() {
  local dir=${1:?usage: mariadb.sh stop DIR} pid
  if [[ -f "$dir/mysqld.pid" ]]; then
    pid=$(cat "$dir/mysqld.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
