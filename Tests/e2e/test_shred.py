"""Crypto-shredding against the running binary, on SQLite and PostgreSQL: a backup taken before `petition shred` must
not open the shredded petition's key with the keyring as it is afterwards, and the log must show the shred complete.
"""
import re
import shutil
import sqlite3
import subprocess
import uuid

import requests

from test_organizers_auditors import sign_and_confirm
from test_service import BINARY, ROOT, SLUG, cli, free_ports, query, service  # noqa: F401  (service is a fixture)


def backup(service):
    """A copy of the service's database, as an operator's nightly backup would be; returns its URL."""
    database = service["database"]
    if database.startswith("sqlite:"):
        copy = service["tmp"] / "backup.sqlite"
        with sqlite3.connect(database[len("sqlite:"):]) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        return f"sqlite:{copy}"
    plain = database.split("?")[0]
    name = f"backup_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", plain, "-qc", f"CREATE DATABASE {name}"], check=True)
    copy = re.sub(r"/[^/?]+(\?|$)", f"/{name}\\1", database, count=1)
    dump = subprocess.run(["pg_dump", "--no-owner", plain], check=True, capture_output=True)
    subprocess.run(["psql", "-q", copy.split("?")[0]], input=dump.stdout, check=True, capture_output=True)
    return copy


def verify(service, *options):
    key = requests.get(f"{service['base']}/audit/key").text.strip()
    return subprocess.run(
        [str(BINARY), "audit", "verify", "--url", service["base"], "--key", key, "--state", str(service["tmp"] / f"state-{uuid.uuid4().hex}"),
         *options], capture_output=True, text=True, cwd=service["tmp"])


def test_a_backup_cannot_undo_a_shred(service):
    """The attack: keep a backup from before the shred, then open it with the keyring as it is now. Before, shred only
    set the wrapped key to NULL and the master key that opens the backup's copy lived on, so `serve` started on the
    backup and every pseudonym in it could be tested against guessed addresses again."""
    base, tmp = service["base"], service["tmp"]
    sign_and_confirm(base, service["inbox"], ["shred-test@example.org"])
    wrapped = query(service, f"SELECT hex(wrapped_key) FROM petition WHERE slug = '{SLUG}'") if service["kind"] == "sqlite" else None
    cli(service, "petition", "close", SLUG)
    copy = backup(service)
    out = cli(service, "petition", "shred", SLUG, "--retention-days", "0", "--keys", str(tmp / "keys"), "--public-url", base)
    assert "key and pseudonyms destroyed" in out, out

    # serve on the backup, with the keyring as it is now: the shredded petition's key cannot be opened, so it refuses.
    port, = free_ports(1)
    server = subprocess.Popen(
        [str(BINARY), "serve", "--port", str(port), "--database", copy, "--keys", str(tmp / "keys"), "--petitions", str(ROOT / "seeds"),
         "--mail", "log", "--public-url", f"http://127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp)
    try:
        output, _ = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        raise AssertionError("serve started on a backup from before the shred: the old master key still opens its petition key")
    assert server.returncode != 0, output
    assert SLUG in output and "master key" in output, output

    # The log shows every step, and the audit finds the shred complete.
    result = verify(service)
    assert result.returncode == 0 and "PASS shred-complete:" in result.stdout, result.stdout
    entries = requests.get(f"{base}/audit/entries").json()["entries"]
    tail = [re.sub(r" .*", "", e.split("type=", 1)[1]) + (" master" if "purpose=master" in e else "") for e in entries[-4:]]
    assert tail == ["petition-shredded", "key-rotated master", "master-rewrapped", "key-destroyed master"], entries[-4:]
    if wrapped:
        # SQLite: the vacuum and the truncating checkpoint leave the old wrapped key in neither the file nor its WAL.
        path = service["database"][len("sqlite:"):]
        for name in (path, path + "-wal"):
            try:
                data = open(name, "rb").read()
            except FileNotFoundError:
                continue
            assert bytes.fromhex(wrapped) not in data, f"the wrapped key survived in {name}"


def test_a_deferred_shred_is_pending_until_its_masters_are_destroyed(service):
    base, tmp = service["base"], service["tmp"]
    cli(service, "petition", "close", SLUG)
    out = cli(service, "petition", "shred", SLUG, "--retention-days", "0", "--defer-destroy", "--keys", str(tmp / "keys"), "--public-url", base)
    assert "left for serve to destroy" in out, out
    result = verify(service)
    assert result.returncode == 0 and "PENDING shred-complete:" in result.stdout and "not destroyed yet" in result.stdout, result.stdout
    # With no days allowed, the same log fails.
    late = verify(service, "--shred-days", "0")
    assert late.returncode == 1 and "FAIL shred-complete:" in late.stdout, late.stdout
