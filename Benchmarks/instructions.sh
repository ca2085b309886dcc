#!/usr/bin/env bash
# Instructions per signature (one sign and its confirm) on the SQLite store, counted by valgrind's callgrind, for
# this tree and for a baseline revision built the same way. Instruction counts do not depend on how busy the
# machine is, so a change of a few percent shows in one run, where seconds would need many.
#
#   Benchmarks/instructions.sh [--baseline REV] [--ops 1000,3000]
#
# Each build runs the benchmark twice, with the two op counts, and the difference divided by the difference of the
# counts is the cost of one sign and confirm, without start-up and set-up. The baseline is built in a git worktree
# under .build-baseline (git-ignored), in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

baseline=HEAD~1 ops=1000,3000
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "usage: Benchmarks/instructions.sh [--baseline REV] [--ops LOW,HIGH]" >&2; exit 2; }
    case $1 in
    --baseline) baseline=$2 ;;
    --ops) ops=$2 ;;
    *) echo "usage: Benchmarks/instructions.sh [--baseline REV] [--ops LOW,HIGH]" >&2; exit 2 ;;
    esac
    shift 2
done
IFS=, read -r low high <<<"$ops"
[[ $low =~ ^[1-9][0-9]*$ && $high =~ ^[1-9][0-9]*$ && $high -gt $low ]] || { echo "--ops needs LOW,HIGH with HIGH > LOW" >&2; exit 2; }
command -v valgrind >/dev/null || { SUDO=$([ "$(id -u)" = 0 ] || echo sudo); $SUDO apt-get install -y -q valgrind >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/countersign-instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Valgrind 3.19 writes into the signal mask given to rt_sigsuspend; libdispatch's dispatch_main passes one in
# read-only memory, which crashes Valgrind. The shim hands the kernel a writable copy.
gcc -shared -fPIC -O2 -o "$work/sigsuspend_copy.so" Benchmarks/Instructions/sigsuspend_copy.c -ldl

# Builds StoreBenchmark from the tree in $1 and copies it, without debug information (which Valgrind 3.19 cannot
# read), to $2.
build() {
    (cd "$1" && swift build -c release --product StoreBenchmark --scratch-path .build-release >&2)
    cp "$1/.build-release/release/StoreBenchmark" "$2"
    strip --strip-debug "$2"
}

# Prints the instructions of one sign and confirm for the binary $1.
per_signature() {
    local counts=()
    for n in $low $high; do
        rm -f "$work/db"*
        "$1" sqlite-populate "$work/db" 0
        LD_PRELOAD="$work/sigsuspend_copy.so" valgrind --tool=callgrind --callgrind-out-file="$work/out" "$1" sqlite-store "$work/db" "$n" 3600 1 \
            >/dev/null 2>"$work/err"
        counts+=("$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/err")")
    done
    echo $(((counts[1] - counts[0]) / (high - low)))
}

rm -rf .build-baseline-tree
git worktree add --detach .build-baseline-tree "$baseline" >&2
trap 'rm -rf "$work"; git worktree remove --force .build-baseline-tree >/dev/null 2>&1 || true' EXIT
build .build-baseline-tree "$work/baseline"
build . "$work/current"
base=$(per_signature "$work/baseline")
current=$(per_signature "$work/current")
echo "instructions per sign+confirm (SQLite, 1 task): baseline $(git rev-parse --short "$baseline") $base, this tree $current"
awk -v b="$base" -v c="$current" 'BEGIN { printf "ratio this/baseline: %.3f\n", c / b }'
