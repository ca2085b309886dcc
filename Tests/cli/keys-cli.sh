#!/usr/bin/env bash
# End-to-end checks of `countersign keys` as an operator runs it: init, list (text and JSON, never
# material), rotate, refusal of a keyring the group or others can read, a master rotation that re-wraps
# 2,000 petition keys with progress lines, and destroy refused until the re-wrap made it safe.
#   bash Tests/cli/keys-cli.sh PATH-TO-countersign
set -uo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keys="$work/Keys/local"
# Key commands log to the audit log in this database.
export COUNTERSIGN_DATABASE="sqlite:$work/data/countersign.sqlite"
# The service's public URL names the audit log until serve has named it.
export COUNTERSIGN_PUBLIC_URL="http://127.0.0.1:8080"
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

check "keys list prints the audit log's verifier key" bash -c "'$bin' keys list --keys '$keys' | grep -Eq '^Audit log verifier key: 127.0.0.1:8080/audit\+[0-9a-f]{8}\+'"

mkdir "$work/petitions"
python3 - "$work/petitions" <<'PY'
import sys
for n in range(2000):
    open(f"{sys.argv[1]}/p{n}.petition", "w").write(f"Slug: petition-{n}\nTitle: Petition {n}\n\nText {n}.\n")
PY
"$bin" petition provision --petitions "$work/petitions" --keys "$keys" >"$work/provision.out"
check "petition provision creates 2,000 petitions" grep -q "Created 2000 of 2000" "$work/provision.out"
old_master=$("$bin" keys list --keys "$keys" --json | python3 -c 'import json,sys; print([k["kid"] for k in json.load(sys.stdin) if k["purpose"] == "master"][0])')
"$bin" keys destroy "$old_master" --keys "$keys" >"$work/destroy-primary.out" 2>&1
check "the primary master key cannot be destroyed" grep -q "rotate it first" "$work/destroy-primary.out"
"$bin" keys rotate --purpose master --keys "$keys" >"$work/rotate.out" 2>"$work/rotate.err"
check "a master rotation re-wraps every petition key" grep -q "Re-wrapped 2000 petition key(s)" "$work/rotate.out"
check "without a terminal, progress is plain lines ending at 100%" grep -q "^re-wrapping petition keys: 2000/2000 (100%)$" "$work/rotate.err"
"$bin" keys destroy "$old_master" --keys "$keys" >"$work/destroy.out" 2>&1
check "after the re-wrap the old master key can be destroyed" grep -q "Destroyed master key $old_master" "$work/destroy.out"
check "the audit log records the re-wrap before the destroy" python3 - "$work/data/countersign.sqlite" "$old_master" <<'PY'
import sqlite3, sys
entries = [row[0] for row in sqlite3.connect(sys.argv[1]).execute("SELECT entry FROM audit_entry ORDER BY seq")]
rewrap = [i for i, e in enumerate(entries) if e.startswith(f"type=master-rewrapped previous={sys.argv[2]} ") and "petitions=2000" in e]
destroy = [i for i, e in enumerate(entries) if e.startswith(f"type=key-destroyed purpose=master kid={sys.argv[2]} ")]
assert rewrap and destroy and rewrap[0] < destroy[0], entries[-5:]
PY
"$bin" petition shred petition-1 >"$work/shred.out" 2>&1
check "an open petition cannot be shredded" grep -q "close it, then shred it" "$work/shred.out"

echo "keys-cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
