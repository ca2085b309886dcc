#!/usr/bin/env bash
# Builds every libFuzzer harness in Tests/fuzz/harnesses/ and runs each for SECONDS on its seed corpus
# (Tests/fuzz/corpus/NAME/), one after the other. Prints, per harness, the runs executed and the result, and exits
# non-zero if any harness crashed, leaked, timed out or broke a property. Docs/fuzzing.md says what each one covers.
#
#   Tests/fuzz/run.sh SECONDS [NAME...]      e.g. Tests/fuzz/run.sh 20, or Tests/fuzz/run.sh 600 token
#
# The harnesses need no server dependency: CountersignCrypto and CountersignCore are compiled here with swiftc, with
# the fuzzer and address sanitizers, into .build/fuzz/, against the system OpenSSL and libidn2. The corpus a run grows
# stays in .build/fuzz/corpus/NAME/ (never committed); a crashing input is saved in .build/fuzz/artifacts/NAME/.
set -euo pipefail

seconds=${1:?usage: Tests/fuzz/run.sh SECONDS [NAME...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fuzz=Tests/fuzz
out=.build/fuzz
swiftc=${SWIFTC:-swiftc}
flags=(-sanitize=fuzzer,address -parse-as-library -O -enable-testing -swift-version 6
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -I "$out/modules" -I Sources/COpenSSL -I Sources/CIDN2)
mkdir -p "$out/modules" "$out/bin" "$out/logs"
# Swift's own crash handler reads the crashed process's memory, which AddressSanitizer reports as a second error;
# libFuzzer reports the crash and saves the input without it.
export SWIFT_BACKTRACE=enable=no

# Whether $1 is missing or older than any file under the other arguments.
stale() {
    local target=$1
    shift
    [ ! -e "$target" ] || [ -n "$(find "$@" -newer "$target" -print -quit)" ]
}

# Compiles the library target $1 (Sources/$1) into $out/lib$1.a and its module into $out/modules, if it or a library
# it imports (the other arguments) changed.
library() {
    local name=$1
    shift
    local sources=("Sources/$name")
    for dependency in "$@"; do sources+=("Sources/$dependency"); done
    if stale "$out/lib$name.a" "${sources[@]}" Sources/COpenSSL Sources/CIDN2 "$fuzz/run.sh"; then
        echo "building $name with -sanitize=fuzzer,address"
        "$swiftc" "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
            -emit-library -static -o "$out/lib$name.a" $(find "Sources/$name" -name '*.swift' | sort)
    fi
}

library CountersignCrypto
library CountersignCore CountersignCrypto

if [ $# -gt 0 ]; then names=("$@"); else names=($(cd "$fuzz/harnesses" && ls *.swift | sed 's/\.swift$//')); fi
failed=0
for name in "${names[@]}"; do
    harness=$fuzz/harnesses/$name.swift
    seeds=$fuzz/corpus/$name
    binary=$out/bin/$name
    log=$out/logs/$name.log
    if [ ! -f "$harness" ] || [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
        echo "$name: FAILED: needs $harness and a seed corpus in $seeds/"
        failed=1
        continue
    fi
    if stale "$binary" "$harness" "$fuzz/support" "$out/libCountersignCore.a" "$out/libCountersignCrypto.a"; then
        "$swiftc" "${flags[@]}" -use-ld=lld "$fuzz"/support/*.swift "$harness" \
            -L "$out" -lCountersignCore -lCountersignCrypto -lcrypto -lidn2 -o "$binary"
    fi
    mkdir -p "$out/corpus/$name" "$out/artifacts/$name"
    status=0
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/$name/" "$out/corpus/$name" "$seeds" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$status" -eq 0 ]; then
        echo "$name: ${runs:-0} runs in ${seconds} s, 0 crashes"
    else
        echo "$name: FAILED (exit $status) after ${runs:-?} runs; log $log, input in $out/artifacts/$name/"
        grep -E 'ERROR|fuzz property broken|Fatal error|SUMMARY|Test unit written' "$log" | head -n 8 | sed 's/^/    /'
        failed=1
    fi
done
exit "$failed"
