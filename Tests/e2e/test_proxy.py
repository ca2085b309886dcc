"""Behind a reverse proxy: the rate limit must key on the client the proxy names, and only a trusted proxy may name
it. Against `countersign serve` on loopback, where the tests play the proxy (127.0.0.1) and its clients.
"""
import requests

from test_service import SLUG, start_service

SIGN = f"/api/petitions/{SLUG}/signatures"


def sign(service, address, client):
    return requests.post(f"{service['base']}{SIGN}", json={"email": address}, headers={"X-Forwarded-For": client})


def test_clients_behind_a_trusted_proxy_get_their_own_buckets(tmp_path):
    """Before, every request from the proxy shared the proxy's bucket: one busy client locked everyone out."""
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", extra=("--trusted-proxies", "127.0.0.1/32", "--rate-limit", "1/1"))
    try:
        # The proxy appends the address it saw to whatever the client sent; the client forged the first hop.
        assert sign(service, "a@example.org", "6.6.6.6, 203.0.113.7").status_code == 202
        assert sign(service, "b@example.org", "198.51.100.9").status_code == 202
        assert sign(service, "c@example.org", "1.2.3.4, 203.0.113.7").status_code == 429, "same client, same bucket"
        forwarded = requests.post(
            f"{service['base']}{SIGN}", json={"email": "d@example.org"}, headers={"Forwarded": 'for="[2001:db8::1]:4711"'})
        assert forwarded.status_code == 202
    finally:
        stop()


def test_forged_headers_from_an_untrusted_peer_change_nothing(tmp_path):
    """The peer (127.0.0.1) is not a trusted proxy here, so its X-Forwarded-For cannot buy it a fresh bucket."""
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", extra=("--trusted-proxies", "10.0.0.0/8", "--rate-limit", "1/1"))
    try:
        assert sign(service, "a@example.org", "203.0.113.7").status_code == 202
        assert sign(service, "b@example.org", "198.51.100.9").status_code == 429
    finally:
        stop()
