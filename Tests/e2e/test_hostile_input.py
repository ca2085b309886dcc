"""A catalogue of hostile HTTP requests against the real `countersign serve` (SQLite and PostgreSQL), each with the
exact status a correct, careful service answers.

The requests go over a raw socket, byte for byte as written here (no client normalizes `../`, re-encodes a path or
fixes a framing error), with a 10 s deadline each: a case that gets no answer in time fails as a hang. One service
per database runs the whole catalogue; `test_store_is_consistent_and_count_unchanged` then runs `countersign store
check` and compares the petition's count with the one before the catalogue.

Beyond the status, every case checks that the answer is not a 5xx, that no response header carries the hostile input
(no header injection) and that no error body repeats it; API errors must be the `{"error", "message"}` JSON body with
the expected code. Expected statuses follow `Docs/openapi.yaml`, `Docs/service.md` and `Docs/organizers.md` where they
say, and RFC 9110/9112 (414, 431, 400 for framing errors) where they do not. A path or method that no route matches
answers `404` with an empty body, as `Docs/openapi.yaml` documents.
"""
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests

from test_service import SLUG, cli, count, database_for, link, messages, start_service

TIMEOUT = 10
# Strings the hostile inputs below carry; none may come back in an error body or in any response header.
MARKERS = [b"evil.example", b"passwd", b"pwned", b"<script", b"hostile", b"bcc:"]
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


# --- the raw HTTP client ---------------------------------------------------------------------------------------

def request(method, path, headers=(), body=None, *, json_body=None, ctype=None, length="auto", chunked=False,
            host=True, close=True):
    """The bytes of one HTTP/1.1 request. `length`: "auto" (Content-Length of the body when there is one), None (no
    Content-Length at all), or a value written as given. `chunked` sends the body in 64 KiB chunks."""
    if json_body is not None:
        body = json.dumps(json_body)
        ctype = ctype or JSON
    if isinstance(body, str):
        body = body.encode()
    lines = [f"{method} {path} HTTP/1.1".encode()]
    if host:
        lines.append(b"Host: 127.0.0.1")
    if ctype:
        lines.append(f"Content-Type: {ctype}".encode())
    for name, value in headers:
        lines.append((name.encode() if isinstance(name, str) else name) + b": " + (value.encode() if isinstance(value, str) else value))
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
        payload = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536]) for i in range(0, len(body), 65536)) + b"0\r\n\r\n"
    else:
        if length == "auto" and body is not None:
            lines.append(b"Content-Length: %d" % len(body))
        elif length not in ("auto", None):
            lines.append(f"Content-Length: {length}".encode())
        payload = body or b""
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + payload


@dataclass
class Answer:
    status: int | None
    headers: list = field(default_factory=list)
    body: bytes = b""
    problem: str = ""

    def header(self, name):
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)


def exchange(port, data, half_close=False):
    """Sends `data` (from a thread, so that an early answer is read while a large body is still going out) and reads
    the first response. A response that does not arrive within TIMEOUT seconds is a hang."""
    deadline = time.monotonic() + TIMEOUT
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)

    def send():
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and closed early, which is allowed

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    received = b""
    try:
        while True:
            parsed = parse(received)
            if parsed is not None:
                return parsed
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Answer(None, problem=f"no complete answer within {TIMEOUT} s (received {received[:120]!r})")
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return Answer(None, problem=f"no complete answer within {TIMEOUT} s (received {received[:120]!r})")
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                parsed = parse(received, eof=True)
                return parsed or Answer(None, problem=f"connection closed without an answer (received {received[:120]!r})")
            received += chunk
    finally:
        sock.close()
        sender.join(timeout=TIMEOUT)


