#!/usr/bin/env python3
"""Does the sign response time tell a new address from one that has already signed?

    make build && python3 Benchmarks/sign_timing.py [ROUNDS]

Starts `countersign serve` (SQLite, log mail, no rate limit) in a temporary folder, confirms 100 addresses from
the printed links, then interleaves signs of new addresses and of the confirmed ones and prints the median of
each and their ratio (1.00 means no difference in the medians). Not a test: the machine is shared and noisy.
"""
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
SLUG = "amazon-cut-ties-with-police-and-ice"
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3

with tempfile.TemporaryDirectory() as folder, socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    log = open(f"{folder}/service.log", "w")
    server = subprocess.Popen(
        [str(ROOT / ".build/debug/countersign"), "serve", "--port", str(port), "--rate-limit", "off",
         "--petitions", str(ROOT / "seeds"), "--keys", f"{folder}/keys", "--database", f"sqlite:{folder}/db.sqlite"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        for _ in range(100):
            try:
                session.get(f"{base}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        for i in range(100):
            session.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": f"signed{i}@example.org"})
        time.sleep(1)
        for token in re.findall(r"/confirm/([A-Za-z0-9_-]{83})", open(f"{folder}/service.log").read()):
            session.post(f"{base}/api/confirmations", json={"token": token})
        new, signed = [], []
        for r in range(rounds):
            for i in range(100):
                for email, samples in ((f"new{r}-{i}@example.org", new), (f"signed{i}@example.org", signed)):
                    start = time.perf_counter()
                    assert session.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": email}).status_code == 202
                    samples.append((time.perf_counter() - start) * 1000)
        print(f"median sign latency: new {statistics.median(new):.2f} ms, already signed {statistics.median(signed):.2f} ms "
              f"(n={len(new)} each)")
        print(f"already-signed/new median ratio: {statistics.median(signed) / statistics.median(new):.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
