"""HEAD over real HTTP/1.1 against `countersign serve` (RFC 9110): the status and headers of the GET, no body on the
wire (the next request on the same keep-alive connection still parses), and an organizer export's HEAD records no
release. The Swift suite (HeadTests) checks every GET route of the router; this checks the server's framing."""
import pytest
import requests

from test_organizers_auditors import sign_and_confirm
from test_service import SLUG, cli, database_for, query, start_service

PATHS = ["/", f"/petitions/{SLUG}", f"/petitions/{SLUG}/count.svg", f"/api/petitions/{SLUG}", "/api/petitions", "/style.css",
         "/healthz", "/audit/checkpoint", f"/count/{SLUG}/checkpoint", "/confirm/some-token", "/petitions/no-such-petition"]


@pytest.fixture
def service(tmp_path):
    description, stop = start_service(tmp_path, database_for("sqlite", tmp_path))
    yield description
    stop()


def test_head_answers_as_get_without_a_body(service):
    base = service["base"]
    session = requests.Session()
    for path in PATHS:
        head = session.head(f"{base}{path}")
        get = session.get(f"{base}{path}")  # on the same connection: a stray body after the HEAD would garble this answer
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("Content-Length") == str(len(get.content)), path
        for name in ("Content-Type", "Cache-Control", "Content-Security-Policy", "Cross-Origin-Resource-Policy"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)


def test_head_of_an_export_records_no_release(service):
    base = service["base"]
    # 13 signers: the region table can withhold its small cells (with fewer, the export is refused, HEAD and GET alike).
    sign_and_confirm(base, service["inbox"], [f"person{n}@example.org" for n in range(13)])
    token = cli(service, "tokens", "create", "--role", "organizer", "--petition", SLUG)
    session = requests.Session()
    url = f"{base}/api/petitions/{SLUG}/export?by=region&format=csv"
    for _ in range(3):
        head = session.head(url, headers={"Authorization": f"Bearer {token}"})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["Content-Type"].startswith("text/csv") and "Content-Length" not in head.headers
    assert query(service, "SELECT count(*) FROM release") == "0"
    assert session.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert query(service, "SELECT count(*) FROM release") == "1"
