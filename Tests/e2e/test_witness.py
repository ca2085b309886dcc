"""Witnesses (C2SP tlog-witness and tlog-cosignature) against the real binary, on SQLite and PostgreSQL:
`countersign witness init` and `witness serve`, `serve --witness URL=VERIFIER`, and `audit verify --witness`.

The attacks: a split view (a second checkpoint of the size the witness already cosigned, signed with the real log key)
is refused by the witness with 409, and an auditor who requires the witness fails it; a stale checkpoint fails
`--max-age`. The cosignature is checked by the Python snippet printed in Docs/auditing.md, run from there.
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import time
import uuid

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from test_service import BINARY, ROOT, SLUG, cli, database_for, free_ports, link, messages, start_service, wait_for

WITNESS = "witness.test/w1"


def doc_snippet():
    """`verify_cosignature` exactly as Docs/auditing.md prints it."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "Docs" / "auditing.md").read_text(), re.S)
    [code] = [block for block in blocks if "def verify_cosignature" in block]
    namespace = {}
    exec(code, namespace)
    return namespace["verify_cosignature"]


@pytest.fixture(params=["sqlite", "postgres"])
def witnessed(request, tmp_path):
    """A witness and a service that submits to it; the witness starts once the service has a log key to trust."""
    witness_port, = free_ports(1)
    key = tmp_path / "witness.key"
    init = subprocess.run([str(BINARY), "witness", "init", "--key", str(key), "--name", WITNESS], capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    verifier = init.stdout.strip()
    url = f"http://127.0.0.1:{witness_port}"
    # Epochs close at once, so that a count checkpoint exists for the witness to cosign.
    service, stop = start_service(
        tmp_path, database_for(request.param, tmp_path),
        extra=["--witness", f"{url}={verifier}", "--count-epoch-age", "0", "--count-epoch-events", "1"])
    log_key = requests.get(f"{service['base']}/audit/key").text.strip()
    origin = log_key.split("+")[0]
    output = open(tmp_path / "witness.log", "wb")
    witness = subprocess.Popen(
        [str(BINARY), "witness", "serve", "--key", str(key), "--port", str(witness_port), "--log", f"{origin}={log_key}"],
        stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path)

    def healthy():
        try:
            return requests.get(f"{url}/healthz", timeout=1).status_code == 200
        except requests.ConnectionError:
            assert witness.poll() is None, (tmp_path / "witness.log").read_text(errors="replace")
            return False

    wait_for(healthy, what="the witness to answer /healthz")
    yield {**service, "witness": url, "verifier": verifier, "log_key": log_key, "origin": origin, "key": key}
    witness.terminate()
    assert witness.wait(timeout=30) == 0, "the witness did not shut down cleanly on SIGTERM"
    output.close()
    stop()


def cosigned_checkpoint(base, size=None):
    """The served checkpoint once it carries the witness's line (and has `size` entries, if given)."""
    def ready():
        note = requests.get(f"{base}/audit/checkpoint").text
        body = note.rsplit("\n\n", 1)[0]
        if size is not None and int(body.split("\n")[1]) != size:
            return None
        return note if any(line.startswith(f"\u2014 {WITNESS} ") for line in note.splitlines()) else None
    return wait_for(ready, seconds=60, what="a cosignature on GET /audit/checkpoint")


def audit(service, *options, source=None):
    return subprocess.run(
        [str(BINARY), "audit", "verify", *(source or ["--url", service["base"]]), "--key", service["log_key"],
         "--state", str(service["tmp"] / f"state-{uuid.uuid4().hex}"), *options],
        capture_output=True, text=True, cwd=service["tmp"])


def merkle_root(entries):
    """RFC 6962 §2.1, independently of the Swift code."""
    leaves = [hashlib.sha256(b"\x00" + e.encode()).digest() for e in entries]

    def mth(items):
        if len(items) == 1:
            return items[0]
        k = 1
        while k * 2 < len(items):
            k *= 2
        return hashlib.sha256(b"\x01" + mth(items[:k]) + mth(items[k:])).digest()
    return mth(leaves) if leaves else hashlib.sha256(b"").digest()


def log_signing_key(service):
    keyring = json.loads((service["tmp"] / "keys" / "keyring.json").read_text())
    [entry] = [k for k in keyring["keys"] if k["purpose"] == "log" and k["status"] == "primary"]
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(entry["material"]))


def signed_checkpoint(origin, entries, key):
    """A checkpoint of `entries` signed with the log key, as the operator (who holds every key) can make one."""
    body = f"{origin}\n{len(entries)}\n{base64.b64encode(merkle_root(entries)).decode()}\n"
    public = key.public_key().public_bytes_raw()
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + public).digest()[:4]
    return body + "\n" + f"\u2014 {origin} {base64.b64encode(key_id + key.sign(body.encode())).decode()}\n"


