#!/usr/bin/env python3
"""Does the response time of a sign or a withdrawal request tell an address that signed from one that did not?

    make build && python3 Benchmarks/sign_timing.py [ROUNDS]

Starts `countersign serve` (SQLite, log mail, no rate limit) in a temporary folder, confirms 100 addresses from
the printed links, then interleaves signs of new addresses and of the confirmed ones, and withdrawal requests for
addresses that never signed and for the confirmed ones, and prints the median of each and their ratios (1.00 means
no difference in the medians). Signs and withdrawals use separate confirmed addresses, and ROUNDS is at most 4, so
that no address gets more than 5 mails, the daily mail cap, and every request does its whole work. Not a test: the
machine is shared and noisy.
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
assert 1 <= rounds <= 4, "ROUNDS is 1 to 4: a confirmed address gets its link plus one mail a round, and the cap is 5"

with tempfile.TemporaryDirectory() as folder, socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    log = open(f"{folder}/service.log", "w")
    server = subprocess.Popen(
        [str(ROOT / ".build/debug/countersign"), "serve", "--port", str(port), "--rate-limit", "off", "--proof-of-work", "off",
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
            for prefix in ("signed", "withdrawing"):
                session.post(f"{base}/api/petitions/{SLUG}/signatures", json={"email": f"{prefix}{i}@example.org"})
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
        never, withdrawing = [], []
        for r in range(rounds):
            for i in range(100):
                for email, samples in ((f"never{r}-{i}@example.org", never), (f"withdrawing{i}@example.org", withdrawing)):
                    start = time.perf_counter()
                    assert session.post(f"{base}/api/petitions/{SLUG}/withdrawals", json={"email": email}).status_code == 202
                    samples.append((time.perf_counter() - start) * 1000)
        print(f"median sign latency: new {statistics.median(new):.2f} ms, already signed {statistics.median(signed):.2f} ms "
              f"(n={len(new)} each)")
        print(f"already-signed/new median ratio: {statistics.median(signed) / statistics.median(new):.2f}")
        print(f"median withdrawal-request latency: never signed {statistics.median(never):.2f} ms, "
              f"signed {statistics.median(withdrawing):.2f} ms (n={len(never)} each)")
        print(f"signed/never-signed median ratio: {statistics.median(withdrawing) / statistics.median(never):.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
