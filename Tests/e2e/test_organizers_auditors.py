"""End-to-end tests for organizers and auditors against a running `countersign serve` (SQLite and PostgreSQL):
a token-protected export over HTTP, and `countersign audit verify` given only the URL and the verifier key,
which passes on the honest log and names the failure for each tampering of a saved copy.
"""
import base64
import hashlib
import json
import subprocess
import sys

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from test_service import BINARY, ROOT, SLUG, cli, link, messages, service  # noqa: F401  (service is a fixture)

sys.path.insert(0, str(ROOT / "Tests" / "vectors"))
from vectors import signed_checkpoint  # noqa: E402  (the checkpoint formula, written once for the vectors)


def sign_and_confirm(base, inbox, addresses):
    for n, address in enumerate(addresses):
        response = requests.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": address, "region": "Texas" if n % 2 else "Ohio"})
        assert response.status_code == 202
    for message, _ in messages(inbox, len(addresses)):
        token = link(message, "confirm").rsplit("/", 1)[1]
        assert requests.post(f"{base}/api/confirmations", json={"token": token}).status_code == 200


def test_organizer_export_needs_token_and_suppresses(service):
    base = service["base"]
    addresses = [f"person{n}@example.org" for n in range(13)]
    sign_and_confirm(base, service["inbox"], addresses)
    url = f"{base}/api/petitions/{SLUG}/export?by=region&format=csv"
    assert requests.get(url).status_code == 401
    auditor = cli(service, "tokens", "create", "--role", "auditor")
    assert requests.get(url, headers={"Authorization": f"Bearer {auditor}"}).status_code == 403
    organizer = cli(service, "tokens", "create", "--role", "organizer", "--petition", SLUG)
    response = requests.get(url, headers={"Authorization": f"Bearer {organizer}"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = dict(line.split(",", 1) for line in response.text.strip().split("\r\n")[1:])
    # Texas has 6 and Ohio 7: both below k = 10, and so is every other cell.
    assert rows["total"] == "13" and rows["Texas"] == "<10" and rows["Ohio"] == "<10"
    assert all(value == "<10" for key, value in rows.items() if key != "total")
    # The offline export reads the same aggregates.
    offline = cli(service, "export", SLUG, "--by", "total")
    assert offline.splitlines()[1] == f"{SLUG},13"
    # No address, local part or token reaches an export or the audit log.
    released = [response.text, offline, cli(service, "export", SLUG, "--by", "day", "--format", "json"),
                requests.get(f"{base}/audit/entries").text]
    for text in released:
        assert not [a for a in addresses if a in text or a.split("@")[0] in text], text
        assert "cst_" not in text
    # A revoked token stops working at once.
    [token_id] = [line.split("\t")[0] for line in cli(service, "tokens", "list").splitlines() if "\torganizer\t" in line]
    cli(service, "tokens", "revoke", token_id)
    assert requests.get(url, headers={"Authorization": f"Bearer {organizer}"}).status_code == 401
    # The database holds token hashes only.
    assert organizer not in cli(service, "tokens", "list")


def verify(service, *source, state):
    key = requests.get(f"{service['base']}/audit/key").text.strip()
    return subprocess.run(
        [str(BINARY), "audit", "verify", *source, "--key", key, "--state", str(state)], capture_output=True, text=True, cwd=service["tmp"])


def forged(note, origin):
    """The checkpoint body signed by a key that is not the log's, under the log's name."""
    body = note.rsplit("\n\n", 1)[0] + "\n"
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    key_id = hashlib.sha256(origin.encode() + b"\n\x01" + public).digest()[:4]
    return body + "\n" + f"\u2014 {origin} {base64.b64encode(key_id + key.sign(body.encode())).decode()}\n"


def test_audit_verify_passes_honest_log_and_names_each_tampering(service):
    base, tmp = service["base"], service["tmp"]
    sign_and_confirm(base, service["inbox"], ["auditor-test@example.org"])
    cli(service, "petition", "pause", SLUG)
    cli(service, "petition", "resume", SLUG)
    cli(service, "keys", "rotate", "--purpose", "token", "--keys", str(tmp / "keys"), "--public-url", base)

    saved = tmp / "log.json"
    honest = verify(service, "--url", base, "--save", str(saved), state=tmp / "state-1")
    assert honest.returncode == 0, honest.stdout + honest.stderr
    assert "RESULT: PASS" in honest.stdout and "FAIL" not in honest.stdout
    for check in ["checkpoint-signature", "entries-root", "consistency", "cryptoperiods", "destroy-order"]:
        assert f"PASS {check}:" in honest.stdout
    log = json.loads(saved.read_text())
    assert any("type=key-rotated purpose=token" in entry for entry in log["entries"])

    # A second run checks consistency with the checkpoint stored by the first.
    cli(service, "petition", "pause", SLUG)
    again = verify(service, "--url", base, state=tmp / "state-1")
    assert again.returncode == 0 and "PASS consistency:" in again.stdout, again.stdout

    origin = log["checkpoint"].split("\n", 1)[0]
    entries = log["entries"]
    flipped = list(entries)
    middle = len(flipped[1]) // 2
    flipped[1] = flipped[1][:middle] + chr(ord(flipped[1][middle]) ^ 1) + flipped[1][middle + 1:]
    tampered = {
        "flipped byte": (dict(log, entries=flipped), "entries-root"),
        "dropped entry": (dict(log, entries=entries[:2] + entries[3:]), "entries-root"),
        "reordered entries": (dict(log, entries=[entries[1], entries[0]] + entries[2:]), "entries-root"),
        "forged checkpoint": (dict(log, checkpoint=forged(log["checkpoint"], origin)), "checkpoint-signature"),
    }
    for name, (content, check) in tampered.items():
        path = tmp / f"{name.replace(' ', '-')}.json"
        path.write_text(json.dumps(content))
        result = verify(service, "--log", str(path), state=tmp / f"state-{name.replace(' ', '-')}")
        assert result.returncode == 1, f"{name} was not caught:\n{result.stdout}"
        assert f"FAIL {check}:" in result.stdout and "RESULT: FAIL" in result.stdout, f"{name}:\n{result.stdout}"
    # The untouched saved copy still passes offline.
    assert verify(service, "--log", str(saved), state=tmp / "state-offline").returncode == 0


def test_a_rotated_out_log_key_cannot_extend_the_log(service):
    """The forgery: someone holding the log key from a keyring backup made before a log-key rotation serves the real
    log up to the rotation, appends entries of their own, and signs the checkpoint with the old key alone."""
    base, tmp = service["base"], service["tmp"]
    sign_and_confirm(base, service["inbox"], ["rotation-test@example.org"])
    backup = json.loads((tmp / "keys" / "keyring.json").read_text())
    old_key = next(k for k in backup["keys"] if k["purpose"] == "log" and k["status"] == "primary")
    old_verifier = requests.get(f"{base}/audit/key").text.strip()
    cli(service, "keys", "rotate", "--purpose", "log", "--keys", str(tmp / "keys"), "--public-url", base)
    cli(service, "petition", "pause", SLUG)

    saved = tmp / "rotated.json"
    honest = subprocess.run(
        [str(BINARY), "audit", "verify", "--url", base, "--key", old_verifier, "--save", str(saved), "--state", str(tmp / "state-honest")],
        capture_output=True, text=True, cwd=tmp)
    assert honest.returncode == 0 and "RESULT: PASS" in honest.stdout, honest.stdout + honest.stderr
    log = json.loads(saved.read_text())
    origin = log["checkpoint"].split("\n", 1)[0]
    rotation = next(i for i, e in enumerate(log["entries"]) if "type=key-rotated purpose=log" in e)

    # The real log up to and including the rotation, then an entry of the forger's, under a checkpoint by the old key.
    forged_entries = log["entries"][: rotation + 1] + [log["entries"][-1]]
    note, _ = signed_checkpoint(bytes.fromhex(old_key["material"]), origin, origin, [e.encode() for e in forged_entries])
    forged = {"checkpoint": note, "entries": forged_entries}
    path = tmp / "forged-after-rotation.json"
    path.write_text(json.dumps(forged))
    result = subprocess.run(
        [str(BINARY), "audit", "verify", "--log", str(path), "--key", old_verifier, "--state", str(tmp / "state-forged")],
        capture_output=True, text=True, cwd=tmp)
    assert result.returncode == 1, f"a checkpoint by the rotated-out log key passed:\n{result.stdout}"
    assert "FAIL checkpoint-signature:" in result.stdout and "rotated out" in result.stdout, result.stdout
