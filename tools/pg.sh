#!/usr/bin/env bash
# A private PostgreSQL cluster in a directory of ours, never the system one.
#
#   tools/pg.sh start DIR PORT   initialise (first time) and start; prints
#                                the libpq connection string
#   tools/pg.sh stop DIR         fast shutdown
#   tools/pg.sh standby DIR PORT PRIMARY_PORT
#                                a streaming standby of the cluster on
#                                PRIMARY_PORT (pg_basebackup -R, first
#                                time), started; prints its connection string
#   tools/pg.sh promote DIR      makes a standby the primary
#   tools/pg.sh synchronous DIR PORT [off]
#                                makes the primary in DIR wait, at every
#                                commit, until a standby has applied it
#                                (so an acknowledgement survives the
#                                primary, and reads on the standby see it);
#                                `off`: commits wait for no standby again
#
# OFWATCH_PG_OPTIONS adds server options (e.g. for profiling:
# "-c shared_preload_libraries=pg_stat_statements").
#
# initdb refuses to run as root, so as root the cluster belongs to the
# unprivileged `postgres` user and every command runs through runuser.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:?usage: pg.sh start DIR PORT | stop DIR}
dir=$(realpath -m "${2:?directory}")

case "$cmd" in
start)
  port=${3:?port}
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    # The owner must be able to reach the directory through its parents.
    p=$dir; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100 ${OFWATCH_PG_OPTIONS:-}" start >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; exit 1; }
  fi
  as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'ofwatch'" | grep -q 1 \
    || as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres ofwatch
  echo "host=127.0.0.1 port=$port user=postgres dbname=ofwatch"
  ;;
standby)
  port=${3:?port} primary=${4:?primary port}
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/data" \
      -R -X stream -c fast >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  fi
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c cluster_name=standby ${OFWATCH_PG_OPTIONS:-}" start >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; exit 1; }
  fi
  echo "host=127.0.0.1 port=$port user=postgres dbname=ofwatch"
  ;;
promote)
  as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 60 promote >/dev/null
  ;;
synchronous)
  port=${3:?port}
  if [ "${4:-on}" = off ]; then
    set_names="ALTER SYSTEM RESET synchronous_standby_names" set_commit="ALTER SYSTEM RESET synchronous_commit"
  else
    set_names="ALTER SYSTEM SET synchronous_standby_names = '*'"
    set_commit="ALTER SYSTEM SET synchronous_commit = 'remote_apply'"
  fi
  as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "$set_names" \
    -c "$set_commit" -c "SELECT pg_reload_conf ()" >/dev/null
  ;;
stop)
  [ -f "$dir/data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
*)
  echo "usage: pg.sh start DIR PORT | stop DIR | standby DIR PORT PRIMARY_PORT | promote DIR | synchronous DIR PORT" >&2; exit 2 ;;
esac
