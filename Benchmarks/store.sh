#!/usr/bin/env bash
# Store benchmark: signs and confirms per second on the SQLite and the PostgreSQL store, with the store
# holding each of SIZES existing signatures, each beside a raw baseline measured in the same rounds (a plain
# SQLite insert loop; pgbench running the same row as an upsert). Medians of the rounds are reported, then
# the ratios; Benchmarks/store.md explains the method and the figures.
#
#   Benchmarks/store.sh [--sizes 0,1000000,10000000] [--rounds 5] [--seconds 5] [--ops 20000] [--tasks 32]
#
# --seconds and --ops bound every measured phase in time and in count; --tasks is the number of concurrent
# requests (and pgbench clients). A throwaway PostgreSQL cluster is started on 127.0.0.1 and removed at the
# end, unless COUNTERSIGN_BENCH_POSTGRES_URL names an empty database to use instead.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=0,1000000,10000000 rounds=5 seconds=5 ops=20000 tasks=32
usage() { sed -n 's/^#   \(Benchmarks\/store.sh .*\)/usage: \1/p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    --sizes) sizes=$2 ;;
    --rounds) rounds=$2 ;;
    --seconds) seconds=$2 ;;
    --ops) ops=$2 ;;
    --tasks) tasks=$2 ;;
    *) usage ;;
    esac
    shift 2
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || usage
for value in "$rounds" "$seconds" "$ops" "$tasks"; do [[ $value =~ ^[1-9][0-9]*$ ]] || usage; done
IFS=, read -r -a size_list <<<"$sizes"
previous=-1
for size in "${size_list[@]}"; do
    # The database only grows: each size adds rows to the previous one's.
    [ "$size" -gt "$previous" ] || { echo "store.sh: --sizes must be increasing" >&2; exit 2; }
    previous=$size
done

if ! command -v pgbench >/dev/null || ! command -v psql >/dev/null; then
    echo "installing Debian's postgresql package (pgbench, psql, the server)" >&2
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >&2
fi

# A release build in a scratch path of its own, so that it does not disturb debug builds in .build.
swift build -c release --product StoreBenchmark --scratch-path .build-release >&2
bench=$(swift build -c release --scratch-path .build-release --show-bin-path)/StoreBenchmark

work=$(mktemp -d "${TMPDIR:-/tmp}/countersign-store-bench.XXXXXX")
chmod 755 "$work" # the cluster runs as the postgres user when we are root
cluster=""
cleanup() {
    if [ -n "$cluster" ]; then Tests/support/postgres.sh stop "$cluster" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${COUNTERSIGN_BENCH_POSTGRES_URL:-}" ]; then
    url=$COUNTERSIGN_BENCH_POSTGRES_URL
else
    cluster=$work/postgres
    url=$(Tests/support/postgres.sh start "$cluster")
fi
sqlite=$work/sqlite/countersign.sqlite
mkdir -p "$(dirname "$sqlite")"

# The raw PostgreSQL baseline: the row the store's confirm inserts, one transaction each.
cat >"$work/raw.sql" <<'SQL'
INSERT INTO signature (petition_id, pseudonym, day, region)
VALUES (:petition, uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), :day, 'north')
ON CONFLICT DO NOTHING;
SQL

