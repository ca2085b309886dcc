#!/usr/bin/env python3
"""Countersign's public test vectors, computed independently of the Swift code.

    python3 Tests/vectors/vectors.py check      # recompute every vector in Keys/test-vectors.json
    python3 Tests/vectors/vectors.py generate   # rewrite Keys/test-vectors.json from the inputs below

Only Python's hmac, hashlib, unicodedata, the `cryptography` package (AES-GCM) and the `idna` package
(UTS #46) are used, following the formulas in Docs/crypto.md, so a pass shows the formats are
reproducible without Countersign's own code.
"""
import base64
import hashlib
import hmac
import json
import pathlib
import sys
import unicodedata

import idna
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "Keys" / "test-vectors.json"

# --- formulas (Docs/crypto.md) --------------------------------------------------------------------

def canonical_email(address):
    """Returns (canonical, None) or (None, rule)."""
    trimmed = address.strip()
    if not trimmed:
        return None, "empty"
    if len(trimmed.encode()) > 254:
        return None, "too-long"
    for ch in trimmed:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            return None, "control-character"
        if ch.isspace():
            return None, "whitespace"
        if ch == '"':
            return None, "quote"
    parts = unicodedata.normalize("NFC", trimmed).split("@")
    if len(parts) < 2:
        return None, "missing-at"
    if len(parts) > 2:
        return None, "multiple-at"
    local, domain = parts
    if not local:
        return None, "empty-local-part"
    if not domain:
        return None, "empty-domain"
    atext = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+-/=?^_`{|}~")
    if any(ord(ch) < 128 and ch not in atext for ch in local):
        return None, "local-part-character"
    # Before NFC, which already maps the Kelvin sign to K: a character that compatibility mapping changes, or that
    # lowercases to ASCII, would merge two mailboxes beyond the documented rules.
    raw_local = trimmed.split("@")[0]
    if any(ord(ch) >= 128 and (unicodedata.normalize("NFKC", ch) != ch or any(ord(c) < 128 for c in ch.lower())) for ch in raw_local):
        return None, "compatibility-character"
    local = unicodedata.normalize("NFC", local.lower()).split("+", 1)[0]
    if not local:
        return None, "empty-local-part"
    if len(local.encode()) > 64:
        return None, "local-part-too-long"
    try:
        domain = idna.encode(domain.lower(), uts46=True, std3_rules=True, transitional=False).decode().lower()
    except idna.IDNAError:
        return None, "invalid-domain"
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(1 <= len(label) <= 63 for label in labels):
        return None, "invalid-domain"
    if domain == "googlemail.com":
        domain = "gmail.com"
    if domain == "gmail.com":
        local = local.replace(".", "")
        if not local:
            return None, "empty-local-part"
    if len(f"{local}@{domain}".encode()) > 254:
        return None, "too-long"
    return f"{local}@{domain}", None


def pseudonym(key, salt, canonical):
    return hmac.new(key, b"countersign/pseudonym/v1\x00" + salt + canonical.encode(), hashlib.sha256).digest()


PURPOSES = {"confirm": 1, "withdraw": 2}


def token(key, kid, purpose, token_id, expires):
    body = bytes([1, PURPOSES[purpose]]) + kid.to_bytes(4, "big") + token_id + expires.to_bytes(8, "big")
    tag = hmac.new(key, b"countersign/token/v1\x00" + body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(body + tag).rstrip(b"=").decode()


def wrap(master, kid, nonce, slug, petition_key):
    aad = b"countersign/petition-key/v1\x00" + slug.encode()
    return kid.to_bytes(4, "big") + nonce + AESGCM(master).encrypt(nonce, petition_key, aad)


def merkle_root(entries):
    """RFC 6962 Merkle tree hash of the entries."""
    if not entries:
        return hashlib.sha256(b"").digest()
    if len(entries) == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1
    while k * 2 < len(entries):
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(entries[:k]) + merkle_root(entries[k:])).digest()


def signed_checkpoint(seed, name, origin, entries):
    """A C2SP tlog checkpoint over the entries, as a signed note, and the verifier key."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = key.public_key().public_bytes_raw()
    key_id = hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
    body = f"{origin}\n{len(entries)}\n{base64.b64encode(merkle_root(entries)).decode()}\n"
    signature = key.sign(body.encode())
    note = body + "\n" + "\u2014 " + name + " " + base64.b64encode(key_id + signature).decode() + "\n"
    encoded_key = base64.b64encode(b"\x01" + public).decode()
    verifier = f"{name}+{key_id.hex()}+{encoded_key}"
    return note, verifier


# --- the count log (Docs/auditing.md, "The count log") ---------------------------------------------

RECEIPT_LABEL = b"countersign/receipt/v1\x00"


def commitment(slug, r):
    return hashlib.sha256(RECEIPT_LABEL + slug.encode() + r).digest()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def receipt_json(slug, origin, r, epoch):
    return json.dumps({"epoch": epoch, "format": "countersign/receipt/v1", "origin": origin, "petition": slug, "r": b64url(r)},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def receipt_code(slug, r, epoch):
    prefix = f"{slug}:{epoch}:"
    check = hashlib.sha256(b"countersign/receipt-code/v1\x00" + prefix.encode() + r).digest()[:2]
    return f"cs1:{prefix}{b64url(r + check)}"


def count_leaf(kind, epoch, c=None):
    """One leaf: `confirm EPOCH BASE64(c)`, `withdraw EPOCH BASE64(c)` or `shred EPOCH`, and a newline."""
    if kind == "shred":
        return f"shred {epoch}\n".encode()
    return f"{kind} {epoch} {base64.b64encode(c).decode()}\n".encode()


def close_epoch(epoch, pending):
    """The leaves of an epoch from its pending (kind, c) events: by commitment, confirm before withdraw, shred last."""
    rank = {"confirm": 0, "withdraw": 1}
    ordered = sorted(pending, key=lambda e: (1, b"", 0) if e[0] == "shred" else (0, e[1], rank[e[0]]))
    return [count_leaf(kind, epoch, c) for kind, c in ordered]


def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def tile_levels(entries):
    """levels[l] = the hashes of tile level l: MTH of each full block of 256**l leaves."""
    levels = [[leaf_hash(e) for e in entries]]
    while len(levels[-1]) >= 256:
        below = levels[-1]
        above = []
        for start in range(0, len(below) - 255, 256):
            row = below[start:start + 256]
            while len(row) > 1:
                row = [node_hash(row[i], row[i + 1]) for i in range(0, len(row), 2)]
            above.append(row[0])
        levels.append(above)
    return levels


def tile_index(n):
    groups = []
    while True:
        groups.insert(0, f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def tiles(entries):
    """Every tile and entry bundle of the log, {path: bytes} (c2sp.org/tlog-tiles)."""
    out = {}
    for level, hashes in enumerate(tile_levels(entries)):
        for start in range(0, len(hashes), 256):
            chunk = hashes[start:start + 256]
            suffix = "" if len(chunk) == 256 else f".p/{len(chunk)}"
            out[f"tile/{level}/{tile_index(start // 256)}{suffix}"] = b"".join(chunk)
    for start in range(0, len(entries), 256):
        chunk = entries[start:start + 256]
        suffix = "" if len(chunk) == 256 else f".p/{len(chunk)}"
        out[f"tile/entries/{tile_index(start // 256)}{suffix}"] = b"".join(len(e).to_bytes(2, "big") + e for e in chunk)
    return out


def mth(hashes):
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def inclusion_path(m, hashes):
    """RFC 6962 §2.1.1 PATH(m, D[n]) over leaf hashes."""
    if len(hashes) <= 1:
        return []
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    if m < k:
        return inclusion_path(m, hashes[:k]) + [mth(hashes[k:])]
    return inclusion_path(m - k, hashes[k:]) + [mth(hashes[:k])]


def sign_note(seed, name, body):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = key.public_key().public_bytes_raw()
    key_id = hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
    return body + "\n" + "\u2014 " + name + " " + base64.b64encode(key_id + key.sign(body.encode())).decode() + "\n"


def verifier_key(seed, name):
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    key_id = hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
    encoded = base64.b64encode(b"\x01" + public).decode()
    return f"{name}+{key_id.hex()}+{encoded}"


def count_checkpoint(seed, audit_origin, slug, entries):
    """The count log's checkpoint, signed under its own origin by the audit log key."""
    origin = f"{audit_origin}/count/{slug}"
    count = sum(1 if e.startswith(b"confirm ") else -1 if e.startswith(b"withdraw ") else 0 for e in entries)
    body = f"{origin}\n{len(entries)}\n{base64.b64encode(merkle_root(entries)).decode()}\ncount {count}\n"
    return sign_note(seed, origin, body)


def receipt_proof(note, entries, index, r, epoch):
    """A c2sp.org/tlog-proof@v1 of leaf `index`, with extra = r ‖ epoch (8 bytes, big-endian)."""
    path = inclusion_path(index, [leaf_hash(e) for e in entries])
    lines = ["c2sp.org/tlog-proof@v1", "extra " + base64.b64encode(r + epoch.to_bytes(8, "big")).decode(), f"index {index}"]
    lines += [base64.b64encode(h).decode() for h in path]
    return "\n".join(lines) + "\n\n" + note


def fingerprint(key):
    return hmac.new(key, b"countersign/fingerprint/v1", hashlib.sha256).digest()[:8].hex()

# --- inputs --------------------------------------------------------------------------------------

EMAILS = [
    "alice@example.com",
    "  alice@example.com  ",
    "\talice@example.org\n",
    "Alice@Example.COM",
    "alice+news@example.com",
    "alice+a+b@example.org",
    "a.li.ce@example.com",
    "o'brien@example.org",
    "A.Li.Ce+x@gmail.com",
    "alice@googlemail.com",
    "a.lice@GoogleMail.com",
    "a.b.c@gmail.com",
    "user@bücher.example.com",
    "user@xn--bcher-kva.example.com",
    "user@BÜCHER.example.com",
    "user@straße.example.org",
    "user@例え.example.com",
    "user@ｅｘａｍｐｌｅ.com",
    "jose\u0301@example.com",
    "josé@example.com",
    "ÉLODIE@example.com",
    "ÀLICE@EXAMPLE.ORG",
    "ÖMER+tag@Example.Org",
    "",
    "   ",
    "alice",
    "alice@bob@example.com",
    "@example.com",
    "alice@",
    "+tag@example.com",
    "...@gmail.com",
    "al ice@example.com",
    "al\u00a0ice@example.com",
    "\"alice\"@example.com",
    "alice\u0000@example.com",
    "alice\r\nBcc: victim@example.org",
    "alice\u202e@example.com",
    "ali\u200bce@example.com",
    "alice@example",
    "alice@exa_mple.com",
    "alice@example..com",
    "alice@-example.com",
    "alice@example.com.",
    "root,victim@example.org",
    "a<b>@example.org",
    "a(comment)@example.org",
    "a\\b@example.org",
    "a;b:c@example.com",
    "[a]@example.com",
    "a!#$%&'*/=?^_`{|}~-b@example.org",
    "\u212aelvin@example.com",
    "\u017fam@example.com",
    "\uff4a\uff4f\uff48\uff4e@example.com",
    "\u0130stanbul@example.com",
    "\ufb01nance@example.com",
    "\u2126mega@example.com",
    "x\u00b2@example.com",
    "stra\u00dfe@example.com",
    "\u1e9e@example.com",
    "\u00c5ngstr\u00f6m@example.com",
    "a" * 65 + "@example.com",
    "a" * 60 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".example.com",
]

