#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and for development: initdb in a temporary folder, a free
# port on 127.0.0.1, started as an unprivileged user (postgres refuses to run as root), password login
# (scram-sha-256) for TCP so the tests can exercise .pgpass and wrong passwords.
#
#   eval "$(.ci/pg_cluster.sh start)"     # starts one; prints the export lines below (plus SELFCHECK_PG_DIR)
#   .ci/pg_cluster.sh stop "$SELFCHECK_PG_DIR"
#
# Exports: SELFCHECK_TEST_PG_URL (a superuser of this cluster, database postgres; the password is not in
# the URL), PGPASSFILE (the password, in the format libpq reads) and SELFCHECK_PG_DIR (the folder to stop
# and remove). Tests marked for both engines create one database each on this server and drop it.
# Needs initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql).
set -euo pipefail

find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    echo "pg_cluster: initdb not found (apt-get install postgresql)" >&2
    exit 2
  fi
  echo "$d"
}

# run a command as the unprivileged cluster owner when we are root, else as ourselves
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$OWNER" -- "$@"
  else
    "$@"
  fi
}

pick_owner() {
  if [ "$(id -u)" != 0 ]; then
    OWNER=$(id -un)
  elif id -u selfcheck-pg >/dev/null 2>&1; then
    OWNER=selfcheck-pg
  else
    # a dedicated system user without a login shell or home: owns only the throwaway cluster
    useradd --system --no-create-home --shell /usr/sbin/nologin selfcheck-pg >/dev/null 2>&1 || true
    if id -u selfcheck-pg >/dev/null 2>&1; then OWNER=selfcheck-pg; else OWNER=nobody; fi
  fi
}

free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

start() {
  local bin dir port pw
  bin=$(find_bin)
  pick_owner
  dir=${1:-$(mktemp -d /tmp/selfcheck-pg.XXXXXX)}
  mkdir -p "$dir"
  chmod 0755 "$dir"
  port=$(free_port)
  pw=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
  mkdir -p "$dir/data" "$dir/run"
  umask 077
  printf '%s\n' "$pw" >"$dir/superuser.pw"
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$dir/data" "$dir/run" "$dir/superuser.pw"
  # -k: data checksums (what the app reports in `selfcheck db status`); UTF8 and the C.UTF-8 locale so
  # ORDER BY on text sorts by code point, as SQLite does
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/superuser.pw" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 -k >"$dir/initdb.log" 2>&1 || {
    echo "pg_cluster: initdb failed, see $dir/initdb.log" >&2
    exit 2
  }
  rm -f "$dir/superuser.pw"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -w -t 60 \
    -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null || {
    echo "pg_cluster: the server did not start, see $dir/run/server.log" >&2
    exit 2
  }
  umask 077
  printf '127.0.0.1:%s:*:postgres:%s\n' "$port" "$pw" >"$dir/pgpass"
  echo "export SELFCHECK_PG_DIR=$dir"
  echo "export SELFCHECK_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  echo "export PGPASSFILE=$dir/pgpass"
  echo "pg_cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (owner $OWNER), folder $dir" >&2
}

stop() {
  local dir=${1:-${SELFCHECK_PG_DIR:-}}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "pg_cluster: no cluster folder given (stop DIR)" >&2
    exit 2
  fi
  local bin
  bin=$(find_bin)
  pick_owner
  OWNER=$(stat -c %U "$dir/data")
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [DIR] | stop DIR" >&2; exit 2 ;;
esac