label() {
    if [ "$1" = 0 ]; then echo empty
    elif [ $(($1 % 1000000)) = 0 ]; then echo "$(($1 / 1000000))M"
    elif [ $(($1 % 1000)) = 0 ]; then echo "$(($1 / 1000))k"
    else echo "$1"; fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
results=$work/results
: >"$results"
record() { echo "$1 $2 $3" >>"$results"; }
median_of() { awk -v s="$1" -v k="$2" '$1 == s && $2 == k { print $3 }' "$results" | median; }

for size in "${size_list[@]}"; do
    name=$(label "$size")
    start=$(date +%s)
    "$bench" sqlite-populate "$sqlite" "$size"
    "$bench" postgres-populate "$url" "$size"
    echo "populated both stores to $name signatures in $(($(date +%s) - start)) s" >&2
    raw_petition=$(psql -X -At "$url" -c "SELECT id FROM petition WHERE slug = 'raw-baseline'")

    for round in $(seq 1 "$rounds"); do
        measured=$("$bench" sqlite-store "$sqlite" "$ops" "$seconds" "$tasks")
        read -r sqlite_sign sqlite_confirm <<<"$measured"
        sqlite_raw=$("$bench" sqlite-raw "$sqlite" "$ops" "$seconds")
        measured=$("$bench" postgres-store "$url" "$ops" "$seconds" "$tasks")
        read -r postgres_sign postgres_confirm <<<"$measured"
        # The same with one task: how the rate rises with concurrency.
        measured=$("$bench" postgres-store "$url" "$ops" "$seconds" 1)
        read -r _ postgres_confirm_one <<<"$measured"
        pgbench -n -M prepared -f "$work/raw.sql" -c "$tasks" -j 2 -T "$seconds" \
            -D petition="$raw_petition" -D day="$(date -u +%F)" "$url" >"$work/pgbench.log" 2>&1 \
            || { cat "$work/pgbench.log" >&2; exit 1; }
        postgres_raw=$(awk '/^tps = / { printf "%.0f", $3 }' "$work/pgbench.log")
        [ -n "$postgres_raw" ] || { cat "$work/pgbench.log" >&2; exit 1; }

        record "$size" sqlite-sign "$sqlite_sign"
        record "$size" sqlite-confirm "$sqlite_confirm"
        record "$size" sqlite-raw "$sqlite_raw"
        record "$size" postgres-sign "$postgres_sign"
        record "$size" postgres-confirm "$postgres_confirm"
        record "$size" postgres-confirm-one "$postgres_confirm_one"
        record "$size" postgres-raw "$postgres_raw"
        # Ratios within a round compare runs that shared the machine's load.
        for store in sqlite postgres; do
            for operation in sign confirm; do
                value=$(awk -v s="$size" -v k="$store-$operation" '$1 == s && $2 == k { v = $3 } END { print v }' "$results")
                raw=$(awk -v s="$size" -v k="$store-raw" '$1 == s && $2 == k { v = $3 } END { print v }' "$results")
                record "$size" "$store-$operation-ratio" "$(ratio "$value" "$raw")"
            done
        done
        echo "$name round $round/$rounds: sqlite sign $sqlite_sign/s confirm $sqlite_confirm/s raw $sqlite_raw/s;" \
            "postgres sign $postgres_sign/s confirm $postgres_confirm/s (1 task: $postgres_confirm_one/s) pgbench $postgres_raw/s" >&2
    done
done

# The populated rows and the measured confirms must have kept every petition's aggregates exact.
"$bench" sqlite-check "$sqlite"
"$bench" postgres-check "$url"

first=${size_list[0]}
last=${size_list[-1]}
echo
echo "medians of $rounds rounds; $tasks concurrent tasks; each phase at most $ops operations or $seconds s"
for size in "${size_list[@]}"; do
    name=$(label "$size")
    echo "sqlite ($name): sign $(median_of "$size" sqlite-sign)/s, confirm $(median_of "$size" sqlite-confirm)/s, raw insert transactions $(median_of "$size" sqlite-raw)/s"
    echo "postgres ($name): sign $(median_of "$size" postgres-sign)/s, confirm $(median_of "$size" postgres-confirm)/s" \
        "(1 task: $(median_of "$size" postgres-confirm-one)/s), pgbench upsert transactions $(median_of "$size" postgres-raw)/s"
done
echo "goals: sqlite sign and confirm/raw ratio >= 0.5; postgres confirm/raw ratio >= 0.3;" \
    "postgres confirm $tasks tasks/1 task ratio >= 3; sign and confirm $(label "$last")/$(label "$first") ratio >= 0.7"
for size in "${size_list[@]}"; do
    echo "postgres confirm $tasks tasks/1 task ratio ($(label "$size")):" \
        "$(ratio "$(median_of "$size" postgres-confirm)" "$(median_of "$size" postgres-confirm-one)")"
done
for store in sqlite postgres; do
    for size in "${size_list[@]}"; do
        echo "$store sign/raw ratio ($(label "$size")): $(median_of "$size" "$store-sign-ratio")"
    done
    if [ "$last" != "$first" ]; then
        for operation in sign confirm; do
            echo "$store $operation $(label "$last")/$(label "$first") ratio:" \
                "$(ratio "$(median_of "$last" "$store-$operation")" "$(median_of "$first" "$store-$operation")")"
        done
    fi
    for size in "${size_list[@]}"; do
        echo "$store confirm/raw ratio ($(label "$size")): $(median_of "$size" "$store-confirm-ratio")"
    done
done