PSEUDONYM_INPUTS = [
    (bytes(range(32)), bytes(range(16)), "alice@example.com"),
    (bytes(range(32)), bytes(range(16)), "Alice+petitions@Example.com"),
    (bytes(range(32)), bytes(range(1, 17)), "alice@example.com"),
    (bytes(range(1, 33)), bytes(range(16)), "alice@example.com"),
    (bytes([0xA5] * 32), bytes([0x5A] * 16), "user@bücher.example.com"),
]

TOKEN_INPUTS = [
    (bytes(range(32)), 0x01020304, "confirm", bytes(range(16)), 1_800_000_000),
    (bytes(range(32)), 0x01020304, "withdraw", bytes(range(16)), 1_800_000_000),
    (bytes([0xFF] * 32), 0xFFFFFFFF, "confirm", bytes([0xEE] * 16), 4_102_444_800),
    (bytes(range(100, 132)), 7, "withdraw", bytes(range(200, 216)), 0),
]

CHECKPOINT_INPUTS = [
    (bytes(range(32)), "countersign.example.org/audit", "countersign.example.org/audit",
     ["type=key-create kid=0a0b0c0d purpose=master fingerprint=00112233aabbccdd date=2026-11-27",
      "type=petition-open slug=amazon-cut-ties-with-police-and-ice date=2026-11-27"]),
    (bytes([7] * 32), "example.org/log", "example.org/log", []),
]

