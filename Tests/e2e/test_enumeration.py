"""Enumeration attacks against the running binary: what an outsider learns from the mail that a request causes.

Whoever can make the service mail an address (everyone: the forms are public) must not learn from the mail it sends,
nor from how much it sends, whether that address signed. Each test plays the attack against `countersign serve`
with a real SMTP server, on SQLite and on PostgreSQL (the `service` fixture of test_service.py).
"""
import time

import requests

from test_service import SLUG, link, messages, service, wait_for  # noqa: F401  (service is a fixture)


def sign(service, address):
    response = requests.post(f"{service['base']}/api/petitions/{SLUG}/signatures", json={"email": address})
    assert response.status_code == 202, response.text


def withdraw(service, address):
    response = requests.post(f"{service['base']}/api/petitions/{SLUG}/withdrawals", json={"email": address})
    assert response.status_code == 202, response.text


def received(service, address):
    """The messages received so far for `address`."""
    inbox = messages(service["inbox"], len(list(service["inbox"].glob("*.eml"))))
    return [message for message, recipients in inbox if address in recipients]


def mails_to(service, address):
    """The messages received for `address` once the queue has drained: the inbox has not grown for 1.5 s (the store
    work and the mail run after each answer, so a fixed wait could count too early and see too few)."""
    count, still_since, deadline = -1, time.monotonic(), time.monotonic() + 30
    while time.monotonic() < deadline:
        now = len(list(service["inbox"].glob("*.eml")))
        if now != count:
            count, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= 1.5:
            break
        time.sleep(0.1)
    return received(service, address)


def confirmed(service, address):
    sign(service, address)
    wait_for(lambda: received(service, address), what=f"the confirmation mail to {address}")
    token = link(received(service, address)[-1], "confirm").rsplit("/", 1)[1]
    response = requests.post(f"{service['base']}/api/confirmations", json={"token": token})
    assert response.status_code == 200, response.text


def test_withdrawal_request_mails_every_address_once(service):
    """Attack: ask to withdraw a victim's signature and watch the queue. Before, only a signer got a mail, so the
    queue (and the delay of the attacker's own mail behind it) told who signed. Now every request queues one mail."""
    confirmed(service, "victim-signed@example.org")
    for address in ("victim-signed@example.org", "victim-never@example.org"):
        for _ in range(3):
            withdraw(service, address)
    signed = [m for m in mails_to(service, "victim-signed@example.org") if "/withdraw/" in m.as_string()]
    never = mails_to(service, "victim-never@example.org")
    assert len(signed) == 3
    assert len(never) == 3
    assert all("has not signed" in m.get_body(preferencelist=("plain",)).get_content() for m in never)


def test_one_mail_cap_for_every_state(service):
    """Attack: sign with a victim's address again and again and count the mails. Before, a confirmed address got at
    most 3 "already signed" mails a day and a pending one a link every time. Now both get 5, then nothing."""
    confirmed(service, "cap-signed@example.org")  # the first of its 5 mails today
    for _ in range(6):
        sign(service, "cap-signed@example.org")
    for _ in range(7):
        sign(service, "cap-pending@example.org")
    assert len(mails_to(service, "cap-signed@example.org")) == 5
    pending = mails_to(service, "cap-pending@example.org")
    assert len(pending) == 5
    # Past the cap nothing was written: the last link mailed still confirms (a later sign would have replaced it).
    token = link(pending[-1], "confirm").rsplit("/", 1)[1]
    assert requests.post(f"{service['base']}/api/confirmations", json={"token": token}).status_code == 200


def test_another_spelling_never_receives_the_mail(service):
    """Attack: ask to withdraw `victim+x@…`, a spelling that maps to the victim's pseudonym but is delivered to the
    attacker (a provider where `+` is no sub-address separator, or a catch-all). Before, the mail went to the spelling
    typed, so the attacker got the victim's withdrawal link (or "not signed") and learned, and could undo, her
    signature. Now it goes to the mailbox the pseudonym stands for."""
    confirmed(service, "plus-victim@example.org")
    withdraw(service, "Plus-Victim+attacker@Example.org")
    sign(service, "PLUS-victim+attacker@example.org")
    to_victim = mails_to(service, "plus-victim@example.org")
    assert [m for m in to_victim if "/withdraw/" in m.as_string()], "the withdrawal mail did not reach the victim's mailbox"
    assert len(to_victim) == 3  # the confirmation, the withdrawal link, "you already signed"
    inbox = messages(service["inbox"], len(list(service["inbox"].glob("*.eml"))))
    assert not [r for _, recipients in inbox for r in recipients if "+attacker" in r.lower()]
