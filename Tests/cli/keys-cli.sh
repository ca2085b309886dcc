#!/usr/bin/env bash
# End-to-end checks of `countersign keys` as an operator runs it: init, list (text and JSON, never
# material), rotate, and refusal of a keyring the group or others can read.
#   bash Tests/cli/keys-cli.sh PATH-TO-countersign
set -uo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keys="$work/Keys/local"
passed=0 failed=0

check() { # name, then a command that must succeed
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

"$bin" keys init --keys "$keys" >"$work/init.out" 2>&1
check "keys init exits 0" [ $? -eq 0 ]
check "keys init writes a 0600 keyring" [ "$(stat -c %a "$keys/keyring.json")" = 600 ]
check "keys init makes a 0700 folder" [ "$(stat -c %a "$keys")" = 700 ]
check "keys init refuses to overwrite" bash -c "! '$bin' keys init --keys '$keys' 2>/dev/null"

"$bin" keys list --keys "$keys" --json >"$work/list.json"
check "keys list --json lists three primary keys" python3 - "$work/list.json" <<'PY'
import json, sys
keys = json.load(open(sys.argv[1]))
assert sorted(k["purpose"] for k in keys) == ["log", "master", "token"], keys
assert all(k["status"] == "primary" and len(k["fingerprint"]) == 16 for k in keys), keys
assert all("material" not in k for k in keys), keys
PY
check "keys list never prints material" python3 - "$keys/keyring.json" "$work/list.json" "$work/init.out" <<'PY'
import json, sys
materials = [k["material"] for k in json.load(open(sys.argv[1]))["keys"]]
for path in sys.argv[2:]:
    text = open(path).read()
    assert not any(m in text for m in materials), path
PY

"$bin" keys rotate --purpose token --keys "$keys" >/dev/null
"$bin" keys list --keys "$keys" >"$work/list.txt"
check "rotate leaves one primary and one verify-only token key" \
    [ "$(grep -c ' token  *primary' "$work/list.txt")" = 1 -a "$(grep -c ' token  *verify-only' "$work/list.txt")" = 1 ]
check "rotate leaves no temporary file" [ "$(ls "$keys" | sort | tr '\n' ' ')" = "keyring.json keyring.lock " ]

chmod 644 "$keys/keyring.json"
"$bin" keys list --keys "$keys" >"$work/refused.out" 2>&1
status=$?
check "a 0644 keyring is refused" [ $status -ne 0 ]
check "the refusal says how to fix it" grep -q "chmod 600 $keys/keyring.json" "$work/refused.out"
check "the refusal prints no key" bash -c "! grep -q material '$work/refused.out'"
chmod 600 "$keys/keyring.json"
check "after chmod 600 the keyring loads" "$bin" keys list --keys "$keys" >/dev/null

echo "keys-cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
