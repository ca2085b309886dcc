"""End-to-end tests of the count log (issue 13) against a running `countersign serve` (SQLite and PostgreSQL): a
confirmation answers a receipt once, `countersign receipt verify` proves it counted (and later withdrawn), a saved
tlog-proof verifies offline, `countersign count verify` and the independent Python replay of Docs/auditing.md both
recompute the published count, and a dropped confirmation is caught by the receipt of the signer it was dropped from.
"""
import base64
import hashlib
import json
import re
import sqlite3
import subprocess
import time

import pytest
import requests

from test_service import BINARY, ROOT, SLUG, database_for, link, messages, query, start_service, wait_for

# Epochs close as soon as they hold one event, so a test does not wait an hour.
EPOCHS = ("--count-epoch-age", "0", "--count-epoch-events", "1")


@pytest.fixture(params=["sqlite", "postgres"])
def service(request, tmp_path):
    description, stop = start_service(tmp_path, database_for(request.param, tmp_path), extra=EPOCHS)
    description["kind"] = request.param
    yield description
    stop()


def documented_count_check():
    """The Python replay printed in Docs/auditing.md, run as written."""
    doc = (ROOT / "Docs" / "auditing.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "def verify_count" in b)
    namespace = {}
    exec(block, namespace)  # noqa: S102 (our own documentation, checked in)
    return namespace["verify_count"]


def confirm(base, inbox, addresses, already=0):
    """Signs and confirms each address; returns the confirmation answers in the order of `addresses` (mails may arrive
    in any order), each with its token under "token"."""
    for address in addresses:
        assert requests.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": address}).status_code == 202
    answers = {}
    for message, recipients in messages(inbox, already + len(addresses))[already:]:
        token = link(message, "confirm").rsplit("/", 1)[1]
        answer = requests.post(f"{base}/api/confirmations", json={"token": token})
        assert answer.status_code == 200, answer.text
        answers[recipients[0]] = dict(answer.json(), token=token)
    return [answers[address] for address in addresses]


def logged(base, size):
    """The API's logged count once the log holds at least `size` entries."""
    def grown():
        time.sleep(1.05 - time.time() % 1)  # the answer is cached per second
        return requests.get(f"{base}/api/petitions/{SLUG}").json().get("logSize", 0) >= size
    wait_for(grown, seconds=90, what=f"a count log of {size} entries")
    return requests.get(f"{base}/api/petitions/{SLUG}").json()


def run(service, *args):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, cwd=service["tmp"])


def test_receipts_prove_counting_and_anyone_recomputes_the_count(service):
    base, tmp, inbox = service["base"], service["tmp"], service["inbox"]
    key = requests.get(f"{base}/audit/key").text.strip()
    answers = confirm(base, inbox, ["ada@example.org", "grace@example.org", "alan@example.org"])
    for answer in answers:
        assert answer["status"] == "confirmed"
        receipt = answer["receipt"]
        assert set(receipt) >= {"petition", "origin", "r", "epoch"} and receipt["petition"] == SLUG
        assert answer["receiptCode"].startswith("cs1:")
    # The receipt is offered once: a replay of the link counts nothing and offers none.
    replay = requests.post(f"{base}/api/confirmations", json={"token": answers[0]["token"]}).json()
    assert replay == {"status": "already-confirmed"}

    served = logged(base, 3)
    assert served["loggedCount"] == 3 == served["count"]

    # Each receipt verifies online, as a file and as the short code; --save writes a proof that verifies offline.
    for n, answer in enumerate(answers):
        path = tmp / f"receipt-{n}.json"
        path.write_text(json.dumps(answer["receipt"]))
        code = tmp / f"receipt-{n}.code"
        code.write_text(answer["receiptCode"] + "\n")
        proof = tmp / f"receipt-{n}.tlog-proof"
        for source in (path, code):
            result = run(service, "receipt", "verify", str(source), "--url", base, "--key", key, "--save", str(proof),
                         "--state", str(tmp / f"state-{n}"))
            assert result.returncode == 0, result.stdout + result.stderr
            assert "RESULT: PASS" in result.stdout and "FAIL" not in result.stdout
        offline = run(service, "receipt", "verify", str(proof), "--key", key)
        assert offline.returncode == 0, offline.stdout + offline.stderr
        assert "r" in answer["receipt"] and answer["receipt"]["r"] not in (tmp / "service.log").read_text(errors="replace")

    counted = run(service, "count", "verify", SLUG, "--url", base, "--key", key)
    assert counted.returncode == 0 and "RESULT: PASS" in counted.stdout, counted.stdout + counted.stderr
    assert documented_count_check()(base, SLUG, key) == (3, 3)

    # A withdrawal is logged against the receipt's commitment: the receipt then verifies as withdrawn (exit 4).
    assert requests.post(f"{base}/api/petitions/{SLUG}/withdrawals", json={"email": "grace@example.org"}).status_code == 202
    [(message, _)] = messages(inbox, 4)[3:]
    token = link(message, "withdraw").rsplit("/", 1)[1]
    assert requests.post(f"{base}/api/withdrawals", json={"token": token}).json()["status"] == "withdrawn"
    assert logged(base, 4)["loggedCount"] == 2
    withdrawn = run(service, "receipt", "verify", str(tmp / "receipt-1.json"), "--url", base, "--key", key)
    assert withdrawn.returncode == 4, withdrawn.stdout + withdrawn.stderr
    assert documented_count_check()(base, SLUG, key) == (4, 2)
    # The receipt still held from before (state file) sees a log that only grew.
    again = run(service, "receipt", "verify", str(tmp / "receipt-0.json"), "--url", base, "--key", key, "--state", str(tmp / "state-0"))
    assert again.returncode == 0 and "PASS consistency" in again.stdout, again.stdout


