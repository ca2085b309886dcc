#!/usr/bin/env bash
# Export benchmark: region exports per second through PetitionExport (maintained aggregates, suppression, CSV,
# the privacy ledger) on a SQLite store holding each of SIZES signatures, beside the raw baseline of counting the
# same table from the signature rows with one SQLite query, measured in the same rounds. Prints medians, then the
# ratios: an export should cost the same at every size, while the raw count grows with the rows.
#
#   Benchmarks/export.sh [--sizes 0,1000000] [--rounds 5] [--seconds 3]
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=0,1000000 rounds=5 seconds=3
usage() { sed -n 's/^#   \(Benchmarks\/export.sh .*\)/usage: \1/p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    --sizes) sizes=$2 ;;
    --rounds) rounds=$2 ;;
    --seconds) seconds=$2 ;;
    *) usage ;;
    esac
    shift 2
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || usage
for value in "$rounds" "$seconds"; do [[ $value =~ ^[1-9][0-9]*$ ]] || usage; done
IFS=, read -r -a size_list <<<"$sizes"

# The release build shares store.sh's scratch path.
swift build -c release --product StoreBenchmark --scratch-path .build-release >&2
bench=$(swift build -c release --scratch-path .build-release --show-bin-path)/StoreBenchmark

work=$(mktemp -d "${TMPDIR:-/tmp}/countersign-export-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A export_median count_median
for size in "${size_list[@]}"; do
    db="$work/size-$size.sqlite"
    "$bench" sqlite-populate "$db" "$size" >&2
    exports=() counts=()
    for round in $(seq "$rounds"); do
        exports+=("$("$bench" sqlite-export "$db" "$seconds")")
        counts+=("$("$bench" sqlite-count "$db" "$seconds")")
        echo "size $size round $round: export ${exports[-1]}/s, raw count ${counts[-1]}/s" >&2
    done
    export_median[$size]=$(printf '%s\n' "${exports[@]}" | median)
    count_median[$size]=$(printf '%s\n' "${counts[@]}" | median)
done

ratio() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { printf f, a / b }'; }
base=${size_list[0]}
printf '%-12s %14s %14s %14s\n' signatures "exports/s" "raw counts/s" "export/raw"
for size in "${size_list[@]}"; do
    printf '%-12s %14.0f %14.0f %14s\n' "$size" "${export_median[$size]}" "${count_median[$size]}" \
        "$(ratio "${export_median[$size]}" "${count_median[$size]}" %.2f)"
done
for size in "${size_list[@]:1}"; do
    echo "size $size against $base: export ratio $(ratio "${export_median[$size]}" "${export_median[$base]}" %.2f)," \
        "raw count ratio $(ratio "${count_median[$size]}" "${count_median[$base]}" %.4f)"
done
