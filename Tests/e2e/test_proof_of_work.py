"""Proof of work against the running binary, with an ALTCHA v1 client written here from the protocol alone.

The protocol: `GET /api/challenge` answers `{algorithm: "SHA-256", challenge, maxnumber, salt, signature}`; the client
finds the number n in 0..maxnumber with hex(SHA-256(salt + str(n))) == challenge, and sends base64 of the JSON
`{algorithm, challenge, number, salt, signature}` as the `altcha` field of a JSON body or a form. Each attack below
(no solution, a replay, a tampered salt, a wrong number, a forged signature, an expired challenge) must be refused with
a 4xx and store nothing; a replay is refused by a second instance sharing the PostgreSQL database too.
"""
import base64
import hashlib
import json
import os
import re
import signal
import subprocess
import time

import pytest
import requests

from test_service import BINARY, ROOT, SLUG, database_for, free_port, query, start_service, wait_for


def fetch_challenge(base, petition=SLUG):
    response = requests.get(f"{base}/api/challenge", params={"petition": petition} if petition else None)
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    challenge = response.json()
    assert challenge["algorithm"] == "SHA-256"
    assert re.fullmatch(r"[0-9a-f]+\?expires=\d+&", challenge["salt"]), challenge["salt"]
    return challenge


def solve(challenge):
    """The number, found as any ALTCHA client finds it: trying 0, 1, 2, ... up to maxnumber."""
    for number in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            return number
    raise AssertionError("no number up to maxnumber solves the challenge")


def payload(challenge, number, **changes):
    fields = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")} | {"number": number} | changes
    return base64.b64encode(json.dumps(fields).encode()).decode()


def sign(base, address, altcha=None):
    body = {"email": address} | ({"altcha": altcha} if altcha is not None else {})
    return requests.post(f"{base}/api/petitions/{SLUG}/signatures", json=body)


def pending_rows(service):
    return int(query(service, "SELECT count(*) FROM pending"))


@pytest.fixture(params=["sqlite", "postgres"])
def guarded(request, tmp_path):
    """`countersign serve --proof-of-work on`, with its SMTP server."""
    description, stop = start_service(tmp_path, database_for(request.param, tmp_path), extra=("--proof-of-work", "on"))
    description["kind"] = request.param
    yield description
    stop()


def test_altcha_client_signs_and_attacks_are_refused(guarded):
    base = guarded["base"]
    # Without a solution: 403 and a message that says what to do; nothing stored, nothing mailed.
    refused = sign(base, "no-work@example.org")
    assert refused.status_code == 403 and refused.json()["error"] == "proof-of-work-required", refused.text
    assert "/api/challenge" in refused.json()["message"]

    challenge = fetch_challenge(base)
    number = solve(challenge)
    # A wrong number, a tampered salt (a later expiry), a forged signature, another algorithm: 400, nothing stored.
    expires = int(re.search(r"expires=(\d+)", challenge["salt"]).group(1))
    tampered_salt = challenge["salt"].replace(f"expires={expires}", f"expires={expires + 86400}")
    attacks = {
        "wrong number": payload(challenge, number + 1),
        "tampered salt": payload(challenge, number, salt=tampered_salt),
        "salt without the closing &": payload(challenge, number, salt=challenge["salt"][:-1]),
        "forged signature": payload(challenge, number, signature="0" * 64),
        "another algorithm": payload(challenge, number, algorithm="SHA-1"),
        "not base64": "%%%not-base64%%%",
        "not JSON": base64.b64encode(b"[1, 2").decode(),
        "negative number": payload(challenge, -1),
        "oversized field": "A" * 3000,
        "a number that is not an integer": payload(challenge, str(number)),
    }
    for attack, altcha in attacks.items():
        response = sign(base, "attacker@example.org", altcha)
        assert response.status_code == 400, (attack, response.text)
        assert response.json()["error"] in ("invalid-proof-of-work",), (attack, response.text)
    assert pending_rows(guarded) == 0

    # The honest client signs.
    accepted = sign(base, "worker@example.org", payload(challenge, number))
    assert accepted.status_code == 202, accepted.text
    wait_for(lambda: pending_rows(guarded) == 1, what="the signature to be stored")
    # The same solution again, for another address: refused as spent, nothing more stored.
    replay = sign(base, "replayer@example.org", payload(challenge, number))
    assert replay.status_code == 400 and replay.json()["error"] == "spent-proof-of-work", replay.text
    time.sleep(1)
    assert pending_rows(guarded) == 1