def parse(data, eof=False):
    """The first response in `data`, or None while it is incomplete."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    head, rest = data[:end].split(b"\r\n"), data[end + 4:]
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head[0])
    if not match:
        return Answer(None, problem=f"not an HTTP response: {head[0][:120]!r}")
    headers = [tuple(x.strip() for x in line.decode("latin-1").split(":", 1)) for line in head[1:] if b":" in line]
    answer = Answer(int(match.group(1)), headers)
    if answer.header("Transfer-Encoding") and "chunked" in answer.header("Transfer-Encoding").lower():
        body = b""
        while True:
            line_end = rest.find(b"\r\n")
            if line_end < 0:
                return answer if eof else None
            size = int(rest[:line_end].split(b";")[0], 16)
            if size == 0:
                answer.body = body
                return answer
            if len(rest) < line_end + 2 + size + 2:
                return answer if eof else None
            body += rest[line_end + 2:line_end + 2 + size]
            rest = rest[line_end + 2 + size + 2:]
    length = answer.header("Content-Length")
    if length is not None:
        if len(rest) < int(length):
            return answer if eof else None
        answer.body = rest[:int(length)]
        return answer
    if eof:
        answer.body = rest
        return answer
    return None


# --- the catalogue ---------------------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    data: object  # request bytes, or a function of the context (tokens, CSRF value) returning them
    status: int
    error: str | None = None  # the API error code; the body must then be the JSON error
    page: bool = False  # an HTML page is expected
    half_close: bool = False
    secrets: tuple = ()  # context keys whose values must not come back in an error body


def api_sign(body_json=None, raw=None, **kwargs):
    path = f"/api/petitions/{SLUG}/signatures"
    if raw is not None:
        return request("POST", path, body=raw, ctype=kwargs.pop("ctype", JSON), **kwargs)
    return request("POST", path, json_body=body_json, **kwargs)


def api_withdrawal_request(body_json):
    return request("POST", f"/api/petitions/{SLUG}/withdrawals", json_body=body_json)


def confirm(token_json):
    return request("POST", "/api/confirmations", json_body={"token": token_json})


def form(path, fields, csrf_cookie=None, extra_headers=()):
    headers = list(extra_headers)
    if csrf_cookie is not None:
        headers.append(("Cookie", csrf_cookie))
    return request("POST", path, headers, body=fields, ctype=FORM)


def export(query="", authorization="org"):
    def build(c):
        headers = [("Authorization", f"Bearer {c['organizer']}")] if authorization == "org" else []
        return request("GET", f"/api/petitions/{SLUG}/export{query}", headers)
    return build


def authorized(value):
    """An export request whose Authorization header is `value(context)`."""
    return lambda c: request("GET", f"/api/petitions/{SLUG}/export", [("Authorization", value(c))])


def with_csrf(path, fields):
    """A form post with a matching CSRF pair (cookie and field), so that what is tested is the field values."""
    return lambda c: form(path, f"{fields}&csrf={c['csrf']}", f"csrf={c['csrf']}")


BCC = "\r\nBcc: victim@evil.example"
TEN_MB = b'{"email":"' + b"a" * (10 * 1024 * 1024) + b'"}'
SIGN = f"/api/petitions/{SLUG}/signatures"
CHUNKED_HEAD = f"POST {SIGN} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n".encode()


def non_canonical(token):
    """`token` with the two unused low bits of its last character set: decodes to the same 62 bytes in a lax decoder."""
    return token[:-1] + BASE64URL[BASE64URL.index(token[-1]) | 1]


CASES = [
    # --- slugs: path traversal, NUL, CR/LF, length ---
    Case("slug-dotdot-raw", request("GET", "/api/petitions/../../../etc/passwd"), 404),
    Case("slug-dotdot-after-slug", request("GET", f"/api/petitions/{SLUG}/../../../etc/passwd"), 404),
    Case("slug-dotdot-encoded", request("GET", "/api/petitions/..%2F..%2F..%2Fetc%2Fpasswd"), 404, "unknown-petition"),
    Case("slug-dot-dot-percent-2e", request("GET", "/api/petitions/%2e%2e"), 404, "unknown-petition"),
    Case("slug-backslash-traversal", request("GET", "/api/petitions/..%5c..%5cwindows%5cwin.ini"), 404, "unknown-petition"),
    Case("slug-dotdot-page", request("GET", "/petitions/..%2f..%2fetc%2fpasswd"), 404, page=True),
    Case("slug-dotdot-static", request("GET", "/style.css/../../../../etc/passwd"), 404),
    Case("slug-dotdot-sign", request("POST", "/api/petitions/..%2f..%2fetc%2fpasswd/signatures", json_body={"email": "a@example.org"}),
         404, "unknown-petition"),
    Case("slug-dotdot-export", lambda c: request(
        "GET", "/api/petitions/..%2f..%2fetc%2fpasswd/export", [("Authorization", f"Bearer {c['organizer']}")]), 404, "unknown-petition"),
    Case("slug-nul-encoded", request("GET", f"/api/petitions/{SLUG}%00"), 404, "unknown-petition"),
    Case("slug-crlf-encoded", request("GET", f"/api/petitions/{SLUG}%0d%0aSet-Cookie:%20pwned=1"), 404, "unknown-petition"),
    Case("slug-crlf-sign", request("POST", f"/api/petitions/{SLUG}%0d%0a/signatures", json_body={"email": "a@example.org"}),
         404, "unknown-petition"),
    Case("slug-nul-page-form", with_csrf(f"/petitions/{SLUG}%00/sign", "email=a%40example.org"), 404, page=True),
    Case("slug-uppercase", request("GET", f"/api/petitions/{SLUG.upper()}"), 404, "unknown-petition"),
    Case("slug-65-characters", request("GET", "/api/petitions/" + "a" * 65), 404, "unknown-petition"),
    Case("slug-nul-byte-raw", f"GET /api/petitions/{SLUG}".encode() + b"\x00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400),
    Case("slug-crlf-raw-request-splitting",
         f"GET /api/petitions/{SLUG}\r\nSet-Cookie: pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode(), 400),

    # --- over-long URLs and headers ---
    # 414 and 431 would be more precise; Hummingbird 2.28 answers every HTTP parser error, these included, with a
    # bare 400 before any route runs (HTTPChannelHandler), which refuses the request and changes nothing.
    Case("url-100k", request("GET", "/api/petitions/" + "a" * 100_000), 400),
    Case("query-100k-on-export", export("?k=" + "1" * 100_000), 400),
    Case("header-100k", request("GET", "/healthz", [("X-Hostile", "a" * 100_000)]), 400),
    Case("header-5000-fields", request("GET", "/healthz", [(f"X-Hostile-{n}", "v") for n in range(5000)]), 400),
    Case("header-nul-raw", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Hostile: a\x00b\r\nConnection: close\r\n\r\n", 400),
    Case("header-bare-cr-raw", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Hostile: a\rb\r\nConnection: close\r\n\r\n", 400),
    Case("request-line-garbage", b"HOSTILE\r\n\r\n", 400),

    # --- email: NUL, CR/LF and friends (API and forms) ---
    Case("email-nul", api_sign({"email": "hostile\u0000@evil.example"}), 400, "invalid-email"),
    Case("email-crlf-bcc", api_sign({"email": "hostile@example.org" + BCC}), 400, "invalid-email"),
    Case("email-lf-inside", api_sign({"email": "hostile\n@evil.example"}), 400, "invalid-email"),
    Case("email-cr-inside", api_sign({"email": "hostile\r@evil.example"}), 400, "invalid-email"),
    Case("email-line-separator", api_sign({"email": "hostile\u2028@evil.example"}), 400, "invalid-email"),
    Case("email-300-bytes", api_sign({"email": "hostile" + "a" * 300 + "@evil.example"}), 400, "invalid-email"),
    Case("email-not-a-string", api_sign({"email": ["hostile@evil.example"]}), 400, "invalid-json"),
    # Rule 1 of the canonical form trims surrounding white space (the vector "\talice@example.org\n"), and mail goes
    # to the trimmed address: surrounding CR/LF is accepted as typed whitespace, never reaching a header.
    Case("email-surrounding-crlf-trimmed", api_sign({"email": "\r\ntrimmed@example.org\r\n"}), 202),
    Case("withdrawal-email-crlf-bcc", api_withdrawal_request({"email": "hostile@example.org" + BCC}), 400, "invalid-email"),
    Case("withdrawal-email-nul", api_withdrawal_request({"email": "hostile\u0000@evil.example"}), 400, "invalid-email"),
    Case("form-email-crlf-bcc", with_csrf(f"/petitions/{SLUG}/sign", "email=hostile%40example.org%0d%0aBcc:%20victim%40evil.example"),
         400, page=True),
    Case("form-email-nul", with_csrf(f"/petitions/{SLUG}/sign", "email=hostile%00%40evil.example"), 400, page=True),
    Case("form-withdrawal-email-crlf", with_csrf(f"/petitions/{SLUG}/withdraw", "email=hostile%40example.org%0d%0aBcc:%20x%40evil.example"),
         400, page=True),

    # --- region: NUL, CR/LF, type, length ---
    Case("region-crlf", api_sign({"email": "region@example.org", "region": "Texas" + BCC}), 400, "invalid-region"),
    Case("region-trailing-crlf", api_sign({"email": "region@example.org", "region": "Texas\r\n"}), 400, "invalid-region"),
    Case("region-nul", api_sign({"email": "region@example.org", "region": "Texas\u0000hostile"}), 400, "invalid-region"),
    Case("region-3000-characters", api_sign({"email": "region@example.org", "region": "hostile" * 430}), 400, "invalid-region"),
    Case("region-not-a-string", api_sign({"email": "region@example.org", "region": 7}), 400, "invalid-json"),
    Case("form-region-crlf", with_csrf(f"/petitions/{SLUG}/sign", "email=region%40example.org&region=Texas%0d%0aBcc:%20x%40evil.example"),
         400, page=True),

    # --- tokens: every wrong length and alphabet, NUL, CR/LF, the wrong purpose ---
    *[Case(f"token-length-{n}", confirm("A" * n), 400, "invalid-token") for n in (0, 1, 82, 84, 166, 3000)],
    Case("token-standard-base64-alphabet", confirm("+/" * 41 + "A"), 400, "invalid-token"),
    Case("token-padded", lambda c: confirm(c["pending"] + "="), 400, "invalid-token",
         secrets=("pending",)),
    Case("token-dots-and-tildes", confirm(".~" * 41 + "A"), 400, "invalid-token"),
    Case("token-non-ascii-83-characters", confirm("é" * 83), 400, "invalid-token"),
    Case("token-fullwidth-letters", confirm("Ａ" * 83), 400, "invalid-token"),
    Case("token-space-inside", confirm("A" * 41 + " " + "A" * 41), 400, "invalid-token"),
    Case("token-nul", lambda c: confirm(c["pending"][:82] + "\u0000"), 400, "invalid-token", secrets=("pending",)),
    Case("token-crlf-appended", lambda c: confirm(c["pending"] + "\r\n"), 400, "invalid-token", secrets=("pending",)),
    Case("token-crlf-prepended", lambda c: confirm("\r\n" + c["pending"]), 400, "invalid-token", secrets=("pending",)),
    Case("token-non-canonical-last-character", lambda c: confirm(non_canonical(c["pending"])), 400, "invalid-token",
         secrets=("pending",)),
    Case("token-null", confirm(None), 400, "invalid-json"),
    Case("token-number", confirm(12345), 400, "invalid-json"),
    Case("token-array", lambda c: confirm([c["pending"]]), 400, "invalid-json", secrets=("pending",)),
    Case("withdrawal-token-sent-to-confirm", lambda c: confirm(c["withdraw"]), 400, "invalid-token", secrets=("withdraw",)),
    Case("confirm-token-sent-to-withdraw", lambda c: request("POST", "/api/withdrawals", json_body={"token": c["confirmed"]}),
         400, "invalid-token", secrets=("confirmed",)),
    Case("withdrawal-token-sent-to-confirm-page", lambda c: form(f"/confirm/{c['withdraw']}", f"csrf={c['csrf']}", f"csrf={c['csrf']}"),
         400, page=True, secrets=("withdraw",)),
    Case("token-crlf-in-confirm-page", with_csrf("/confirm/AAAA%0d%0aSet-Cookie:%20pwned=1", "x=1"), 400, page=True),
    Case("token-nul-in-withdraw-page", with_csrf("/withdraw/" + "A" * 82 + "%00", "x=1"), 400, page=True),
    # A mailed link opened with GET shows a button and changes nothing; the hostile token may sit in the form
    # (escaped), but must never become a header or live markup.
    Case("token-crlf-get-page", request("GET", "/confirm/AAAA%0d%0aSet-Cookie:%20pwned=1"), 200, page=True),
    Case("token-script-get-page", request("GET", "/confirm/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), 200, page=True),

    # --- JSON: duplicate and deeply nested keys, not JSON ---
    # Duplicate keys are ambiguous (RFC 8259 4): a proxy or filter may read one value and the service the other.
    Case("json-duplicate-email", api_sign(raw=b'{"email":"dup@example.org","email":"hostile\\r\\n@evil.example"}'), 400, "invalid-json"),
    Case("json-duplicate-region", api_sign(raw=b'{"email":"dup@example.org","region":"hostile","region":"Texas"}'), 400, "invalid-json"),
    Case("json-duplicate-token-valid-last",
         lambda c: request("POST", "/api/confirmations", body=f'{{"token":"hostile","token":"{c["pending"]}"}}', ctype=JSON),
         400, "invalid-json", secrets=("pending",)),
    Case("json-duplicate-token-valid-first",
         lambda c: request("POST", "/api/confirmations", body=f'{{"token":"{c["pending"]}","token":"hostile"}}', ctype=JSON),
         400, "invalid-json", secrets=("pending",)),
    Case("json-nested-600-objects", api_sign(raw=b'{"a":' * 600 + b"1" + b"}" * 600), 400, "invalid-json"),
    Case("json-nested-2000-arrays", api_sign(raw=b"[" * 2000 + b"]" * 2000), 400, "invalid-json"),
    Case("json-nested-in-email", api_sign(raw=b'{"email":' + b"[" * 1000 + b"]" * 1000 + b"}"), 400, "invalid-json"),
    Case("json-top-level-array", api_sign(raw=b'["hostile@evil.example"]'), 400, "invalid-json"),
    Case("json-invalid-utf8", api_sign(raw=b'{"email":"\xff\xfe@evil.example"}'), 400, "invalid-json"),
    Case("json-raw-nul-byte", api_sign(raw=b'{"email":"hostile\x00@evil.example"}'), 400, "invalid-json"),
    Case("json-as-text-plain", api_sign(raw=b'{"email":"hostile@evil.example"}', ctype="text/plain"), 415, "unsupported-media-type"),
    Case("json-without-content-type", request("POST", SIGN, body=b'{"email":"hostile@evil.example"}'), 415, "unsupported-media-type"),
    Case("json-lookalike-content-type", api_sign(raw=b'{"email":"hostile@evil.example"}', ctype="application/jsonx"),
         415, "unsupported-media-type"),

    # --- bodies: 10 MB with and without Content-Length, chunked, framing errors ---
    Case("body-10mb-content-length", api_sign(raw=TEN_MB), 413, "body-too-large"),
    Case("body-10mb-chunked", api_sign(raw=TEN_MB, chunked=True), 413, "body-too-large"),
    # Neither Content-Length nor chunked: the request has no body (RFC 9112 6.3); the 10 MB that follow are a
    # malformed next request on a connection the server then closes.
    Case("body-10mb-no-length-no-chunked", api_sign(raw=TEN_MB, length=None), 400, "invalid-json"),
    Case("body-10mb-declared-not-sent", CHUNKED_HEAD.replace(b"Transfer-Encoding: chunked", b"Content-Length: 10485760")
         + b"Connection: close\r\n\r\n" + b'{"email":', 413, "body-too-large"),
    Case("body-chunked-small-hostile", api_sign({"email": "hostile@example.org" + BCC}, chunked=True), 400, "invalid-email"),
    Case("body-chunked-bad-size", CHUNKED_HEAD + b"Connection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
    # A chunk declared as 16 MB of which 8 KiB arrive: refused once past 4 KiB, without waiting for the rest.
    Case("body-chunked-declared-16mb", CHUNKED_HEAD + b"Connection: close\r\n\r\n1000000\r\n" + b"a" * 8192, 413, "body-too-large"),
    Case("body-chunked-truncated", CHUNKED_HEAD + b"\r\n10\r\n{\"email\":\"hostil", 400, half_close=True),
    Case("body-content-length-truncated", api_sign(raw=b'{"email":', length=100, close=False), 400, half_close=True),
    Case("body-content-length-short", api_sign(raw=b'{"email":"hostile@evil.example"}', length=5), 400, "invalid-json"),
    Case("body-content-length-and-chunked", CHUNKED_HEAD + b"Content-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n", 400),
    Case("body-two-content-lengths", api_sign(raw=b'{"email":', length="5\r\nContent-Length: 50"), 400),
    Case("body-negative-content-length", api_sign(raw=b"", length="-1"), 400),
    Case("body-form-5000-bytes", lambda c: form(f"/petitions/{SLUG}/sign", "x" * 5000, f"csrf={c['csrf']}"), 413, "body-too-large"),

    # --- wrong methods on served paths (405 method-not-allowed with Allow, Docs/openapi.yaml) ---
    Case("method-delete-petition", request("DELETE", f"/api/petitions/{SLUG}"), 405, "method-not-allowed"),
    Case("method-put-confirmations", request("PUT", "/api/confirmations", json_body={"token": "A" * 83}), 405, "method-not-allowed"),
    Case("method-get-confirmations", request("GET", "/api/confirmations"), 405, "method-not-allowed"),
    Case("method-patch-signatures", request("PATCH", SIGN, json_body={"email": "hostile@evil.example"}), 405, "method-not-allowed"),
    Case("method-get-signatures", request("GET", SIGN), 405, "method-not-allowed"),
    Case("method-post-export", lambda c: request(
        "POST", f"/api/petitions/{SLUG}/export", [("Authorization", f"Bearer {c['organizer']}")], json_body={}),
        405, "method-not-allowed"),
    Case("method-trace", request("TRACE", "/"), 405, "method-not-allowed"),
    Case("method-get-organize-session", request("GET", f"/organize/{SLUG}/session"), 405, "method-not-allowed"),
    Case("method-put-unknown-path", request("PUT", "/api/no-such-path"), 404),  # no route: 404 with an empty body

    # --- forged CSRF pairs on the page forms ---
    Case("csrf-none", form(f"/petitions/{SLUG}/sign", "email=hostile%40evil.example"), 403, page=True),
    Case("csrf-field-without-cookie", lambda c: form(f"/petitions/{SLUG}/sign", f"email=hostile%40evil.example&csrf={c['csrf']}"),
         403, page=True),
    Case("csrf-cookie-without-field", lambda c: form(f"/petitions/{SLUG}/sign", "email=hostile%40evil.example", f"csrf={c['csrf']}"),
         403, page=True),
    Case("csrf-mismatch", lambda c: form(f"/petitions/{SLUG}/sign", "email=hostile%40evil.example&csrf=" + "A" * 22, f"csrf={c['csrf']}"),
         403, page=True),
    Case("csrf-equal-but-malformed", form(f"/petitions/{SLUG}/sign", "email=hostile%40evil.example&csrf=x", "csrf=x"), 403, page=True),
    Case("csrf-equal-but-empty", form(f"/petitions/{SLUG}/sign", "email=hostile%40evil.example&csrf=", "csrf="), 403, page=True),
    Case("csrf-cross-site", lambda c: form(f"/petitions/{SLUG}/sign", f"email=hostile%40evil.example&csrf={c['csrf']}", f"csrf={c['csrf']}",
                                           [("Sec-Fetch-Site", "cross-site")]), 403, page=True),
    Case("csrf-field-with-nul", lambda c: form(f"/petitions/{SLUG}/sign", f"email=hostile%40evil.example&csrf={c['csrf']}%00",
                                               f"csrf={c['csrf']}"), 403, page=True),
    # Cookie tossing: a cookie planted by a sibling host or over http comes first; the field matches the planted one.
    Case("csrf-two-cookies-field-matches-planted", lambda c: form(
        f"/petitions/{SLUG}/sign", "email=hostile%40evil.example&csrf=" + "A" * 22, f"csrf={'A' * 22}; csrf={c['csrf']}"), 403, page=True),
    Case("csrf-forged-confirm-page", form("/confirm/" + "A" * 83, "csrf=" + "A" * 22, "csrf=" + "B" * 22), 403, page=True),
    Case("csrf-forged-withdraw-page", lambda c: form(f"/withdraw/{c['withdraw']}", "csrf=" + "A" * 22), 403, page=True,
         secrets=("withdraw",)),
    Case("csrf-forged-withdrawal-request", form(f"/petitions/{SLUG}/withdraw", "email=hostile%40evil.example&csrf=" + "A" * 22), 403,
         page=True),
    Case("csrf-forged-organizer-sign-in", lambda c: form(f"/organize/{SLUG}/session", f"token={c['organizer']}&csrf=" + "A" * 22),
         403, page=True, secrets=("organizer",)),
    Case("csrf-form-sent-as-json", lambda c: request("POST", f"/petitions/{SLUG}/sign", [("Cookie", f"csrf={c['csrf']}")],
                                                     json_body={"email": "hostile@evil.example", "csrf": c["csrf"]}),
         415, "unsupported-media-type"),
    Case("organizer-sign-in-crlf-token", with_csrf(f"/organize/{SLUG}/session", "token=cst_hostile%0d%0aSet-Cookie:%20pwned=1"),
         401, page=True),

    # --- malformed Authorization headers (export; 401 with WWW-Authenticate, 403 for another role) ---
    Case("auth-missing", export("", authorization=None), 401, "unauthorized"),
    Case("auth-empty", authorized(lambda c: ""), 401, "unauthorized"),
    Case("auth-scheme-only", authorized(lambda c: "Bearer"), 401, "unauthorized"),
    Case("auth-scheme-and-space", authorized(lambda c: "Bearer "), 401, "unauthorized"),
    Case("auth-basic", authorized(lambda c: "Basic aG9zdGlsZTpob3N0aWxl"), 401, "unauthorized"),
    Case("auth-no-scheme", authorized(lambda c: c["organizer"]), 401, "unauthorized", secrets=("organizer",)),
    Case("auth-tab-separator", authorized(lambda c: "Bearer\t" + c["organizer"]), 401, "unauthorized", secrets=("organizer",)),
    Case("auth-extra-word", authorized(lambda c: f"Bearer {c['organizer']} hostile"), 401, "unauthorized", secrets=("organizer",)),
    Case("auth-two-credentials", authorized(lambda c: f"Bearer {c['organizer']}, Basic aG9zdGlsZQ=="), 401, "unauthorized",
         secrets=("organizer",)),
    Case("auth-token-one-short", authorized(lambda c: "Bearer " + c["organizer"][:-1]), 401, "unauthorized", secrets=("organizer",)),
    Case("auth-token-one-long", authorized(lambda c: "Bearer " + c["organizer"] + "A"), 401, "unauthorized", secrets=("organizer",)),
    Case("auth-token-prefix-uppercase", authorized(lambda c: "Bearer CST_" + c["organizer"][4:]), 401, "unauthorized",
         secrets=("organizer",)),
    Case("auth-token-bad-alphabet", authorized(lambda c: "Bearer cst_" + "!" * 43), 401, "unauthorized"),
    Case("auth-token-10k", authorized(lambda c: "Bearer cst_" + "A" * 10_000), 401, "unauthorized"),
    Case("auth-token-non-ascii", authorized(lambda c: ("Bearer cst_" + "é" * 43).encode()), 401, "unauthorized"),
    Case("auth-nul-raw", lambda c: request("GET", f"/api/petitions/{SLUG}/export", [("Authorization", b"Bearer cst_\x00hostile")]), 400),
    Case("auth-obs-fold-raw", lambda c: request("GET", f"/api/petitions/{SLUG}/export",
                                                [("Authorization", "Bearer cst_hostile\r\n " + c["organizer"][4:])]), 400,
         secrets=("organizer",)),
    Case("auth-duplicate-header-valid-first", lambda c: request("GET", f"/api/petitions/{SLUG}/export", [
        ("Authorization", f"Bearer {c['organizer']}"), ("Authorization", "Bearer cst_hostile")]), 401, "unauthorized",
         secrets=("organizer",)),
    Case("auth-invalid-header-beats-valid-cookie", lambda c: request("GET", f"/api/petitions/{SLUG}/export", [
        ("Authorization", "Bearer cst_hostile"), ("Cookie", f"countersign_access={c['organizer']}")]), 401, "unauthorized",
         secrets=("organizer",)),
    Case("auth-auditor-token-on-export", authorized(lambda c: f"Bearer {c['auditor']}"), 403, "forbidden", secrets=("auditor",)),
    Case("auth-organizer-token-on-metrics", lambda c: request("GET", "/metrics", [("Authorization", f"Bearer {c['organizer']}")]),
         403, "forbidden", secrets=("organizer",)),
    Case("auth-malformed-on-metrics", request("GET", "/metrics", [("Authorization", "Bearer cst_hostile")]), 401, "unauthorized"),
    Case("auth-malformed-on-dashboard", request("GET", f"/organize/{SLUG}", [("Authorization", "Bearer cst_hostile")]), 401, page=True),

    # --- out-of-range k and epsilon on the export ---
    *[Case(f"export-k-{name}", export(f"?k={value}"), 400, "invalid-export") for name, value in [
        ("1", "1"), ("0", "0"), ("negative", "-5"), ("below-minimum", "9"), ("overflow", "9223372036854775808"),
        ("huge", "9" * 40), ("letters", "hostile"), ("fraction", "10.5"), ("exponent", "1e3"), ("plus-sign", "%2B12"),
        ("empty", ""), ("nul", "10%00"), ("crlf", "10%0d%0aSet-Cookie:%20pwned=1")]],
    *[Case(f"export-epsilon-{name}", export(f"?by=region&epsilon={value}"), 400, "invalid-export") for name, value in [
        ("0", "0"), ("0.000000", "0.000000"), ("negative", "-1"), ("over-100", "101"), ("just-over-100", "100.000001"),
        ("seven-decimals", "0.0000001"), ("exponent", "1e-3"), ("nan", "nan"), ("inf", "inf"), ("leading-point", ".5"),
        ("trailing-point", "5."), ("empty", ""), ("huge", "9" * 40), ("comma", "0%2C5"), ("nul", "1%00"), ("crlf", "1%0d%0a")]],
    Case("export-by-unknown", export("?by=hostile"), 400, "invalid-export"),
    Case("export-format-unknown", export("?format=hostile"), 400, "invalid-export"),
    Case("export-k-without-token", export("?k=1", authorization=None), 401, "unauthorized"),
]


# --- the service -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def hostile_service(request, tmp_path_factory):
    """One `countersign serve` per database for the whole catalogue, with a confirmed signature, an unused withdrawal
    token, an unused (pending) confirmation token, organizer and auditor tokens, a CSRF value and the count before."""
    tmp_path = tmp_path_factory.mktemp(f"hostile-{request.param}")
    service, stop = start_service(tmp_path, database_for(request.param, tmp_path))
    base, inbox = service["base"], service["inbox"]

    def post(path, body):
        return requests.post(f"{base}{path}", json=body, timeout=TIMEOUT)

    assert post(f"/api/petitions/{SLUG}/signatures", {"email": "setup@example.org", "region": "Texas"}).status_code == 202
    confirmed = link(messages(inbox, 1)[0][0], "confirm").rsplit("/", 1)[1]
    assert post("/api/confirmations", {"token": confirmed}).json()["status"] == "confirmed"
    assert post(f"/api/petitions/{SLUG}/withdrawals", {"email": "setup@example.org"}).status_code == 202
    withdraw = link(messages(inbox, 2)[1][0], "withdraw").rsplit("/", 1)[1]
    assert post(f"/api/petitions/{SLUG}/signatures", {"email": "pending@example.org"}).status_code == 202
    pending = link(messages(inbox, 3)[2][0], "confirm").rsplit("/", 1)[1]
    page = requests.get(f"{base}/petitions/{SLUG}", timeout=TIMEOUT)
    assert page.status_code == 200 and page.cookies.get("csrf")
    service.update(
        kind=request.param, port=int(base.rsplit(":", 1)[1]), confirmed=confirmed, withdraw=withdraw, pending=pending,
        csrf=page.cookies["csrf"], organizer=cli(service, "tokens", "create", "--role", "organizer"),
        auditor=cli(service, "tokens", "create", "--role", "auditor"),
        count=count(base))
    assert service["count"] == 1
    yield service
    stop()


def leaks(answer, case, context):
    """The hostile strings that came back: in any header, or in the body of an error."""
    found = []
    secrets = [context[key].encode() for key in case.secrets]
    for name, value in answer.headers:
        text = f"{name}: {value}".encode("latin-1", "replace").lower()
        found += [m.decode() for m in MARKERS if m in text] + [f"the {key} token" for key, s in zip(case.secrets, secrets) if s.lower() in text]
    if answer.status is not None and answer.status >= 400:
        body = answer.body.lower()
        found += [f"{m.decode()!r} in the body" for m in MARKERS if m in body]
        found += [f"the {key} token in the body" for key, s in zip(case.secrets, secrets) if s.lower() in body]
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_request(hostile_service, case):
    context = hostile_service
    data = case.data(context) if callable(case.data) else case.data
    answer = exchange(context["port"], data, half_close=case.half_close)
    problems = []
    if answer.status is None:
        problems.append(answer.problem)
    elif answer.status >= 500:
        problems.append(f"a server error {answer.status}: {answer.body[:200]!r}")
    if answer.status != case.status:
        problems.append(f"status {answer.status}, expected {case.status}")
    if answer.status is not None and case.error and answer.status == case.status:
        content_type = answer.header("Content-Type") or ""
        try:
            body = json.loads(answer.body)
        except ValueError:
            body = None
        if not content_type.startswith("application/json") or not isinstance(body, dict) or set(body) != {"error", "message"}:
            problems.append(f"not the JSON error body: {content_type!r} {answer.body[:200]!r}")
        elif body["error"] != case.error:
            problems.append(f"error {body['error']!r}, expected {case.error!r}")
    if answer.status is not None and case.page and answer.status == case.status:
        if not (answer.header("Content-Type") or "").startswith("text/html"):
            problems.append(f"expected an HTML page, got {answer.header('Content-Type')!r}")
    if answer.status is not None:
        problems += [f"echoes hostile input: {leak}" for leak in leaks(answer, case, context)]
    assert not problems, f"{case.name}: " + "; ".join(problems)


def test_store_is_consistent_and_count_unchanged(hostile_service):
    """Runs after the catalogue (same module-scoped service): the service is alive, the store checks, the count is
    the one before the catalogue."""
    service = hostile_service
    assert service["server"].poll() is None, "the service exited during the catalogue"
    assert requests.get(f"{service['base']}/healthz", timeout=TIMEOUT).status_code == 200
    assert "store check: PASS" in cli(service, "store", "check")
    after = count(service["base"])
    assert after == service["count"], f"the hostile requests changed the petition's count from {service['count']} to {after}"
