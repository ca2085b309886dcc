#!/usr/bin/env python3
"""A real SMTP server for the end-to-end tests (aiosmtpd), on 127.0.0.1.

    python3 Tests/support/smtp_sink.py PORT FOLDER [USER PASSWORD [CERT KEY]]

Each message is written to FOLDER/NNNNNN.eml with its envelope recipients in FOLDER/NNNNNN.rcpt.
A recipient whose address starts with `stall` is never answered (the session hangs at RCPT TO), one that starts with
`refuse` is refused with 550, and each such attempt is appended to FOLDER/stalled.log or FOLDER/refused.log: a relay
that is slow or refuses one recipient, for the mail queue's tests.
With USER and PASSWORD, clients must authenticate (AUTH PLAIN or LOGIN) before sending; with CERT and KEY
as well, they must first upgrade the connection with STARTTLS.
"""
import asyncio
import pathlib
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("stall"):
            with open(self.folder / "stalled.log", "a") as log:
                log.write(address + "\n")
            await asyncio.sleep(3600)
        if address.startswith("refuse"):
            with open(self.folder / "refused.log", "a") as log:
                log.write(address + "\n")
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = self.folder / f"{self.count:06d}"
        stem.with_suffix(".rcpt").write_text("\n".join(envelope.rcpt_tos))
        stem.with_suffix(".eml").write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    credentials = (sys.argv[3].encode(), sys.argv[4].encode()) if len(sys.argv) > 4 else None

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == credentials
        return AuthResult(success=ok, handled=False)

    options = dict(auth_required=True, auth_require_tls=False, authenticator=authenticate) if credentials else {}
    if len(sys.argv) > 6:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[5], sys.argv[6])
        options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready", flush=True)
    stop = asyncio.new_event_loop()
    stop.add_signal_handler(signal.SIGTERM, stop.stop)
    stop.add_signal_handler(signal.SIGINT, stop.stop)
    stop.run_forever()
    controller.stop()


if __name__ == "__main__":
    main()
