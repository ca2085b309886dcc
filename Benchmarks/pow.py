#!/usr/bin/env python3
"""Proof-of-work solve times at each maxnumber the service hands out (Docs/service.md, "Proof of work").

A benchmark, not a timed test. For each maxnumber it makes ROUNDS challenges exactly as the service does (12 random
bytes of salt in hex, `?expires=UNIX&`, a number drawn uniformly from 0..maxnumber) and times two solvers:
- the site's own script, /pow.js, in its Web Worker with WebCrypto, in headless Chromium (selenium) against the real
  binary (`countersign serve --proof-of-work on`), the way a signer's browser runs it;
- a native solver (Python's hashlib), the cost to a bot that does not use a browser.
The same-run baseline is `openssl speed -evp sha256` on 16-byte blocks: hashes a second one core can do.
It prints the median and 90th percentile of each, and how many times slower than the native solver the browser is.

Usage: Benchmarks/pow.py [--rounds N] [--binary PATH]
"""
import argparse
import hashlib
import os
import pathlib
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
LEVELS = [50_000, 100_000, 200_000, 500_000, 1_000_000]


def challenge(maxnumber):
    salt = secrets.token_hex(12) + f"?expires={int(time.time()) + 600}&"
    number = secrets.randbelow(maxnumber + 1)
    return {"algorithm": "SHA-256", "challenge": hashlib.sha256(f"{salt}{number}".encode()).hexdigest(), "maxnumber": maxnumber,
            "salt": salt, "signature": "0" * 64}, number


def native(found):
    started = time.perf_counter()
    for number in range(found["maxnumber"] + 1):
        if hashlib.sha256(f"{found['salt']}{number}".encode()).hexdigest() == found["challenge"]:
            return time.perf_counter() - started, number
    raise AssertionError("unsolved")


def openssl_rate():
    done = subprocess.run(["openssl", "speed", "-seconds", "2", "-bytes", "16", "-evp", "sha256"], capture_output=True, text=True, check=True)
    line = [line for line in done.stdout.splitlines() if line.lower().startswith("sha256")][-1]
    return float(line.split()[-1].rstrip("k")) * 1000 / 16


def browser(rounds, binary):
    from selenium import webdriver

    with tempfile.TemporaryDirectory() as folder:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        server = subprocess.Popen(
            [binary, "serve", "--port", str(port), "--keys", f"{folder}/keys", "--database", f"sqlite:{folder}/db.sqlite",
             "--petitions", str(ROOT / "seeds"), "--proof-of-work", "on", "--log-level", "error"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        options.binary_location = "/usr/bin/chromium"
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
        driver.set_script_timeout(600)
        try:
            for _ in range(100):
                try:
                    driver.get(f"http://127.0.0.1:{port}/")
                    break
                except Exception:
                    time.sleep(0.1)
            results = {}
            for maxnumber in LEVELS:
                times = []
                for _ in range(rounds):
                    found, number = challenge(maxnumber)
                    # The page's worker, as /pow.js starts it; the time includes starting the worker.
                    elapsed, solved = driver.execute_async_script(
                        """
                        const [challenge, done] = arguments;
                        const started = performance.now();
                        const worker = new Worker('/pow.js');
                        worker.onmessage = (event) => { worker.terminate(); done([(performance.now() - started) / 1000, event.data.number]); };
                        worker.postMessage(challenge);
                        """, found)
                    assert solved == number, (solved, number)
                    times.append(elapsed)
                results[maxnumber] = times
            return results
        finally:
            driver.quit()
            server.terminate()
            server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "countersign"))
    arguments = parser.parse_args()
    if not os.path.exists(arguments.binary):
        sys.exit(f"{arguments.binary} is missing: build it first (swift build -c release --product countersign)")
    rate = openssl_rate()
    print(f"baseline: openssl speed -evp sha256, 16-byte blocks: {rate:,.0f} hashes/s on one core")
    in_browser = browser(arguments.rounds, arguments.binary)
    print(f"{'maxnumber':>10} {'browser median':>15} {'p90':>7} {'native median':>14} {'p90':>7} {'browser/native':>15} {'native hashes/s':>16} {'/openssl':>9}")
    for maxnumber in LEVELS:
        runs = [native(challenge(maxnumber)[0]) for _ in range(arguments.rounds)]
        native_times = [elapsed for elapsed, _ in runs]
        hashes = sum(number + 1 for _, number in runs) / sum(native_times)
        browser_times = in_browser[maxnumber]
        quantile = lambda values: statistics.quantiles(values, n=10)[-1]
        print(f"{maxnumber:>10,} {statistics.median(browser_times):>14.2f}s {quantile(browser_times):>6.2f}s "
              f"{statistics.median(native_times):>13.2f}s {quantile(native_times):>6.2f}s "
              f"{statistics.median(browser_times) / statistics.median(native_times):>15.1f} {hashes:>16,.0f} {hashes / rate:>9.3f}")


if __name__ == "__main__":
    main()
