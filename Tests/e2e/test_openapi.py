"""schemathesis against Docs/openapi.yaml and a running `countersign serve` (SQLite, SMTP sink, `--rate-limit off`):
every operation of the spec, with every check schemathesis has, must pass with no failure. Operations behind a bearer
token run with a valid token of their role (Tests/e2e/schemathesis.toml); schemathesis also tries them without one.

The run is bounded by `max-examples` in the config. It uses a fixed seed so that `make test` is repeatable; set
COUNTERSIGN_SCHEMATHESIS_SEED to explore with another one (`random` for a fresh one each run).
"""
import os
import subprocess
import sys

import yaml

from test_count_log import EPOCHS, confirm
from test_service import ROOT, SLUG, cli, database_for, start_service

SPEC = ROOT / "Docs" / "openapi.yaml"
CONFIG = ROOT / "Tests" / "e2e" / "schemathesis.toml"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
SEED = os.environ.get("COUNTERSIGN_SCHEMATHESIS_SEED", "20261201")


def test_every_operation_of_the_spec_conforms(tmp_path):
    service, stop = start_service(tmp_path, database_for("sqlite", tmp_path), extra=EPOCHS)
    try:
        # A petition with a count log of two entries, so that checkpoints, tiles and proofs have something to show.
        confirm(service["base"], service["inbox"], ["schema-one@example.org", "schema-two@example.org"])
        env = dict(
            os.environ,
            COUNTERSIGN_ORGANIZER_TOKEN=cli(service, "tokens", "create", "--role", "organizer", "--petition", SLUG),
            COUNTERSIGN_AUDITOR_TOKEN=cli(service, "tokens", "create", "--role", "auditor"),
        )
        seed = [] if SEED == "random" else ["--seed", SEED]
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run", str(SPEC), "--url", service["base"],
             "--checks", "all", "--workers", "1", "--no-color", *seed],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
        assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
        paths = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["paths"].values()
        operations = sum(1 for path in paths for key in path if key in METHODS)
        assert f"{operations} selected" in run.stdout, run.stdout[-5000:]
    finally:
        stop()
