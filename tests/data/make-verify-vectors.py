#!/usr/bin/env python3
"""Writes tests/data/verify-vectors.json: the test vectors of docs/verify.md (format v1).

An implementation of the format independent of vncert's C code (Python's `cryptography`
for Ed25519, `zlib` for DEFLATE), so that the C tests and the browser tests check against
something vncert did not write itself. Run from the repository's root:
    python3 tests/data/make-verify-vectors.py > tests/data/verify-vectors.json
"""
import base64, hashlib, json, sys, unicodedata, zlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

DICT = open("docs/verify-dict-v1.txt", "rb").read()
TAG = b"vncert-v1\x00"
DIGITS = {1: 3, 2: 5, 3: 8, 4: 10, 5: 13, 6: 15, 7: 17}


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(v):
    b = v.encode("utf-8")
    return leb(len(b)) + b


def body(v):
    return b"".join(field(v[k]) for k in ("serial", "name", "award", "amount", "date"))


def key(label):
    seed = hashlib.sha256(label.encode()).digest()
    sk = Ed25519PrivateKey.from_private_bytes(seed)
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    h = hashlib.sha256(pk).digest()
    kid = h[:4].hex()
    b64 = base64.b64encode(pk).decode()
    return {"label": label, "seed_hex": seed.hex(), "public_hex": pk.hex(), "key_id": kid,
            "fingerprint": h.hex(),
            "public_file": f"vncert-ed25519-v1 {kid} {b64} {label}\n",
            "secret_file": f"vncert-ed25519-secret-v1 {kid} {base64.b64encode(seed).decode()}\n",
            "_sk": sk, "_kid": h[:4]}


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=DICT)
    return c.compress(data) + c.flush()


def digits(payload):
    out = []
    for i in range(0, len(payload), 7):
        g = payload[i:i + 7]
        out.append(str(int.from_bytes(g, "big")).zfill(DIGITS[len(g)]))
    return "".join(out)


def sign(k, v):
    msg = TAG + body(v) + field(k["key_id"])
    sig = k["_sk"].sign(msg)
    return msg, sig


URL = "https://thcs-le-loi.edu.vn/xac-minh"


def vector(name, k, v, expect, signed_values=None, comment="", payload_edit=None,
           digits_edit=None, **extra):
    """signed_values: what was signed when it differs from what the payload carries;
    digits_edit: the digits as a scanner may give them."""
    msg, sig = sign(k, signed_values or v)
    payload = b"\x01" + k["_kid"] + sig + deflate(body(v))
    if payload_edit:
        payload = payload_edit(payload)
    d = digits(payload)
    if digits_edit:
        d = digits_edit(d)
    out = {"name": name, "comment": comment, "key": k["label"], "values": v,
           "message_hex": (TAG + body(v) + field(k["key_id"])).hex(),
           "signature_hex": sig.hex(), "payload_hex": payload.hex(), "digits": d,
           "url": URL + "#" + d, "expect": expect}
    out.update(extra)
    return out


