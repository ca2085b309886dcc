#!/usr/bin/env bash
# HTTP benchmark: wrk against a hello-world Hummingbird 2 server (Benchmarks/HelloBenchmark) and against
# `countersign serve` (SQLite, --rate-limit off, --proof-of-work off, --mail log), both release builds on loopback, in the same run.
# Each round measures hello-world, then sign, hello-world, confirm, hello-world, the count read (A B A B), so that
# load from other tenants of this shared machine hits both sides alike; each ratio is to the hello-world run just
# before it, and the medians over the rounds are printed last. Goals: sign >= 0.5, confirm >= 0.6, count >= 0.8.
#
#   Benchmarks/http.sh [ROUNDS] [SECONDS] [CONNECTIONS]      defaults: 3 rounds, 10 s, 64 connections
#
# Signs use a fresh address each (a wrk Lua script), so the per-address mail cap never short-cuts them; confirms
# use the links the sign rounds mailed (read from the log transport's output), each once while they last; a replay
# answers already-confirmed, a 200 on the same path.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
connections=${3:-64}
threads=2
slug=amazon-cut-ties-with-police-and-ice

if ! command -v wrk >/dev/null; then
    SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
    $SUDO apt-get install -y -q wrk >&2
fi
swift build -c release --product countersign >&2
swift build -c release --product HelloBenchmark >&2
bin=$(swift build -c release --show-bin-path)

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
read -r hello_port app_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')

"$bin/HelloBenchmark" "$hello_port" >/dev/null 2>&1 &
mkdir -m 700 "$work/keys"
"$bin/countersign" serve --port "$app_port" --database "sqlite:$work/db.sqlite" --keys "$work/keys" --petitions seeds \
    --mail log --public-url "http://127.0.0.1:$app_port" --rate-limit off --proof-of-work off --log-level error >"$work/mail.log" 2>&1 &
for port in "$hello_port" "$app_port"; do
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/${port/$app_port/healthz}" >/dev/null && break; sleep 0.1; done
done

# wrk gives each thread its own Lua state with the same random seed, so addresses are told apart by the thread's
# number (set in setup) and the round (passed after --), never by math.random.
cat >"$work/sign.lua" <<EOF
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
local n, round = 0, "0"
init = function(args) round = args[1] or "0" end
request = function()
    n = n + 1
    local body = string.format('{"email":"b%s.%d.%d@example.org"}', round, id, n)
    return wrk.format("POST", "/api/petitions/$slug/signatures", { ["Content-Type"] = "application/json" }, body)
end
EOF
# Each thread confirms its own share of the mailed links, in order, so that each is confirmed once while they last.
cat >"$work/confirm.lua" <<EOF
local threads = 0
setup = function(thread) thread:set("id", threads); threads = threads + 1 end
local tokens, n = {}, 0
init = function(args)
    for line in io.lines("$work/tokens.txt") do tokens[#tokens + 1] = line end
    n = math.floor(#tokens * id / $threads)
end
request = function()
    n = n % #tokens + 1
    return wrk.format("POST", "/api/confirmations", { ["Content-Type"] = "application/json" }, '{"token":"' .. tokens[n] .. '"}')
end
EOF

# Requests per second of one wrk run, and a warning on stderr if any answer was not 2xx.
run() {
    local name=$1 url=$2 script=${3:-} argument=${4:-}
    local out
    out=$(wrk -t "$threads" -c "$connections" -d "${seconds}s" ${script:+-s "$script"} "$url" ${argument:+-- "$argument"})
    if grep -q "Non-2xx" <<<"$out"; then echo "  $name: $(grep Non-2xx <<<"$out")" >&2; fi
    awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

hellos=() signs=() confirms=() counts=() sign_ratios=() confirm_ratios=() count_ratios=()
for round in $(seq 1 "$rounds"); do
    h1=$(run hello "http://127.0.0.1:$hello_port/")
    s=$(run sign "http://127.0.0.1:$app_port/" "$work/sign.lua" "$round")
    sleep 2  # let the mail queue write out the links
    grep -o 'confirm/[A-Za-z0-9_-]*' "$work/mail.log" | cut -d/ -f2 >"$work/tokens.txt"
    h2=$(run hello "http://127.0.0.1:$hello_port/")
    c=$(run confirm "http://127.0.0.1:$app_port/" "$work/confirm.lua")
    h3=$(run hello "http://127.0.0.1:$hello_port/")
    r=$(run count "http://127.0.0.1:$app_port/api/petitions/$slug")
    echo "round $round: hello $h1/s, sign $s/s ($(ratio "$s" "$h1")); hello $h2/s, confirm $c/s ($(ratio "$c" "$h2"));" \
        "hello $h3/s, count $r/s ($(ratio "$r" "$h3")); $(wc -l <"$work/tokens.txt") links mailed so far" >&2
    hellos+=("$h1" "$h2" "$h3") signs+=("$s") confirms+=("$c") counts+=("$r")
    sign_ratios+=("$(ratio "$s" "$h1")") confirm_ratios+=("$(ratio "$c" "$h2")") count_ratios+=("$(ratio "$r" "$h3")")
done

printf 'median hello-world: %s req/s\n' "$(printf '%s\n' "${hellos[@]}" | median)"
printf 'median sign: %s req/s, ratio %s (goal >= 0.5)\n' "$(printf '%s\n' "${signs[@]}" | median)" "$(printf '%s\n' "${sign_ratios[@]}" | median)"
printf 'median confirm: %s req/s, ratio %s (goal >= 0.6)\n' "$(printf '%s\n' "${confirms[@]}" | median)" "$(printf '%s\n' "${confirm_ratios[@]}" | median)"
printf 'median count read: %s req/s, ratio %s (goal >= 0.8)\n' "$(printf '%s\n' "${counts[@]}" | median)" "$(printf '%s\n' "${count_ratios[@]}" | median)"