def test_no_receipt_reaches_the_mail_or_the_logs(service):
    base, tmp, inbox = service["base"], service["tmp"], service["inbox"]
    [answer] = confirm(base, inbox, ["hedy@example.org"])
    secret = answer["receipt"]["r"]
    logged(base, 1)
    for path in inbox.glob("*.eml"):
        assert secret not in path.read_text(errors="replace")
    output = (tmp / "service.log").read_text(errors="replace")
    assert secret not in output and answer["receiptCode"] not in output


def execute(service, sql):
    """Runs `sql` on the service's database as someone with write access to it would."""
    database = service["database"]
    if database.startswith("sqlite:"):
        with sqlite3.connect(database[len("sqlite:"):], timeout=10) as connection:
            connection.executescript(sql)
    else:
        subprocess.run(["psql", database.split("?")[0], "-qc", sql], check=True, capture_output=True, text=True)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_confirmation_dropped_from_the_log_is_caught_by_its_receipt(kind, tmp_path):
    """The attack: an operator with database access removes one signer's logged confirmation and restarts the service,
    which serves the shorter log signed as usual. The count and the replay then agree with each other, so `count verify`
    alone cannot tell; the dropped signer's receipt can, and any receipt checked before sees the log rewritten."""
    service, stop = start_service(tmp_path, database_for(kind, tmp_path), extra=EPOCHS)
    service["kind"] = kind
    base, inbox = service["base"], service["inbox"]
    key = requests.get(f"{base}/audit/key").text.strip()
    answers = confirm(base, inbox, ["rosalind@example.org", "barbara@example.org", "katherine@example.org"])
    logged(base, 3)
    for n, answer in enumerate(answers):
        (tmp_path / f"receipt-{n}.json").write_text(json.dumps(answer["receipt"]))
        before = run(service, "receipt", "verify", str(tmp_path / f"receipt-{n}.json"), "--url", base, "--key", key,
                     "--state", str(tmp_path / f"state-{n}"))
        assert before.returncode == 0, before.stdout + before.stderr
    stop()

    r = base64.urlsafe_b64decode(answers[1]["receipt"]["r"] + "==")
    c = base64.b64encode(hashlib.sha256(b"countersign/receipt/v1\x00" + SLUG.encode() + r).digest()).decode()
    text = "CAST(entry AS TEXT)" if kind == "sqlite" else "convert_from(entry, 'UTF8')"
    petition = f"petition_id = (SELECT id FROM petition WHERE slug = '{SLUG}')"
    seq = int(query(service, f"SELECT seq FROM count_entry WHERE {petition} AND {text} LIKE '%{c}%'"))
    # Renumbered in two steps so that no two rows ever share a sequence number.
    execute(service, f"DELETE FROM count_entry WHERE {petition} AND seq = {seq}; "
                     f"UPDATE count_entry SET seq = seq + 1000000 WHERE {petition} AND seq > {seq}; "
                     f"UPDATE count_entry SET seq = seq - 1000001 WHERE {petition} AND seq > 1000000; "
                     f"UPDATE petition SET count_log_size = count_log_size - 1 WHERE slug = '{SLUG}';")
    service, stop = start_service(tmp_path, service["database"], extra=EPOCHS)
    try:
        base = service["base"]
        served = requests.get(f"{base}/count/{SLUG}/checkpoint").text
        assert served.split("\n")[1] == "2", served
        counted = run(service, "count", "verify", SLUG, "--url", base, "--key", key)
        assert counted.returncode == 0, "the shorter log is consistent with itself: " + counted.stdout

        dropped = run(service, "receipt", "verify", str(tmp_path / "receipt-1.json"), "--url", base, "--key", key)
        assert dropped.returncode == 1 and "RESULT: FAIL" in dropped.stdout, dropped.stdout + dropped.stderr
        kept = run(service, "receipt", "verify", str(tmp_path / "receipt-0.json"), "--url", base, "--key", key,
                   "--state", str(tmp_path / "state-0"))
        assert kept.returncode == 1 and "FAIL consistency" in kept.stdout, kept.stdout + kept.stderr
    finally:
        stop()
