"""The mail queue against a relay that stalls or refuses one recipient: the attack is to make the queue an oracle or
to stall it. Against `countersign serve` and a real SMTP server on loopback (Tests/support/smtp_sink.py), which never
answers a recipient starting with `stall` and refuses one starting with `refuse` with 550.
"""
import email.utils
import time

import requests

from test_service import SLUG, messages, start_service, wait_for

DEADLINE = 2


def test_a_stalling_or_refusing_relay_does_not_delay_other_mail(tmp_path):
    """Before, one worker delivered every mail in turn and waited out a stalled recipient (30 s), then retried it with
    backoff in the same worker: two stalled addresses held up everyone's confirmation mail for minutes."""
    service, stop = start_service(
        tmp_path, f"sqlite:{tmp_path}/data/countersign.sqlite", extra=("--mail-deadline", str(DEADLINE), "--mail-workers", "4"))
    try:
        for address in ("stall-1@example.org", "stall-2@example.org", "refuse@example.org"):
            assert requests.post(f"{service['base']}/api/petitions/{SLUG}/signatures", json={"email": address}).status_code == 202
        wait_for(lambda: (service["inbox"] / "stalled.log").exists() and (service["inbox"] / "refused.log").exists(),
                 what="the relay to see the stalled and the refused recipient")
        asked = time.time()
        normal = [f"signer-{n}@example.org" for n in range(6)]
        for address in normal:
            assert requests.post(f"{service['base']}/api/petitions/{SLUG}/signatures", json={"email": address}).status_code == 202
        # Every other mail arrives within one deadline of the stalled ones, not after them.
        wait_for(lambda: len(list(service["inbox"].glob("*.eml"))) >= len(normal), seconds=DEADLINE + 3,
                 what="the other recipients' mail while two recipients stall")
        assert time.time() - asked < DEADLINE + 3
        received = messages(service["inbox"], len(normal))
        assert sorted(r[0] for _, r in received) == sorted(normal)
        # The Date: header is when the mail was queued.
        for message, _ in received:
            assert abs(email.utils.parsedate_to_datetime(message["Date"]).timestamp() - asked) < 3
        # A 550 is permanent: one attempt, no retries (before: five, with backoff).
        time.sleep(2 * DEADLINE + 1)
        assert (service["inbox"] / "refused.log").read_text().splitlines() == ["refuse@example.org"]
    finally:
        stop()
