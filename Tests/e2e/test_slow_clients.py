"""Slow and idle clients against `countersign serve`: a slowloris must neither starve other clients nor hold its
connections for ever.
"""
import select
import socket
import threading
import time

import requests

from test_service import SLUG, start_service

IDLE = 3


def test_slow_clients_do_not_starve_others_and_are_closed(tmp_path):
    """200 connections each send a request head one byte a second. A normal request must still be answered within a
    second, and the slow connections are closed once the idle timeout passes (before: never, by the server)."""
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", extra=("--idle-timeout", str(IDLE), "--body-deadline", "2"))
    host, port = service["base"].removeprefix("http://").split(":")
    slow = []
    try:
        for _ in range(200):
            connection = socket.create_connection((host, int(port)), timeout=30)
            connection.sendall(b"G")
            slow.append(connection)
        stop_dripping = threading.Event()

        def drip():
            head = b"ET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
            for byte in head:
                if stop_dripping.wait(1):
                    return
                for connection in slow:
                    try:
                        connection.send(bytes([byte]))
                    except OSError:
                        pass

        dripper = threading.Thread(target=drip, daemon=True)
        dripper.start()
        time.sleep(1.5)
        for _ in range(5):
            start = time.monotonic()
            assert requests.get(f"{service['base']}/api/petitions/{SLUG}", timeout=5).status_code == 200
            assert time.monotonic() - start < 1, "a normal request waited behind the slow clients"
        # Past the idle timeout (counted from each connection's start, since no head was completed) every slow
        # connection has been closed by the server.
        time.sleep(IDLE + 2)
        stop_dripping.set()
        closed = 0
        for connection in slow:
            connection.settimeout(2)
            try:
                if connection.recv(1) == b"":
                    closed += 1
            except (ConnectionResetError, BrokenPipeError):
                closed += 1
            except socket.timeout:
                pass
        assert closed == len(slow), f"{len(slow) - closed} slow connections were still open after the idle timeout"
        # An idle keep-alive connection is closed after the timeout too.
        idle = socket.create_connection((host, int(port)), timeout=IDLE + 5)
        idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        response = b""
        while not response.endswith(b"}"):
            response += idle.recv(4096)
        assert response.startswith(b"HTTP/1.1 200")
        idle.settimeout(IDLE + 5)
        started = time.monotonic()
        assert idle.recv(1) == b"", "an idle keep-alive connection stayed open past the idle timeout"
        assert time.monotonic() - started < IDLE + 2
    finally:
        for connection in slow:
            connection.close()
        stop()


def test_a_body_that_never_finishes_is_cut_off(tmp_path):
    """A client that sends a head and then trickles its body is closed at the body deadline."""
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", extra=("--idle-timeout", "30", "--body-deadline", "2"))
    host, port = service["base"].removeprefix("http://").split(":")
    try:
        connection = socket.create_connection((host, int(port)), timeout=15)
        connection.sendall(
            f"POST /api/petitions/{SLUG}/signatures HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n{".encode())
        start = time.monotonic()
        for _ in range(10):
            time.sleep(0.5)
            try:
                connection.send(b" ")
            except OSError:
                break
        connection.settimeout(10)
        try:
            data = connection.recv(4096)
        except ConnectionResetError:
            data = b""
        assert data == b"" or b"HTTP/1.1 4" in data
        assert time.monotonic() - start < 8, "the trickled body held the connection past its deadline"
        connection.close()
    finally:
        stop()


def test_connections_past_the_cap_are_closed_at_once(tmp_path):
    """With --max-connections 5, a sixth open connection is closed at once; once the five go, requests are served."""
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", extra=("--max-connections", "5", "--idle-timeout", "30"))
    host, port = service["base"].removeprefix("http://").split(":")
    try:
        # Six connections for five places: the server closes what is past the cap at once. (Which one depends on when the
        # start-up health check's own connection is closed, so the test counts what is left open, not which.)
        opened = [socket.create_connection((host, int(port)), timeout=10) for _ in range(6)]
        closed = set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not closed:
            readable, _, _ = select.select(opened, [], [], 0.2)
            for connection in readable:
                try:
                    if connection.recv(1) == b"":
                        closed.add(connection)
                except ConnectionResetError:
                    closed.add(connection)
        assert closed, "no connection past the cap was closed"
        assert len(opened) - len(closed) <= 5, "more connections than the cap were kept open"
        for connection in opened:
            connection.close()
        time.sleep(0.5)
        assert requests.get(f"{service['base']}/healthz", timeout=5).status_code == 200
    finally:
        stop()