def test_witness_cosigns_the_log_and_refuses_a_split_view(witnessed):
    base, tmp = witnessed["base"], witnessed["tmp"]
    verify_cosignature = doc_snippet()

    # The service submits its checkpoint; GET /audit/checkpoint carries the cosignature, which the doc's snippet checks.
    note = cosigned_checkpoint(base)
    timestamp = verify_cosignature(note, witnessed["verifier"])
    assert abs(timestamp - time.time()) < 120
    forged = note.replace("\n" + note.rsplit("\n\n", 1)[0].split("\n")[1] + "\n", "\n999\n", 1)
    with pytest.raises(Exception):
        verify_cosignature(forged, witnessed["verifier"])

    # An auditor who requires the witness passes; the report names the cosignature and the checkpoint's age.
    honest = audit(witnessed, "--witness", witnessed["verifier"])
    assert honest.returncode == 0, honest.stdout + honest.stderr
    assert f"PASS witness-cosignatures: 1 of 1 witnesses cosigned (required 1): {WITNESS}+" in honest.stdout
    assert "PASS checkpoint-age:" in honest.stdout and "PASS no-backdating:" in honest.stdout

    # Every new checkpoint is submitted: a new entry is cosigned at its new size, and the witness keeps that size.
    size = int(note.rsplit("\n\n", 1)[0].split("\n")[1])
    cli(witnessed, "petition", "pause", SLUG)
    note = cosigned_checkpoint(base, size=size + 1)
    verify_cosignature(note, witnessed["verifier"])
    state_file = witnessed["key"].parent / "witness.key.state.json"
    state = json.loads(state_file.read_text())
    assert state["logs"][witnessed["origin"]]["size"] == size + 1
    assert os.stat(state_file).st_mode & 0o777 == 0o600 and os.stat(witnessed["key"]).st_mode & 0o777 == 0o600

    # The split view: the operator signs, with the real log key, a second checkpoint of the same size over entries of
    # its own (the petition "closed" instead of paused), to show some readers. The witness refuses it.
    entries = requests.get(f"{base}/audit/entries").json()["entries"]
    assert len(entries) == size + 1
    fork = entries[:-1] + [entries[-1].replace("type=petition-paused", "type=petition-closed")]
    assert fork != entries
    split = signed_checkpoint(witnessed["origin"], fork, log_signing_key(witnessed))
    for old in (size + 1, 0):
        answer = requests.post(f"{witnessed['witness']}/add-checkpoint", data=f"old {old}\n\n{split}".encode())
        assert answer.status_code == 409, answer.text
        assert answer.headers["Content-Type"] == "text/x.tlog.size" and answer.text == f"{size + 1}\n"
    assert "split view" in (tmp / "witness.log").read_text(errors="replace")

    # Shown to an auditor, the fork passes every check of the log itself (its key signed it, its entries hash to it):
    # without witnesses the split view goes unseen. With the witness required, it fails.
    saved = tmp / "fork.json"
    saved.write_text(json.dumps({"checkpoint": split, "entries": fork}))
    blind = audit(witnessed, source=["--log", str(saved)])
    assert blind.returncode == 0, blind.stdout
    caught = audit(witnessed, "--witness", witnessed["verifier"], source=["--log", str(saved)])
    assert caught.returncode == 1
    assert "FAIL witness-cosignatures: 0 of 1 witnesses cosigned (required 1)" in caught.stdout, caught.stdout


def test_a_stale_checkpoint_fails_max_age(witnessed):
    note = cosigned_checkpoint(witnessed["base"])
    timestamp = doc_snippet()(note, witnessed["verifier"])
    # Nothing new is logged, so the cosignature keeps its time (the next refresh is 55 minutes away).
    wait_for(lambda: time.time() - timestamp >= 3, what="the cosignature to be 3 seconds old")
    stale = audit(witnessed, "--witness", witnessed["verifier"], "--max-age", "2s")
    assert stale.returncode == 1, stale.stdout
    assert re.search(r"FAIL checkpoint-age: the newest cosignature, by witness\.test/w1, is dated \S+, \d+s ago, more than --max-age 2s", stale.stdout), stale.stdout
    assert "PASS witness-cosignatures" in stale.stdout
    fresh = audit(witnessed, "--witness", witnessed["verifier"], "--max-age", "1h")
    assert fresh.returncode == 0, fresh.stdout


def test_witness_cosigns_the_count_checkpoint(witnessed):
    """A count checkpoint goes to the audit log's witness, which accepts its origin (AUDIT/count/SLUG) and cosigns it.
    Epochs are checked every minute, so this waits up to a minute for the first close."""
    base = witnessed["base"]
    assert requests.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": "counted@example.org"}).status_code == 202
    token = link(messages(witnessed["inbox"], 1)[0][0], "confirm").rsplit("/", 1)[1]
    assert requests.post(f"{base}/api/confirmations", json={"token": token}).json()["status"] == "confirmed"

    def cosigned():
        note = requests.get(f"{base}/count/{SLUG}/checkpoint").text
        lines = note.splitlines()
        if lines[1] != "1":
            return None
        return note if any(line.startswith(f"\u2014 {WITNESS} ") for line in lines) else None
    note = wait_for(cosigned, seconds=150, what="a cosignature on GET /count/SLUG/checkpoint")
    assert note.startswith(f"{witnessed['origin']}/count/{SLUG}\n1\n")
    assert "count 1\n" in note
    assert requests.get(f"{base}/api/petitions/{SLUG}").json()["loggedCount"] == 1