WRAP_INPUTS = [
    (bytes(range(32)), 0x0A0B0C0D, bytes(range(12)), "amazon-cut-ties-with-police-and-ice", bytes(range(64, 96))),
    (bytes([0x11] * 32), 1, bytes([0x22] * 12), "a", bytes([0x33] * 32)),
    (bytes(range(32, 64)), 0xFFFFFFFF, bytes(range(12, 24)), "petition-2026", bytes(range(160, 192))),
]

def count_log_events():
    """A count log of 4 epochs and 603 leaves (two full level-0 tiles, partial tiles at levels 0 and 1), with
    withdrawals and a final shred; every r is derived from its number so that the vectors are reproducible."""
    slug = "amazon-cut-ties-with-police-and-ice"
    rs = [hashlib.sha256(b"countersign/test-vector/r" + i.to_bytes(4, "big")).digest() for i in range(620)]
    cs = [commitment(slug, r) for r in rs]
    epochs = [
        [("confirm", cs[i]) for i in range(0, 12)],
        [("confirm", cs[i]) for i in range(12, 300)] + [("withdraw", cs[3]), ("withdraw", cs[100]), ("confirm", cs[600]), ("withdraw", cs[600])],
        [("confirm", cs[i]) for i in range(300, 345)] + [("withdraw", cs[5])],
        [("confirm", cs[i]) for i in range(345, 595)] + [("withdraw", cs[310]), ("shred", None)],
    ]
    entries = []
    for number, pending in enumerate(epochs):
        entries += close_epoch(number, pending)
    return slug, rs, cs, entries


