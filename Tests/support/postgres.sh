#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, from Debian's postgresql package:
#   Tests/support/postgres.sh start DIR   initdb in DIR, listen on 127.0.0.1 on a free port, print the URL
#   Tests/support/postgres.sh stop DIR    stop it and remove DIR
#   Tests/support/postgres.sh crash DIR   SIGKILL the server and all its processes, as a power cut would
#   Tests/support/postgres.sh restart DIR start it again on the same port (after crash: crash recovery)
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
set -euo pipefail
command=${1:?start|stop}
dir=${2:?cluster folder}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "postgres.sh: no PostgreSQL server found; install Debian's postgresql package" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_server() {
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$(cat "$dir/port") -c unix_socket_directories='$dir' -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$dir/server.log" >&2; exit 1; }
}

case $command in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$dir/data" -U countersign --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync stays on: the crash test kills the server and expects committed work to survive.
    echo "$port" >"$dir/port"
    start_server
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U countersign countersign_test
    echo "postgres://countersign@127.0.0.1:$port/countersign_test?sslmode=disable"
    ;;
crash)
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    children=$(pgrep -P "$pid" || true)
    kill -KILL "$pid" $children
    # Wait until it is gone; a dead server nobody has reaped yet counts as gone.
    while [ -e "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.05; done
    # An unreaped server still answers kill(pid, 0), which would make the restart refuse its lock files;
    # the server is known dead here, so they are stale.
    rm -f "$dir/data/postmaster.pid" "$dir/.s.PGSQL.$(cat "$dir/port").lock"
    ;;
restart)
    start_server
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|crash|restart DIR" >&2
    exit 2
    ;;
esac
