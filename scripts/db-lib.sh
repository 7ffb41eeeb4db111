# Shared by scripts/pg.sh and scripts/mariadb.sh (sourced, not run).

# Installs Debian packages quietly (the scripts run as root in CI).
apt_install() {
  echo "$(basename "$0"): installing $*" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "$@" >&2
}

# A TCP port on the loopback interface that nothing listens on now.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}
