#!/usr/bin/env bash
# Crypto benchmark: pseudonym HMACs and token verifications per second, each beside `openssl speed -hmac
# sha256 -bytes 64` measured in the same run. Rounds interleave the two so that load from other tenants
# of this shared machine hits both alike; medians are reported, and the last line is the ratio of
# pseudonym HMACs to openssl's figure (goal: at least 0.5).
#
#   Benchmarks/crypto.sh [ROUNDS] [SECONDS]      defaults: 5 rounds of 2 seconds
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-2}

swift build -c release --product CryptoBenchmark >&2
bench=$(swift build -c release --show-bin-path)/CryptoBenchmark

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

openssl_rates=() pseudonym_rates=() canonical_rates=() verify_rates=() ratios=()
for round in $(seq 1 "$rounds"); do
    ops=$(openssl speed -hmac sha256 -bytes 64 -seconds "$seconds" -mr 2>&1 | awk -F: '/^\+R:/ { printf "%.0f", $2 / $4 }')
    pseudonyms=$("$bench" pseudonym "$seconds")
    canonical=$("$bench" canonical-pseudonym "$seconds")
    verifies=$("$bench" token-verify "$seconds")
    ratio=$(awk -v a="$pseudonyms" -v b="$ops" 'BEGIN { printf "%.3f", a / b }')
    echo "round $round: openssl hmac(sha256) 64 B ${ops}/s, pseudonyms ${pseudonyms}/s (ratio $ratio), canonicalize+pseudonym ${canonical}/s, token verifications ${verifies}/s" >&2
    openssl_rates+=("$ops") pseudonym_rates+=("$pseudonyms") canonical_rates+=("$canonical") verify_rates+=("$verifies") ratios+=("$ratio")
done

printf 'median openssl speed -hmac sha256 -bytes 64: %s ops/s\n' "$(printf '%s\n' "${openssl_rates[@]}" | median)"
printf 'median pseudonyms/s (HMAC of a 64-byte message): %s\n' "$(printf '%s\n' "${pseudonym_rates[@]}" | median)"
printf 'median canonicalize + pseudonym/s: %s\n' "$(printf '%s\n' "${canonical_rates[@]}" | median)"
printf 'median canonicalize + pseudonym / openssl (ASCII addresses, goal >= 0.25): %s\n' "$(awk -v a="$(printf '%s\n' "${canonical_rates[@]}" | median)" -v b="$(printf '%s\n' "${openssl_rates[@]}" | median)" 'BEGIN { printf "%.3f", a / b }')"
printf 'median token verifications/s: %s\n' "$(printf '%s\n' "${verify_rates[@]}" | median)"
printf 'median token verifications / openssl: %s\n' "$(awk -v a="$(printf '%s\n' "${verify_rates[@]}" | median)" -v b="$(printf '%s\n' "${openssl_rates[@]}" | median)" 'BEGIN { printf "%.3f", a / b }')"
printf 'pseudonym/openssl ratio (median of %s rounds, goal >= 0.5): %s\n' "$rounds" "$(printf '%s\n' "${ratios[@]}" | median)"
