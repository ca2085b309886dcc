"""Trend alerts against the real binary: a bot flood from one network, with the rate limit off, reaches a webhook
receiver on loopback (a Python http.server started here), and neither the alerts nor the log name an address, a
canonical address, the client's IP, or a domain fewer than 10 distinct signers used.

The flood comes through a trusted proxy (127.0.0.1) that names one client, 198.51.100.23, so that the client's IP is
distinct from the loopback address the service listens on, and can be searched for.
"""
import http.server
import json
import re
import subprocess
import threading

import pytest
import requests

from test_service import BINARY, SLUG, cli, messages, start_service, wait_for
from vectors import canonical_email

SIGN = f"/api/petitions/{SLUG}/signatures"
CLIENT = "198.51.100.23"
WARN, ALERT = 20, 40


class Receiver(http.server.ThreadingHTTPServer):
    """A webhook receiver on 127.0.0.1 that keeps every POST: its path, content type and body."""

    def __init__(self):
        self.posts = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(handler):
                body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
                self.posts.append((handler.path, handler.headers.get("Content-Type"), body))
                handler.send_response(204)
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


def flood(service, addresses):
    for address in addresses:
        answer = requests.post(f"{service['base']}{SIGN}", json={"email": address}, headers={"X-Forwarded-For": CLIENT})
        assert answer.status_code == 202, answer.text


def test_a_bot_flood_from_one_network_reaches_the_webhook_and_names_nothing_personal(tmp_path):
    receiver = Receiver()
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite",
        extra=("--trusted-proxies", "127.0.0.1/32", "--alert-warn", str(WARN), "--alert-webhook-threshold", str(ALERT),
               "--alert-webhook", receiver.url))
    try:
        # 45 distinct bots at one domain (spelled in several ways), and 45 requests from only 3 addresses at another.
        crowd = [f"Bot.{n}+Flood@Crowd.Example" if n % 2 else f"bot{n}@crowd.example" for n in range(45)]
        family = [f"{name}@alice-family.example" for name in ("alice", "bob", "carol")] * 15
        flood(service, crowd + family)
        wait_for(lambda: len(receiver.posts) >= 2, what="two alerts: the network, and the domain ten signers used")
        # The same flood again within the hour: every sign is counted (the mails show it), no alert comes twice.
        flood(service, crowd)
        messages(service["inbox"], 45 + 3 * 5 + 45)  # the daily mail cap holds each family address to 5 mails
        output = (tmp_path / "service.log").read_bytes()
        assert len(receiver.posts) == 2, receiver.posts

        alerts = []
        for path, content_type, body in receiver.posts:
            assert path == "/hook" and content_type == "application/json"
            alert = json.loads(body)
            assert alert["type"] == "countersign.trend-alert" and alert["threshold"] == ALERT and alert["window"] == 3600
            assert alert["signs"] >= ALERT
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", alert["at"])
            alerts.append(alert)
        by_kind = {}
        for alert in alerts:
            by_kind.setdefault(alert["kind"], []).append(alert)
        [network] = by_kind["network"]
        assert set(network) == {"type", "kind", "network", "signs", "threshold", "window", "at"}
        assert re.fullmatch(r"[0-9a-f]{32}", network["network"]), "a network is named by its opaque id"
        domains = sorted(by_kind["domain"], key=lambda a: a["domain"] or "")
        assert [a["domain"] for a in domains] == ["crowd.example"], "3 distinct signers are too few to report a domain"

        # Nothing personal in the alerts, nor in the log; the log names the network by the same id.
        needles = {CLIENT, "198.51.100.", "alice-family"}
        for address in set(crowd + family):
            canonical, _ = canonical_email(address)
            needles |= {address, address.lower(), canonical, address.split("@")[0], canonical.split("@")[0]}
        bodies = b"\n".join(body for _, _, body in receiver.posts)
        assert not [n for n in needles | {"127.0.0.1"} if n.encode() in bodies], "an alert names something personal"
        hits = [n for n in needles if n.encode() in output]
        assert not hits, f"the service log names something personal: {hits[:3]}"
        assert network["network"].encode() in output and b"crowd.example" in output

        auditor = cli(service, "tokens", "create", "--role", "auditor")
        metrics = requests.get(f"{service['base']}/metrics", headers={"Authorization": f"Bearer {auditor}"}).text
        for line in ('countersign_trend_warnings_total{kind="network"} 1', 'countersign_trend_warnings_total{kind="domain"} 1',
                     'countersign_trend_alerts_total{kind="network"} 1', 'countersign_trend_alerts_total{kind="domain"} 1'):
            assert line in metrics, metrics
        assert not re.search(r"countersign_alert_webhook_failures_total [1-9]", metrics)
        assert not [n for n in needles if n.encode() in metrics.encode()]
    finally:
        stop()
        receiver.shutdown()


def test_an_unreachable_webhook_is_counted_as_a_failure_and_never_holds_a_request(tmp_path):
    """A receiver that accepts the connection and never answers: signs are answered at once, the POST gives up after its
    timeout, and the failure is counted."""
    import socket
    import time
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite",
        extra=("--alert-warn", "1", "--alert-webhook-threshold", "1", "--alert-webhook",
               f"http://127.0.0.1:{silent.getsockname()[1]}/hook"))
    try:
        slowest = 0
        for n in range(20):
            start = time.monotonic()
            assert requests.post(f"{service['base']}{SIGN}", json={"email": f"s{n}@example.org"}).status_code == 202
            slowest = max(slowest, time.monotonic() - start)
        assert slowest < 2, f"a sign waited {slowest:.1f} s on the webhook"
        auditor = cli(service, "tokens", "create", "--role", "auditor")

        def failed():
            text = requests.get(f"{service['base']}/metrics", headers={"Authorization": f"Bearer {auditor}"}).text
            return re.search(r"countersign_alert_webhook_failures_total [1-9]", text)

        wait_for(failed, seconds=30, what="the webhook failure to be counted")
    finally:
        stop()
        silent.close()


@pytest.mark.parametrize("option, value, message", [
    ("--alert-webhook", "ftp://alerts.example.org/x", "--alert-webhook takes an http:// or https:// URL"),
    ("--alert-webhook", "not a url", "--alert-webhook takes an http:// or https:// URL"),
    ("--alert-warn", "0", "--alert-warn takes a number of signs an hour, at least 1"),
    ("--alert-webhook-threshold", "-5", "--alert-webhook-threshold takes a number of signs an hour, at least 1"),
])
def test_a_bad_alert_option_stops_the_server_with_a_clear_error(tmp_path, option, value, message):
    done = subprocess.run(
        [str(BINARY), "serve", "--port", "1", "--keys", str(tmp_path / "keys"), "--database", f"sqlite:{tmp_path}/db.sqlite",
         f"{option}={value}"], capture_output=True, text=True, cwd=tmp_path, timeout=30)
    assert done.returncode != 0 and message in done.stdout + done.stderr
    assert not (tmp_path / "db.sqlite").exists(), "nothing was created"
