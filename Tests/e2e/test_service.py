"""End-to-end tests of `countersign serve` over real HTTP and a real SMTP server (aiosmtpd).

Run by `make test` after the Swift suites, with COUNTERSIGN_TEST_POSTGRES_URL (and _DATA) pointing at the
throwaway PostgreSQL cluster. Each test runs against SQLite and against PostgreSQL.
"""
import email
import email.policy
import os
import pathlib
import re
import socket
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "vectors"))
from vectors import canonical_email  # noqa: E402  (the independent canonicalization)

# COUNTERSIGN_BINARY runs the tests against another build (a copy, or an older one to replay an attack on it).
BINARY = pathlib.Path(os.environ.get("COUNTERSIGN_BINARY", ROOT / ".build" / "debug" / "countersign"))
SLUG = "amazon-cut-ties-with-police-and-ice"


def free_port():
    return free_ports(1)[0]


def free_ports(count):
    """`count` distinct free ports on 127.0.0.1: the sockets stay bound until all are chosen, so that the kernel cannot
    hand the same port out twice (which once sent the service's HTTP requests to the SMTP server)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_for(predicate, seconds=20, what="condition"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start_service(tmp_path, database, mail_options="auth=plain&starttls=optional", tls=None, extra=(), petitions=ROOT / "seeds"):
    """Starts the SMTP sink and `countersign serve`; returns the service description and a stop function."""
    smtp_port, http_port = free_ports(2)
    inbox = tmp_path / "inbox"
    sink_args = [sys.executable, str(ROOT / "Tests" / "support" / "smtp_sink.py"), str(smtp_port), str(inbox), "countersign", "s3cret"]
    sink = subprocess.Popen(sink_args + (list(tls) if tls else []), stdout=subprocess.PIPE, text=True)
    assert sink.stdout.readline().strip() == "ready"
    output = open(tmp_path / "service.log", "wb")
    server = subprocess.Popen(
        [str(BINARY), "serve", "--port", str(http_port), "--database", database, "--keys", str(tmp_path / "keys"),
         "--petitions", str(petitions), "--mail", f"smtp://countersign:s3cret@127.0.0.1:{smtp_port}?{mail_options}",
         "--mail-from", "petitions@example.net", "--public-url", f"http://127.0.0.1:{http_port}", "--log-level", "debug",
         "--rate-limit", "off", "--proof-of-work", "off", *extra],
        stdout=output, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{http_port}"

    def healthy():
        try:
            return requests.get(f"{base}/healthz", timeout=1).status_code == 200
        except requests.ConnectionError:
            assert server.poll() is None, (tmp_path / "service.log").read_text(errors="replace")
            return False

    wait_for(healthy, what="the service to answer /healthz")

    def stop():
        server.terminate()
        assert server.wait(timeout=30) == 0, "the service did not shut down cleanly on SIGTERM"
        sink.terminate()
        sink.wait(timeout=10)
        output.close()

    return {"base": base, "inbox": inbox, "tmp": tmp_path, "server": server, "database": database}, stop


def database_for(kind, tmp_path):
    """A database of its own for one service: each has its own keyring, and a petition's key opens only under the
    keyring that wrapped it."""
    if kind != "postgres":
        return f"sqlite:{tmp_path}/data/countersign.sqlite"
    url = os.environ.get("COUNTERSIGN_TEST_POSTGRES_URL")
    assert url, "COUNTERSIGN_TEST_POSTGRES_URL is not set: run `make test`, which starts a throwaway PostgreSQL"
    name = f"e2e_{uuid.uuid4().hex[:16]}"
    subprocess.run(["psql", url.split("?")[0], "-qc", f"CREATE DATABASE {name}"], check=True)
    return re.sub(r"/[^/?]+(\?|$)", f"/{name}\\1", url, count=1)


@pytest.fixture(params=["sqlite", "postgres"])
def service(request, tmp_path):
    """A running `countersign serve` with its SMTP server, database, keys and captured output."""
    description, stop = start_service(tmp_path, database_for(request.param, tmp_path))
    description["kind"] = request.param
    yield description
    stop()


def cli(service, *args):
    """Runs `countersign ARGS --database DATABASE` against the service's database; returns its stdout, stripped."""
    done = subprocess.run(
        [str(BINARY), *args, "--database", service["database"]], check=True, capture_output=True, text=True, cwd=service["tmp"])
    return done.stdout.strip()


