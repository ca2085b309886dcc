#!/usr/bin/env bash
# Surge benchmark: the release `countersign serve` (--rate-limit off, --proof-of-work off, --mail log) under RATE signers a second (1,667,
# 50 times the peak of UK Parliament's "Revoke Article 50" petition), each of whom signs, has the link read back from
# the log transport's output and confirms, while POLLERS clients read the count once a second each. The load client
# is Benchmarks/surge_client.py (asyncio, open-loop arrivals), on the same cores. First on SQLite with one instance,
# then on PostgreSQL with two instances sharing one database, one of them killed with SIGKILL halfway through.
# Goal: the whole rate held with p99 under 250 ms on SQLite; for PostgreSQL, Benchmarks/surge.md quotes what it holds.
#
#   Benchmarks/surge.sh [--seconds 60] [--rate 1667] [--pollers 1000] [--signs N] [--stores sqlite,postgres]
#
# --signs N runs for N / RATE seconds instead (the memory run: --signs 1000000). It is a benchmark, not a test: it
# exits 1 only when a count check fails (the final count against the acknowledged confirmations, or `store check`).
# COUNTERSIGN_BINARY=PATH runs another build instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60 rate=1667 pollers=1000 signs="" stores=sqlite,postgres
usage() { sed -n 's/^#   \(Benchmarks\/surge.sh .*\)/usage: \1/p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    --seconds) seconds=$2 ;;
    --rate) rate=$2 ;;
    --pollers) pollers=$2 ;;
    --signs) signs=$2 ;;
    --stores) stores=$2 ;;
    *) usage ;;
    esac
    shift 2
done
for value in "$seconds" "$rate" ${signs:+"$signs"}; do [[ $value =~ ^[1-9][0-9]*$ ]] || usage; done
[[ $pollers =~ ^[0-9]+$ ]] || usage
[[ $stores =~ ^(sqlite|postgres)(,(sqlite|postgres))*$ ]] || usage
if [ -n "$signs" ]; then seconds=$(awk -v n="$signs" -v r="$rate" 'BEGIN { printf "%.3f", n / r }'); fi

if [[ $stores == *postgres* ]] && [ ! -d /usr/lib/postgresql ]; then
    echo "installing Debian's postgresql package (the server)" >&2
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >&2
fi
# uvloop roughly halves the client's CPU; without it the client runs on the standard loop and says so.
python3 -c 'import uvloop' 2>/dev/null || python3 -m pip install -q uvloop >&2 || true

if [ -n "${COUNTERSIGN_BINARY:-}" ]; then
    countersign=$COUNTERSIGN_BINARY
else
    swift build -c release --product countersign >&2
    countersign=$(swift build -c release --show-bin-path)/countersign
fi

# 1,000 pollers hold 1,000 connections, on the client's side and on the server's.
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d "${TMPDIR:-/tmp}/countersign-surge-bench.XXXXXX")
chmod 755 "$work" # the cluster runs as the postgres user when we are root
cluster="" servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "$cluster" ]; then Tests/support/postgres.sh stop "$cluster" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
status=0

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts `countersign serve` NAME on DATABASE with the keyring KEYS; sets $port and $pid. Its stdout (the mailed
# links) goes to $work/NAME.out, its stderr (logs at level error) to $work/NAME.err.
start_serve() {
    local name=$1 database=$2 keys=$3
    port=$(free_port)
    "$countersign" serve --host 127.0.0.1 --port "$port" --database "$database" --keys "$keys" --petitions seeds \
        --mail log --public-url "http://127.0.0.1:$port" --rate-limit off --proof-of-work off --log-level error \
        >"$work/$name.out" 2>"$work/$name.err" &
    pid=$!
    servers+=("$pid")
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "surge.sh: serve $name did not start:" >&2
    cat "$work/$name.err" >&2
    exit 1
}

# Stops serve PID as an operator would (SIGTERM, which drains the mail queue) and says if it did not exit cleanly.
stop_serve() {
    local pid=$1 code=0
    kill -TERM "$pid" 2>/dev/null || return 0
    wait "$pid" || code=$?
    [ "$code" = 0 ] || echo "  serve (pid $pid) exited with status $code on SIGTERM"
}

# What the serve processes wrote to stderr: the log at level error.
server_errors() {
    local name
    for name in "$@"; do
        if [ -s "$work/$name.err" ]; then
            echo "  serve $name logged $(wc -l <"$work/$name.err") line(s) at level error or above; the first ones:"
            sort "$work/$name.err" | uniq -c | sort -rn | head -n 5 | cut -c1-146 | sed 's/^/    /'
        else
            echo "  serve $name logged nothing at level error or above"
        fi
    done
}

# The store's own recount of every petition against its maintained aggregates.
store_check() {
    local out
    if out=$("$countersign" store check --database "$1" 2>&1); then
        echo "  PASS: countersign store check: $(tr '\n' ' ' <<<"$out" | cut -c1-120)"
    else
        echo "  FAIL: countersign store check:"
        sed 's/^/    /' <<<"$out"
        status=1
    fi
}

client() { python3 Benchmarks/surge_client.py --rate "$rate" --pollers "$pollers" --seconds "$seconds" "$@" || status=1; }

run_id=$(date +%s)
if [[ $stores == *sqlite* ]]; then
    mkdir -m 700 "$work/keys-sqlite"
    database="sqlite:$work/sqlite/countersign.sqlite"
    start_serve sqlite "$database" "$work/keys-sqlite"
    client --label "SQLite, one serve instance" --goal --run "$run_id-sqlite" --instance "$port:$pid:$work/sqlite.out"
    stop_serve "$pid"
    server_errors sqlite
    store_check "$database"
    echo
fi

if [[ $stores == *postgres* ]]; then
    cluster=$work/postgres
    url=$(Tests/support/postgres.sh start "$cluster")
    postmaster=$(head -n 1 "$cluster/data/postmaster.pid")
    mkdir -m 700 "$work/keys-postgres"
    # The first instance creates the schema and the keyring; the second starts on both once they exist.
    start_serve postgres-1 "$url" "$work/keys-postgres"
    first_port=$port first_pid=$pid
    start_serve postgres-2 "$url" "$work/keys-postgres"
    disown "$pid" # the client kills it; the shell need not report that
    client --label "PostgreSQL, two serve instances on one database, instance 2 killed halfway" --run "$run_id-postgres" \
        --instance "$first_port:$first_pid:$work/postgres-1.out" --instance "$port:$pid:$work/postgres-2.out" \
        --kill 2 --postgres-pid "$postmaster"
    stop_serve "$first_pid"
    server_errors postgres-1 postgres-2
    store_check "$url"
fi
exit "$status"