COUNT_LOG_SEED = bytes(range(32))
COUNT_LOG_AUDIT_ORIGIN = "countersign.example.org/audit"

# --- generate and check --------------------------------------------------------------------------

def generate():
    vectors = {"canonical_email": [], "pseudonym": [], "token": [], "petition_key_wrap": [], "fingerprint": [], "checkpoint": []}
    for address in EMAILS:
        canonical, rule = canonical_email(address)
        vectors["canonical_email"].append({"input": address, "canonical": canonical} if canonical else {"input": address, "error": rule})
    for key, salt, email in PSEUDONYM_INPUTS:
        canonical, _ = canonical_email(email)
        vectors["pseudonym"].append({
            "key": key.hex(), "salt": salt.hex(), "email": email, "canonical": canonical,
            "pseudonym": pseudonym(key, salt, canonical).hex()})
    for key, kid, purpose, token_id, expires in TOKEN_INPUTS:
        vectors["token"].append({
            "key": key.hex(), "kid": kid, "purpose": purpose, "id": token_id.hex(), "expires": expires,
            "token": token(key, kid, purpose, token_id, expires)})
    for master, kid, nonce, slug, petition_key in WRAP_INPUTS:
        vectors["petition_key_wrap"].append({
            "master": master.hex(), "kid": kid, "nonce": nonce.hex(), "slug": slug,
            "petition_key": petition_key.hex(), "wrapped": wrap(master, kid, nonce, slug, petition_key).hex()})
    for key, _, _ in PSEUDONYM_INPUTS[:3]:
        vectors["fingerprint"].append({"key": key.hex(), "fingerprint": fingerprint(key)})
    for seed, name, origin, entries in CHECKPOINT_INPUTS:
        note, verifier = signed_checkpoint(seed, name, origin, [e.encode() for e in entries])
        vectors["checkpoint"].append({"seed": seed.hex(), "name": name, "origin": origin, "entries": entries,
                                      "root": merkle_root([e.encode() for e in entries]).hex(), "note": note, "verifier_key": verifier})
    vectors["count_log"] = count_log_vectors()
    VECTORS.write_text(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {VECTORS}")


def count_log_vectors():
    slug, rs, cs, entries = count_log_events()
    origin = f"{COUNT_LOG_AUDIT_ORIGIN}/count/{slug}"
    note = count_checkpoint(COUNT_LOG_SEED, COUNT_LOG_AUDIT_ORIGIN, slug, entries)
    receipts = []
    for i, epoch in ((0, 0), (7, 0), (150, 1), (600, 1), (594, 3)):
        leaf = count_leaf("confirm", epoch, cs[i])
        index = entries.index(leaf)
        withdrawn = count_leaf("withdraw", epoch, cs[i]) in entries
        receipts.append({"r": rs[i].hex(), "epoch": epoch, "commitment": cs[i].hex(), "leaf": leaf.decode(), "index": index,
                         "json": receipt_json(slug, origin, rs[i], epoch), "code": receipt_code(slug, rs[i], epoch),
                         "proof": receipt_proof(note, entries, index, rs[i], epoch), "withdrawn_in_same_epoch": withdrawn})
    return {
        "seed": COUNT_LOG_SEED.hex(), "audit_origin": COUNT_LOG_AUDIT_ORIGIN, "slug": slug,
        "verifier_key": verifier_key(COUNT_LOG_SEED, COUNT_LOG_AUDIT_ORIGIN),
        "entries": [e.decode() for e in entries], "root": merkle_root(entries).hex(), "checkpoint": note,
        "tiles": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(tiles(entries).items())},
        "small_tiles": {path: data.hex() for path, data in sorted(tiles(entries[:3]).items())},
        "receipts": receipts,
    }