def test_form_posts_need_the_solution_too(guarded):
    base = guarded["base"]
    session = requests.Session()
    page = session.get(f"{base}/petitions/{SLUG}")
    assert 'name="altcha"' in page.text and 'src="/pow.js"' in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    without = session.post(f"{base}/petitions/{SLUG}/sign", data={"csrf": csrf, "email": "form@example.org", "altcha": ""})
    assert without.status_code == 403 and "JavaScript" in without.text
    challenge = fetch_challenge(base)
    solved = session.post(
        f"{base}/petitions/{SLUG}/sign", data={"csrf": csrf, "email": "form@example.org", "altcha": payload(challenge, solve(challenge))})
    assert solved.status_code == 200 and "Check your email" in solved.text
    script = session.get(f"{base}/pow.js")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_replay_is_refused_by_another_instance(tmp_path):
    """Two instances share one PostgreSQL database and keyring: a solution spent on one is spent on the other."""
    database = database_for("postgres", tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, stop_first = start_service(tmp_path / "a", database, extra=("--proof-of-work", "on"))
    try:
        second, stop_second = start_service(
            tmp_path / "b", database, extra=("--proof-of-work", "on", "--keys", str(tmp_path / "a" / "keys")))
        try:
            challenge = fetch_challenge(first["base"])
            altcha = payload(challenge, solve(challenge))
            assert sign(first["base"], "one@example.org", altcha).status_code == 202
            replay = sign(second["base"], "two@example.org", altcha)
            assert replay.status_code == 400 and replay.json()["error"] == "spent-proof-of-work", replay.text
            # The database keeps the challenge's digest and its expiry rounded up to the hour: it dates no sign finer.
            assert query(first, "SELECT count(*) FROM spent_challenge WHERE expires_at % 3600 = 0") == "1"
        finally:
            stop_second()
    finally:
        stop_first()


def test_auto_demands_work_only_above_the_network_threshold(tmp_path):
    """Under the default `auto`, a network's first signs go through without work; past 20 a minute, work is demanded,
    and the challenges handed out get harder."""
    service, stop = start_service(tmp_path, database_for("sqlite", tmp_path), extra=("--proof-of-work", "auto"))
    try:
        base = service["base"]
        easy = fetch_challenge(base)["maxnumber"]
        statuses = [sign(base, f"flood{index}@example.org").status_code for index in range(30)]
        assert statuses[:20] == [202] * 20, statuses
        assert statuses[-1] == 403, statuses
        harder = fetch_challenge(base)["maxnumber"]
        assert harder > easy, (easy, harder)
        challenge = fetch_challenge(base)
        assert sign(base, "solver@example.org", payload(challenge, solve(challenge))).status_code == 202
    finally:
        stop()


def test_off_serves_no_challenge(tmp_path):
    service, stop = start_service(tmp_path, database_for("sqlite", tmp_path))
    try:
        response = requests.get(f"{service['base']}/api/challenge")
        assert response.status_code == 404 and response.json()["error"] == "proof-of-work-off"
        page = requests.get(f"{service['base']}/petitions/{SLUG}")
        assert "pow.js" not in page.text and 'name="altcha"' not in page.text
    finally:
        stop()


def test_an_expired_challenge_is_refused(tmp_path):
    """A challenge solved after its ten minutes is refused: the service is restarted on the same database and keys with
    its clock eleven minutes ahead (the Debian `faketime` wrapper), and the solution found before is sent to it."""
    database = database_for("sqlite", tmp_path)
    service, stop = start_service(tmp_path, database, extra=("--proof-of-work", "on"))
    try:
        challenge = fetch_challenge(service["base"])
    finally:
        stop()
    altcha = payload(challenge, solve(challenge))
    port = free_port()
    output = open(tmp_path / "later.log", "wb")
    # The wrapper does not pass SIGTERM on, so the service runs in its own process group, which is killed at the end.
    later = subprocess.Popen(
        ["faketime", "-f", "+11m", str(BINARY), "serve", "--port", str(port), "--database", database, "--keys", str(tmp_path / "keys"),
         "--petitions", str(ROOT / "seeds"), "--mail", "log", "--rate-limit", "off", "--proof-of-work", "on"],
        stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: healthy(base, later, tmp_path / "later.log"), what="the service with its clock ahead")
        response = sign(base, "late@example.org", altcha)
        assert response.status_code == 400 and response.json()["error"] == "expired-proof-of-work", response.text
        # The same service takes a fresh challenge's solution: the refusal was the expiry, not the restart.
        fresh = fetch_challenge(base)
        assert sign(base, "late@example.org", payload(fresh, solve(fresh))).status_code == 202
    finally:
        os.killpg(later.pid, signal.SIGKILL)
        later.wait(timeout=10)
        output.close()


def healthy(base, process, log):
    try:
        return requests.get(f"{base}/healthz", timeout=1).status_code == 200
    except requests.ConnectionError:
        assert process.poll() is None, log.read_text(errors="replace")
        return False


def test_the_altcha_reference_library_agrees(guarded):
    """altcha-lib-py (PyPI `altcha`, the ALTCHA project's own library) solves our challenge, and its v1 verifier accepts
    our signature under K = HKDF-SHA256(primary token key, info "countersign/altcha/v1"), read from the keyring file."""
    import altcha
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    found = fetch_challenge(guarded["base"])
    solution = altcha.solve_challenge_v1(
        altcha.ChallengeV1(algorithm=found["algorithm"], challenge=found["challenge"], max_number=found["maxnumber"],
                           salt=found["salt"], signature=found["signature"]))
    assert solution is not None
    field = altcha.PayloadV1(algorithm=found["algorithm"], challenge=found["challenge"], number=solution.number, salt=found["salt"],
                             signature=found["signature"]).to_base64()
    keyring = json.loads((guarded["tmp"] / "keys" / "keyring.json").read_text())
    token_key = next(bytes.fromhex(key["material"]) for key in keyring["keys"] if key["purpose"] == "token" and key["status"] == "primary")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"countersign/altcha/v1").derive(token_key)
    assert altcha.verify_solution_v1(field, derived) == (True, None)
    assert sign(guarded["base"], "reference@example.org", field).status_code == 202