def main():
    a, b = key("vncert test key A (DEMO)"), key("vncert test key B (DEMO)")
    gk = {"serial": "2026/GK-0001", "name": "Nguyễn Thị Thu Thảo",
          "award": "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024",
          "amount": "", "date": "2026-05-20"}
    hb = {"serial": "2026/HB-0007", "name": "Âu Dương Khánh Linh",
          "award": "Học bổng khuyến khích học tập học kỳ I năm học 2026-2027",
          "amount": "2500000", "date": "2026-12-01"}
    typical = {"serial": "2026/GK-0042", "name": "Châu Ngọc Bảo Trâm Lại Văn Hưng",
               "award": "Vô địch giải cờ vua nhanh dành cho lứa tuổi thiếu niên toàn quốc tại Đà Nẵng",
               "amount": "", "date": "2026-06-15"}
    noserial = dict(gk, serial="")
    revoked = dict(gk, serial="2026/GK-0003", name="Trần Văn Bình")
    tampered = dict(gk, name="Nguyễn Thị Thu Thào")  # one letter changed: ả -> à
    nfd = dict(gk, name=unicodedata.normalize("NFD", gk["name"]))
    vecs = [
        vector("valid-giay-khen", a, gk, "valid"),
        vector("valid-hoc-bong-amount", a, hb, "valid"),
        vector("valid-typical-30-80", a, typical, "valid",
               comment="a 31-character name and a 79-character award not in the dictionary"),
        vector("valid-no-serial", a, noserial, "valid"),
        vector("valid-key-b", b, gk, "valid", comment="needs key B among the keys"),
        vector("tampered-name", a, tampered, "tampered", signed_values=gk,
               comment="signed with the name 'Nguyễn Thị Thu Thảo', carries 'Thào'"),
        vector("unknown-key", b, gk, "unknown-key", keys=["A"],
               comment="signed by key B, verified with key A only"),
        vector("revoked", a, revoked, "revoked", reason="Cấp nhầm người nhận"),
        vector("malformed-version", a, gk, "malformed",
               payload_edit=lambda p: b"\x02" + p[1:]),
        vector("malformed-trailing", a, gk, "malformed",
               payload_edit=lambda p: p + b"\x00", comment="a byte after the DEFLATE stream"),
        vector("malformed-truncated", a, gk, "malformed",
               payload_edit=lambda p: p[:-3], comment="the DEFLATE stream cut short"),
        vector("malformed-not-nfc", a, nfd, "malformed",
               comment="signed, but the name is in NFD: refused before the signature"),
        # Values the signer's cleaning (NFC, white space) would change, and format
        # characters: signed, but no signer writes them (docs/verify.md section 3).
        vector("malformed-double-space", a, dict(gk, name="Nguyễn  Thị Thu Thảo"), "malformed",
               comment="two spaces between words"),
        vector("malformed-leading-space", a, dict(gk, name=" Nguyễn Thị Thu Thảo"), "malformed"),
        vector("malformed-trailing-space", a, dict(gk, serial="2026/GK-0001 "), "malformed"),
        vector("malformed-nbsp", a, dict(gk, name="Nguyễn\u00a0Thị Thu Thảo"), "malformed",
               comment="U+00A0 between words: the signer writes U+0020"),
        vector("malformed-bidi-override", a, dict(gk, name="Nguyễn Thị \u202eoảhT uhT"),
               "malformed", comment="U+202E RIGHT-TO-LEFT OVERRIDE (category Cf)"),
        vector("malformed-zero-width-space", a, dict(gk, award=gk["award"] + "\u200b"),
               "malformed", comment="U+200B ZERO WIDTH SPACE (category Cf)"),
        vector("valid-zwj-zwnj", a, dict(gk, award="Giải Nhất\u200c cờ vua\u200d năm học 2025-2026"),
               "valid", comment="ZWNJ and ZWJ are the format characters allowed"),
        vector("valid-year-1900", a, dict(gk, date="1900-01-01"), "valid"),
        vector("valid-year-2999", a, dict(gk, date="2999-12-31"), "valid"),
        vector("malformed-year-1899", a, dict(gk, date="1899-12-31"), "malformed",
               comment="years 1900 to 2999 only"),
        vector("malformed-year-3000", a, dict(gk, date="3000-01-01"), "malformed"),
        vector("spaces-around-digits", a, gk, "valid", digits_edit=lambda d: "  " + d + " ",
               comment="spaces around the digits (a scanner's, a copy's): let go"),
    ]
    # Digit-level faults (no payload): the verifier says malformed.
    good = vecs[0]["digits"]
    vecs.append({"name": "malformed-space-inside", "digits": good[:17] + " " + good[17:],
                 "expect": "malformed", "comment": "white space inside the digits"})
    vecs.append({"name": "malformed-digit-count", "digits": good[:-1], "expect": "malformed",
                 "comment": "one digit missing: the length mod 17 is not in the table"})
    over = "9" * 17 + good[17:]
    vecs.append({"name": "malformed-group-overflow", "digits": over, "expect": "malformed",
                 "comment": "a 17-digit group >= 2^56"})
    vecs.append({"name": "malformed-letter", "digits": good[:5] + "a" + good[6:],
                 "expect": "malformed"})
    for v in vecs:
        v.setdefault("keys", ["A", "B"] if v.get("key", "").endswith("B (DEMO)") else ["A"])
    # Shortening (signer side, docs/verify.md §2).
    shorten = [
        {"field": "name", "limit": 60,
         "input": "Nguyễn Thị Hoàng Anh Thư Ngọc Bảo Trâm Khánh Linh Phương Thảo Minh",
         "output": "Nguyễn Thị Hoàng Anh Thư Ngọc Bảo Trâm Khánh Linh Phương…"},
        {"field": "award", "limit": 160, "input": "Đã có thành tích xuất sắc " * 8,
         "output": None},
        {"field": "name", "limit": 60, "input": "  Trần   Văn\tBình ", "output": "Trần Văn Bình"},
    ]
    for s in shorten:
        s["output"] = s["output"] or shorten_ref(s["input"], s["limit"])
    keys = [{k: v for k, v in x.items() if not k.startswith("_")} for x in (a, b)]
    keys[0]["id"], keys[1]["id"] = "A", "B"
    out = {"format": "vncert verify v1 (docs/verify.md)",
           "dictionary": "docs/verify-dict-v1.txt",
           "dictionary_sha256": hashlib.sha256(DICT).hexdigest(),
           "url_base": URL, "keys": keys,
           "revocations": [{"serial": "2026/GK-0003", "reason": "Cấp nhầm người nhận",
                            "date": "2026-06-01"}],
           "vectors": vecs, "shorten": shorten}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def shorten_ref(s, limit):
    s = " ".join(unicodedata.normalize("NFC", s).split())
    if len(s) <= limit:
        return s
    head = s[:limit - 1]
    cut = head.rfind(" ")
    if cut >= limit // 2:
        head = head[:cut].rstrip(" ")
    return head + "…"


if __name__ == "__main__":
    main()