def query(service, sql):
    """The single value `sql` reads from the service's database, as text."""
    database = service["database"]
    if database.startswith("sqlite:"):
        with sqlite3.connect(f"file:{database[len('sqlite:'):]}?mode=ro", uri=True) as connection:
            return str(connection.execute(sql).fetchone()[0])
    return subprocess.run(["psql", database.split("?")[0], "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()


def messages(inbox, count):
    """The first `count` received messages, parsed, with their envelope recipients."""
    wait_for(lambda: len(list(inbox.glob("*.eml"))) >= count, what=f"{count} messages")
    found = []
    for path in sorted(inbox.glob("*.eml"))[:count]:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.append((message, path.with_suffix(".rcpt").read_text().split("\n")))
    return found


def link(message, kind):
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"(http://\S+/{kind}/[A-Za-z0-9_-]{{83}})", text)
    assert match, text
    return match.group(1)


def count(base):
    """The petition's count, read fresh: the API serves it from a per-second cache, so wait for the next second."""
    time.sleep(1.05 - time.time() % 1)
    return requests.get(f"{base}/api/petitions/{SLUG}").json()["count"]


def test_sign_mail_confirm_over_smtp(service):
    base = service["base"]
    before = count(base)
    response = requests.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": "Reader+news@Example.org", "region": "Texas"})
    assert response.status_code == 202 and response.json() == {"status": "pending"}

    [(message, recipients)] = messages(service["inbox"], 1)
    assert recipients == ["reader@example.org"], "mail goes to the canonical address, the mailbox the pseudonym stands for"
    assert message["To"].addresses[0].addr_spec == "reader@example.org"
    assert message["Message-ID"].endswith("@example.net>") and message["Date"]
    assert message.get_body(preferencelist=("html",)) is not None
    confirm = link(message, "confirm")

    page = requests.get(confirm)
    assert page.status_code == 200 and "Confirm" in page.text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert count(base) == before, "opening the link changes nothing"

    token = confirm.rsplit("/", 1)[1]
    answer = requests.post(f"{base}/api/confirmations", json={"token": token}).json()
    assert answer["status"] == "confirmed" and answer["receipt"]["format"] == "countersign/receipt/v1"
    assert answer["receiptCode"].startswith("cs1:")
    assert count(base) == before + 1
    assert requests.post(f"{base}/api/confirmations", json={"token": token}).json() == {"status": "already-confirmed"}
    assert count(base) == before + 1


def test_no_address_reaches_disk_logs_or_output(service):
    """Signs 1,000 addresses over HTTP and SMTP, confirms every other one, then searches every byte the
    service wrote (database, WAL, logs at debug level, stdout) for each address and canonical form."""
    base, inbox = service["base"], service["inbox"]
    addresses = [
        [f"Private.Person{n}+tag@Example.org", f"signer{n}@bücher.example.com", f"q.u.i.e.t{n}@googlemail.com"][n % 3]
        for n in range(1000)
    ]
    session = requests.Session()
    for address in addresses:
        response = session.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": address})
        assert response.status_code == 202
    received = messages(inbox, len(addresses))
    for message, _ in received[::2]:
        token = link(message, "confirm").rsplit("/", 1)[1]
        assert session.post(f"{base}/api/confirmations", json={"token": token}).status_code == 200
    assert count(base) == 500

    needles = set()
    for address in addresses:
        canonical, _ = canonical_email(address)
        needles |= {address, address.lower(), canonical, address.split("@")[0], canonical.split("@")[0]}
    needles = [n.encode() for n in needles]
    # Every needle holds one of these followed by its number, so a file without a match holds no needle;
    # one regex pass per file replaces thousands of substring scans over PostgreSQL's data folder.
    anchors = re.compile(rb"(?i)(private\.person|signer|q\.u\.i\.e\.t|quiet)[0-9]+")

    def written_files():
        files = [p for p in service["tmp"].rglob("*") if p.is_file() and "inbox" not in p.parts]
        if service["kind"] == "postgres":
            data = os.environ.get("COUNTERSIGN_TEST_POSTGRES_DATA")
            assert data, "COUNTERSIGN_TEST_POSTGRES_DATA is not set: run `make test`"
            files += [p for p in pathlib.Path(data).rglob("*") if p.is_file()]
        assert any(p.name == "service.log" for p in files)

        def read(path):
            # PostgreSQL removes some files (pg_internal.init, temporary files) while it runs: one gone since the
            # listing holds nothing any more.
            try:
                return path.read_bytes()
            except FileNotFoundError:
                return b""

        assert any(SLUG.encode() in read(p) for p in files), "the search must at least find the petition slug"
        for path in files:
            content = read(path)
            if anchors.search(content):
                hits = [n.decode() for n in needles if n in content]
                assert not hits, f"{path} contains signer addresses, e.g. {hits[:3]}"
        return files

    # A mailed link opened as a page: its path must not become a metric label.
    assert session.get(link(received[1][0], "confirm")).status_code == 200
    assert requests.get(f"{base}/metrics").status_code == 401, "/metrics answers without a token"
    auditor = cli(service, "tokens", "create", "--role", "auditor")
    metrics = requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {auditor}"})
    assert metrics.status_code == 200 and "hb_requests" in metrics.text
    assert 'http_route="/api/confirmations"' in metrics.text or "/api/confirmations" in metrics.text
    assert not [n for n in needles if n in metrics.content], "/metrics contains signer addresses"
    assert not re.search(r"/confirm/[A-Za-z0-9_-]{20,}", metrics.text), "/metrics contains a token"

    # Tokens are bearer secrets: none may reach the service's own output (with SMTP, nothing prints links).
    tokens = [link(message, "confirm").rsplit("/", 1)[1].encode() for message, _ in received]
    output = (service["tmp"] / "service.log").read_bytes()
    assert not [t for t in tokens if t in output], "the service log contains a confirmation token"
    assert not [t for t in tokens if t in metrics.content], "/metrics contains a confirmation token"

    # No time beside a pseudonym is finer than an hour, a signature keeps its day only, and a used pending row keeps
    # nothing but its token id.
    assert query(service, "SELECT count(*) FROM pending WHERE expires_at % 3600 <> 0") == "0"
    assert query(service, "SELECT count(*) FROM pending") == "1000"
    assert query(service, "SELECT count(*) FROM pending WHERE pseudonym IS NOT NULL OR region IS NOT NULL") == "500"
    assert query(service, "SELECT count(*) FROM signature WHERE length(day) <> 10") == "0"

    # While it runs (SQLite's WAL and shared memory exist only then), and after a clean shutdown.
    running = written_files()
    if service["kind"] == "sqlite":
        assert any(p.name.endswith("-wal") for p in running), "the SQLite WAL should be among the files searched"
    service["server"].terminate()
    assert service["server"].wait(timeout=30) == 0
    written_files()


def test_pause_switch_stops_new_signatures(service):
    """`countersign petition pause` against the server's database stops signing at once, with a clear page."""
    base = service["base"]
    subprocess.run([str(BINARY), "petition", "pause", SLUG, "--database", service["database"]], check=True, cwd=service["tmp"])
    response = requests.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": "late@example.org"})
    assert response.status_code == 409 and response.json()["error"] == "petition-not-open"
    assert "not collecting signatures" in requests.get(f"{base}/petitions/{SLUG}").text
    subprocess.run([str(BINARY), "petition", "resume", SLUG, "--database", service["database"]], check=True, cwd=service["tmp"])
    assert requests.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": "late@example.org"}).status_code == 202


def test_smtp_starttls_and_auth_login(tmp_path):
    """The SMTP transport upgrades with STARTTLS (required) and authenticates with AUTH LOGIN."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    description, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", mail_options=f"starttls=required&auth=login&cafile={cert}", tls=(cert, key))
    response = requests.post(f"{description['base']}/api/petitions/{SLUG}/signatures", json={"email": "tls@example.org"})
    assert response.status_code == 202
    [(message, recipients)] = messages(description["inbox"], 1)
    assert recipients == ["tls@example.org"]
    assert "/confirm/" in message.get_body(preferencelist=("plain",)).get_content()
    stop()


def test_log_mail_is_refused_on_a_public_address(tmp_path):
    """`--mail log` prints every mailed link, a secret, to the console; on an address other than loopback the
    service must refuse to start (it exits before it binds)."""
    done = subprocess.run(
        [str(BINARY), "serve", "--host", "0.0.0.0", "--port", str(free_port()), "--database", f"sqlite:{tmp_path}/db.sqlite",
         "--keys", str(tmp_path / "keys"), "--petitions", str(ROOT / "seeds"), "--mail", "log"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode != 0
    assert "--allow-log-mail" in done.stdout + done.stderr