def documented_receipt_check():
    import re
    doc = (VECTORS.parents[1] / "Docs" / "auditing.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", doc, re.S) if "def verify_receipt_proof" in b)
    namespace = {}
    exec(block, namespace)  # noqa: S102 (our own documentation, checked in)
    return namespace["verify_receipt_proof"]


def check():
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    failures = 0
    checked = 0

    def expect(name, actual, wanted):
        nonlocal failures, checked
        checked += 1
        if actual != wanted:
            failures += 1
            print(f"FAIL {name}: got {actual!r}, vector says {wanted!r}")

    for v in vectors["canonical_email"]:
        canonical, rule = canonical_email(v["input"])
        expect(f"canonical_email {v['input']!r}", (canonical, rule), (v.get("canonical"), v.get("error")))
    for v in vectors["pseudonym"]:
        canonical, _ = canonical_email(v["email"])
        expect(f"pseudonym canonical {v['email']!r}", canonical, v["canonical"])
        expect(f"pseudonym {v['email']!r}", pseudonym(bytes.fromhex(v["key"]), bytes.fromhex(v["salt"]), canonical).hex(), v["pseudonym"])
    for v in vectors["token"]:
        expect(f"token kid={v['kid']}", token(bytes.fromhex(v["key"]), v["kid"], v["purpose"], bytes.fromhex(v["id"]), v["expires"]), v["token"])
    for v in vectors["petition_key_wrap"]:
        master, nonce = bytes.fromhex(v["master"]), bytes.fromhex(v["nonce"])
        wrapped = wrap(master, v["kid"], nonce, v["slug"], bytes.fromhex(v["petition_key"]))
        expect(f"petition_key_wrap {v['slug']}", wrapped.hex(), v["wrapped"])
        aad = b"countersign/petition-key/v1\x00" + v["slug"].encode()
        stored = bytes.fromhex(v["wrapped"])
        expect(f"petition_key_unwrap {v['slug']}", AESGCM(master).decrypt(stored[4:16], stored[16:], aad).hex(), v["petition_key"])
    for v in vectors["fingerprint"]:
        expect(f"fingerprint {v['key'][:8]}", fingerprint(bytes.fromhex(v["key"])), v["fingerprint"])
    for v in vectors.get("checkpoint", []):
        entries = [e.encode() for e in v["entries"]]
        expect(f"checkpoint root {v['origin']}", merkle_root(entries).hex(), v["root"])
        expect(f"checkpoint note {v['origin']}", signed_checkpoint(bytes.fromhex(v["seed"]), v["name"], v["origin"], entries),
               (v["note"], v["verifier_key"]))
    if "count_log" in vectors:
        v, recomputed = vectors["count_log"], count_log_vectors()
        for key in ("verifier_key", "entries", "root", "checkpoint", "tiles", "small_tiles"):
            expect(f"count_log {key}", recomputed[key], v[key])
        for mine, theirs in zip(recomputed["receipts"], v["receipts"], strict=True):
            expect(f"count_log receipt {theirs['index']}", mine, theirs)
        # The receipt check is the one printed in Docs/auditing.md ("Proofs"), run as written, so the docs cannot drift.
        documented = documented_receipt_check()
        for theirs in v["receipts"]:
            expect(f"Docs/auditing.md verify_receipt_proof {theirs['index']}", documented(theirs["proof"], v["verifier_key"]), theirs["leaf"])
            # One hash too many in the path: RFC 9162 refuses the proof, and so must the documented check.
            head, note = theirs["proof"].split("\n\n", 1)
            padded = head + "\n" + base64.b64encode(bytes(32)).decode() + "\n\n" + note
            try:
                refused = documented(padded, v["verifier_key"]) is None
            except ValueError:
                refused = True
            expect(f"Docs/auditing.md verify_receipt_proof refuses a padded path {theirs['index']}", refused, True)
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "generate":
        generate()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(f"usage: {sys.argv[0]} check|generate")