def test_solutions_are_bound_to_their_petition_and_difficulty(tmp_path):
    """A solution cannot be stockpiled where work is cheap and spent where it is dear: its salt carries, signed, the
    petition and the maxnumber it was issued for. One network's flood, seen through a trusted proxy, demands work of that
    network only: it counts toward the petition's rate only up to the network threshold."""
    service, stop = start_service(
        tmp_path, database_for("sqlite", tmp_path), extra=("--proof-of-work", "auto", "--trusted-proxies", "127.0.0.1/32"))
    try:
        base = service["base"]

        def sign_from(network, address, altcha=None):
            body = {"email": address} | ({"altcha": altcha} if altcha is not None else {})
            return requests.post(f"{base}/api/petitions/{SLUG}/signatures", json=body, headers={"X-Forwarded-For": network})

        other = requests.get(f"{base}/api/challenge", params={"petition": "another-petition"}, headers={"X-Forwarded-For": "192.0.2.1"}).json()
        cheap = requests.get(f"{base}/api/challenge", params={"petition": SLUG}, headers={"X-Forwarded-For": "192.0.2.1"}).json()
        assert cheap["maxnumber"] == 50_000
        wrong = sign_from("192.0.2.1", "bound@example.org", payload(other, solve(other)))
        assert wrong.status_code == 400 and wrong.json()["error"] == "stale-proof-of-work", wrong.text
        stockpiled = payload(cheap, solve(cheap))

        # A flood from one network: 700 junk signs in well under a minute, above the petition's 600 a minute.
        with requests.Session() as session:
            for index in range(700):
                session.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": "x"}, headers={"X-Forwarded-For": "198.51.100.7"})
        # The flooding network must now do the hardest work, and its stockpiled cheap solution is refused as stale.
        dear = requests.get(f"{base}/api/challenge", params={"petition": SLUG}, headers={"X-Forwarded-For": "198.51.100.7"}).json()
        assert dear["maxnumber"] == 500_000, dear["maxnumber"]
        stale = sign_from("198.51.100.7", "stockpile@example.org", stockpiled)
        assert stale.status_code == 400 and stale.json()["error"] == "stale-proof-of-work", stale.text
        # Another network signs without any work: the flood did not raise the petition's rate past its threshold.
        assert sign_from("203.0.113.9", "neighbour@example.org").status_code == 202
    finally:
        stop()
