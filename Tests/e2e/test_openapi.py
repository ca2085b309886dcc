"""schemathesis against Docs/openapi.yaml and a running `countersign serve` (SQLite, SMTP sink, `--rate-limit off`):
every operation of the spec, with every check schemathesis has, must pass with no failure. Operations behind a bearer
token run with a valid token of their role (Tests/e2e/schemathesis.toml); schemathesis also tries them without one.
The recorded traffic then shows that each operation was answered with success at least once, so that a run of refusals
alone cannot pass, and that no address schemathesis signed with reached the database or the service's output.

The run is bounded by `max-examples` in the config. It uses a fixed seed so that `make test` is repeatable; set
COUNTERSIGN_SCHEMATHESIS_SEED to explore with another one (`random` for a fresh one each run).
"""
import json
import os
import re
import subprocess
import sys
import urllib.parse

import yaml

from test_count_log import EPOCHS, confirm
from test_service import ROOT, SLUG, cli, database_for, start_service

sys.path.insert(0, str(ROOT / "Tests" / "vectors"))
from vectors import canonical_email  # noqa: E402  (the independent canonicalization)

SPEC = ROOT / "Docs" / "openapi.yaml"
CONFIG = ROOT / "Tests" / "e2e" / "schemathesis.toml"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
SEED = os.environ.get("COUNTERSIGN_SCHEMATHESIS_SEED", "20261201")
# Operations that a generated request cannot get a success from: a token must come from a mailed link, and a tile
# must name exactly the width of this log's last tile. Their successes are tested in test_service.py and test_count_log.py.
NO_GENERATED_SUCCESS = {"confirm", "withdraw", "getCountTile"}


def operations():
    """(method, path regex, operationId) for every operation of the spec."""
    found = []
    for path, item in yaml.safe_load(SPEC.read_text(encoding="utf-8"))["paths"].items():
        # A slug is one segment; a tile path spans several (or one, with its slashes escaped).
        parts = re.split(r"(\{slug\}|\{tile\})", path)
        pattern = "".join({"{slug}": "[^/]+", "{tile}": ".+"}.get(part, re.escape(part)) for part in parts)
        found += [(method.upper(), re.compile(pattern), operation["operationId"]) for method, operation in item.items() if method in METHODS]
    return found


def answered(har, tokens):
    """For each operationId, the statuses it answered, each with whether the request carried one of `tokens`."""
    statuses = {}
    for entry in json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]:
        request = entry["request"]
        path = urllib.parse.urlsplit(request["url"]).path
        bearer = any(h["name"].lower() == "authorization" and h["value"] in tokens for h in request["headers"])
        for method, pattern, operation in operations():
            if request["method"] == method and pattern.fullmatch(path):
                statuses.setdefault(operation, set()).add((entry["response"]["status"], bearer))
    return statuses


def accepted_addresses(har):
    """Every address of a sign or withdrawal request that was answered 202, with its canonical form."""
    found = set()
    for entry in json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]:
        request = entry["request"]
        if request["method"] == "POST" and entry["response"]["status"] == 202:
            address = json.loads(request["postData"]["text"])["email"]
            found |= {address.strip(), canonical_email(address)[0]}
    return found


def test_every_operation_of_the_spec_conforms(tmp_path):
    # Proof of work as deployed by default (`auto`): the challenge is served, and the run's own signs, all from loopback,
    # soon make the service demand a solution (403), as it would of any flood from one network.
    service, stop = start_service(tmp_path, database_for("sqlite", tmp_path), extra=EPOCHS + ("--proof-of-work", "auto"))
    try:
        # A petition with a count log of two entries, so that checkpoints, tiles and proofs have something to show.
        confirm(service["base"], service["inbox"], ["schema-one@example.org", "schema-two@example.org"])
        tokens = {
            "COUNTERSIGN_ORGANIZER_TOKEN": cli(service, "tokens", "create", "--role", "organizer", "--petition", SLUG),
            "COUNTERSIGN_AUDITOR_TOKEN": cli(service, "tokens", "create", "--role", "auditor"),
        }
        env = dict(os.environ, **tokens)
        seed = [] if SEED == "random" else ["--seed", SEED]
        har = tmp_path / "schemathesis.har"
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run", str(SPEC), "--url", service["base"],
             "--checks", "all", "--workers", "1", "--no-color", "--report", "har", "--report-har-path", str(har),
             # The record keeps the test tokens, so that it shows which requests carried a valid one.
             "--output-sanitize", "false", *seed],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
        assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
        every = {operation for _, _, operation in operations()}
        assert f"{len(every)} selected / {len(every)} total" in run.stdout, run.stdout[-5000:]

        statuses = answered(har, {f"Bearer {token}" for token in tokens.values()})
        succeeded = {operation for operation, seen in statuses.items() if any(200 <= status < 300 for status, _ in seen)}
        assert every - NO_GENERATED_SUCCESS <= succeeded, f"never answered with success: {every - NO_GENERATED_SUCCESS - succeeded}"
        assert statuses.keys() == every, f"never requested: {every - statuses.keys()}"
        for operation in ("export", "metrics"):
            assert (200, True) in statuses[operation], f"{operation} never succeeded with its token"
            assert (401, False) in statuses[operation], f"{operation} was never tried without a token"

        addresses = accepted_addresses(har) | {"schema-one@example.org", "schema-two@example.org"}
        assert len(addresses) > 2, "schemathesis signed with no address of its own"
        written = [tmp_path / "service.log", *(tmp_path / "data").iterdir()]
        assert any(SLUG.encode() in path.read_bytes() for path in written), "the search must at least find the slug"
        for path in written:
            content = path.read_bytes()
            hits = [address for address in addresses if address.encode() in content]
            assert not hits, f"{path} contains signer addresses, e.g. {hits[:3]}"
    finally:
        stop()
