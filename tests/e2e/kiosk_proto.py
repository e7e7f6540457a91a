#!/usr/bin/python3
"""Protocol tests of `vncert kiosk` (issue 12, point 5 and 6) over real HTTP.

Standard library only (http.client, socket).  Each subcommand talks to a
kiosk already started by tests/e2e/kiosk-tests.sh, prints what is wrong,
one line each, and exits 1; 0 when all is well.

  enum PORT                 no listing, refs of one session only, fields
  sizes PORT                bodies > 4 KiB, huge headers and URLs refused
  csrf PORT                 POSTs without / with a wrong token: 403
  headers PORT              CSP and the others on every kind of response
  traversal PORT            paths outside the table: 404, no file content
  rate PORT                 a search flood: 429 with Retry-After
  slow PORT TIMEOUT         40 slow clients; another still answered
  pin PORT LOCKOUT          brute force: locked (even the right PIN), then open
  token PORT TOKEN          --bind 0.0.0.0: 403 without the cookie, ?token sets it
  print PORT NAME           print NAME (no diacritics typed): its ticket id
  ticket PORT T STATE...    wait (up to 30 s) for ticket T (staff view) to be
                            in one of STATE; prints the state
  staff PORT WHAT ARGS      staff calls: status, retry T, reprint NAME REASON
  confirm PORT NAME OTHER   mode confirm: NAME confirmed, OTHER cancelled
  reprint PORT NAME         reprint at the kiosk: 409, 401 wrong PIN, then
                            with the PIN: a ticket (printed)
The right PIN is 2468 (kiosk-tests.sh makes the PIN file).
"""
import http.client
import json
import random
import socket
import sys
import time

HOST = "127.0.0.1"
PIN = "2468"
ERRS = []
HEADERS = {
    "Content-Security-Policy": "default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def err(msg):
    ERRS.append(msg)


class Client:
    """One browser: its cookies (vk, vkt) and CSRF token, and an address of
    its own in 127/8 (one tablet each: the rate limits are per address)."""

    def __init__(self, port, source=None):
        if source is None:
            source = "127.%d.%d.%d" % tuple(random.randint(1, 250) for _ in range(3))
        self.port, self.source, self.cookies, self.csrf = port, source, {}, ""

    def req(self, method, path, body=None, headers=None, csrf=True):
        c = http.client.HTTPConnection(HOST, self.port, timeout=30,
                                       source_address=(self.source, 0))
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
            if csrf and self.csrf:
                h.setdefault("X-CSRF-Token", self.csrf)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        for v in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = v.partition("=")
            self.cookies[name] = rest.split(";")[0]
        c.close()
        r.raw = raw
        try:
            r.json = json.loads(raw) if raw and "json" in r.headers.get("Content-Type", "") else None
        except ValueError:
            r.json = None
            err("%s %s: not JSON: %r" % (method, path, raw[:80]))
        check_headers(r, path)
        return r

    def session(self):
        r = self.req("GET", "/api/session")
        if r.status != 200 or not r.json or "csrf" not in r.json:
            err("/api/session: %s %r" % (r.status, r.raw[:100]))
            return {}
        self.csrf = r.json["csrf"]
        return r.json

    def search(self, q):
        from urllib.parse import quote
        r = self.req("GET", "/api/search?q=" + quote(q))
        return r.json.get("results", []) if r.status == 200 and r.json else None

    def post(self, path, body, **kw):
        return self.req("POST", path, body, **kw)


def check_headers(r, path):
    for k, v in HEADERS.items():
        got = r.headers.get(k) or ""
        if v not in got:
            err("%s (%d): header %s missing or wrong: %r" % (path, r.status, k, got))
    if path.startswith("/api/") and r.headers.get("Cache-Control") != "no-store":
        err("%s: no Cache-Control: no-store" % path)


def raw_http(port, data, read=True, timeout=10):
    """Sends raw bytes; returns the status line's code (0: closed without one)."""
    s = socket.create_connection((HOST, port), timeout=timeout)
    try:
        s.sendall(data)
        if not read:
            return s
        got = b""
        while b"\r\n" not in got:
            part = s.recv(4096)
            if not part:
                break
            got += part
        parts = got.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    except (ConnectionError, socket.timeout):
        return 0
    finally:
        if read:
            s.close()


def still_answers(port, what):
    c = Client(port)
    if not c.session():
        err("after %s the server no longer answers" % what)


# ---- point 5: enumeration ----------------------------------------------------

def t_enum(port):
    a, b = Client(port), Client(port)
    a.session()
    b.session()
    for q in ("", "a", "N", " ", "%", "*"):
        res = a.search(q)
        if res != []:
            err("search %r under 2 letters gave %r" % (q, res))
    res = a.search("nong van luc")
    if not res:
        err("search 'nong van luc' found nothing")
        return
    for hit in res:
        if set(hit) != {"ref", "name", "class"}:
            err("a result carries more than ref/name/class: %r" % hit)
    raw = json.dumps(res, ensure_ascii=False)
    for secret in ("0210471", "500.000", "500000", "hiến máu"):
        if secret in raw:
            err("search results show %r" % secret)
    ref = res[0]["ref"]
    if a.req("GET", "/api/doc?ref=" + ref).status != 200:
        err("own ref: not 200")
    for who, path in ((b, "/api/doc?ref=" + ref), (b, "/api/preview?ref=" + ref),
                      (a, "/api/doc?ref=0210471"), (a, "/api/doc?ref=" + "0" * 32),
                      (a, "/api/doc?ref="), (a, "/api/doc")):
        r = who.req("GET", path)
        if r.status != 404:
            err("%s (%s session): %d, not 404" % (path, "other" if who is b else "own", r.status))
    r = b.post("/api/print", {"ref": ref})
    if r.status != 404:
        err("print with another session's ref: %d, not 404" % r.status)
    for path in ("/api/list", "/api/records", "/api/search?q=%25", "/api/search?q=__",
                 "/api/staff/status", "/api/staff/search?q=nong"):
        r = a.req("GET", path)
        if r.status == 200 and r.json and r.json.get("results"):
            err("%s lists records: %r" % (path, r.raw[:100]))
        elif path.startswith("/api/staff") and r.status != 403:
            err("%s without staff: %d, not 403" % (path, r.status))
    # an exact key (a scanned student ID) finds its person, without the ID
    res = a.search("0210471")
    if not res or "0210471" in json.dumps(res):
        err("search by exact ID: %r" % res)
    long_q = a.req("GET", "/api/search?q=" + "a" * 101)
    if long_q.status != 400:
        err("a 101-byte query: %d, not 400" % long_q.status)
    # the text searched is never echoed back
    r = a.req("GET", "/api/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    if b"<script" in r.raw:
        err("a search echoes its text: %r" % r.raw[:100])
    # reset forgets the session's refs
    a.post("/api/reset", {})
    if a.req("GET", "/api/doc?ref=" + ref).status != 404:
        err("a ref still works after /api/reset")


# ---- point 5: sizes ------------------------------------------------------------

def t_sizes(port):
    a = Client(port)
    a.session()
    r = a.post("/api/reset", b"{" + b" " * 5000 + b"}")
    if r.status != 413:
        err("a 5 KB body: %d, not 413" % r.status)
    # a chunked body (no Content-Length) over 4 KiB
    s = raw_http(port, ("POST /api/reset HTTP/1.1\r\nHost: x\r\nCookie: vk=%s\r\n"
                        "X-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n" % (a.cookies.get("vk"), a.csrf)
                        ).encode() + b"1400\r\n" + b" " * 0x1400 + b"\r\n0\r\n\r\n")
    if s != 413:
        err("a chunked 5 KB body: %d, not 413" % s)
    code = raw_http(port, b"GET /api/session HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 +
                    b"\r\n\r\n")
    if code not in (0, 413, 431):
        err("a 40 KB header: %d, not refused" % code)
    code = raw_http(port, b"GET /api/search?q=" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    if code not in (0, 413, 414, 431):
        err("a 40 KB URL: %d, not refused" % code)
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(3000))
    code = raw_http(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    if code not in (0, 413, 431):
        err("3,000 headers: %d, not refused" % code)
    r = a.post("/api/reset", b"{}", headers={"Content-Type": "text/plain"})
    if r.status != 415:
        err("a POST not JSON: %d, not 415" % r.status)
    r = a.post("/api/reset", b"[1,2")
    if r.status != 400:
        err("a broken JSON body: %d, not 400" % r.status)
    still_answers(port, "the oversized requests")


def t_csrf(port):
    a, b = Client(port), Client(port)
    a.session()
    b.session()
    for name, body, kw in (("no token", {}, {"csrf": False}),
                           ("another session's token", {}, {"headers": {"X-CSRF-Token": b.csrf}}),
                           ("an empty token", {}, {"headers": {"X-CSRF-Token": ""}})):
        for path in ("/api/reset", "/api/print", "/api/staff/login"):
            r = a.post(path, body, **kw)
            if r.status != 403:
                err("POST %s with %s: %d, not 403" % (path, name, r.status))
    anon = Client(port)
    r = anon.post("/api/staff/login", {"pin": PIN})
    if r.status != 403:
        err("a login without session or token: %d, not 403" % r.status)
    if a.post("/api/reset", {}).status != 200:
        err("POST with the right token refused")


def t_headers(port):
    a = Client(port)
    a.session()
    for path in ("/", "/staff", "/assets/NotoSans-Regular.ttf", "/nope", "/api/nope",
                 "/api/search?q=nong", "/api/doc?ref=x", "/api/staff/status"):
        a.req("GET", path)  # check_headers on each
    a.post("/api/reset", {})
    a.post("/api/reset", {}, csrf=False)
    r = a.req("GET", "/assets/NotoSans-Regular.ttf")
    if r.status != 200 or r.headers.get("Content-Type") != "font/ttf" or r.raw[:4] != b"\0\1\0\0":
        err("/assets/NotoSans-Regular.ttf: %d %s" % (r.status, r.headers.get("Content-Type")))


def t_traversal(port):
    a = Client(port)
    for path in ("/../etc/passwd", "/%2e%2e/etc/passwd", "/assets/../../etc/passwd",
                 "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
                 "/etc/passwd", "//etc/passwd", "/assets//etc/passwd", "/assets/",
                 "/assets/.", "/assets/..", "/assets/index.html", "/src/kiosk/server.c",
                 "/assets/%00", "/index.html", "/assets/NotoSans-Regular.ttf/..",
                 "/api/../assets/NotoSans-Regular.ttf"):
        c = socket.create_connection((HOST, port), timeout=10)
        c.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        got = b""
        while True:
            part = c.recv(65536)
            if not part:
                break
            got += part
        c.close()
        status = got.split(b" ", 2)[1] if got.count(b" ") >= 2 else b"?"
        if status not in (b"404", b"400"):
            err("%s: %s, not 404" % (path, status.decode(errors="replace")))
        if b"root:" in got or b"#include" in got:
            err("%s: a file's content came back" % path)


def t_rate(port):
    a = Client(port)
    a.session()
    codes = [a.req("GET", "/api/search?q=nong") for _ in range(60)]
    limited = [r for r in codes if r.status == 429]
    if not limited:
        err("60 searches at once: no 429")
        return
    r = limited[0]
    ra = r.headers.get("Retry-After", "")
    if not ra.isdigit() or int(ra) < 1:
        err("429 without a Retry-After: %r" % ra)
    if not r.json or r.json.get("error") != "rate" or not r.json.get("message"):
        err("429 body: %r" % r.raw[:100])


def t_slow(port, timeout):
    """40 connections sending a request slowly (from addresses of their own,
    as a crowd would): another client is still answered, and they are closed
    after the timeout."""
    slow = []
    for i in range(40):
        try:
            s = socket.create_connection((HOST, port), timeout=5,
                                         source_address=("127.0.%d.%d" % (1 + i // 8, 10 + i % 8), 0))
            s.sendall(b"GET /api/session HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(s)
        except OSError as e:
            err("slow client %d could not connect: %s" % (i, e))
    t0 = time.monotonic()
    c = Client(port, source="127.0.9.9")
    if not c.session():
        err("with 40 slow clients a normal client got no answer")
    if time.monotonic() - t0 > 5:
        err("with 40 slow clients a normal client waited %.1f s" % (time.monotonic() - t0))
    time.sleep(timeout + 2.5)
    closed = 0
    for s in slow:
        try:
            s.settimeout(2)
            s.sendall(b"a")
            closed += s.recv(1) == b""
        except OSError:
            closed += 1
        s.close()
    if closed < len(slow):
        err("%d of %d slow clients still open after the %g s timeout"
            % (len(slow) - closed, len(slow), timeout))
    still_answers(port, "the slow clients")


def t_pin(port, lockout):
    a, other = Client(port), Client(port)
    a.session()
    other.session()
    left = None
    for i in range(5):
        r = a.post("/api/staff/login", {"pin": "%04d" % (1000 + i)})
        if i < 4 and (r.status != 401 or not r.json or r.json.get("error") != "pin"):
            err("wrong PIN %d: %d %r" % (i + 1, r.status, r.raw[:80]))
        elif i < 4:
            left = r.json.get("left")
    if left != 1:
        err("'left' after 4 wrong PINs: %r, not 1" % left)
    if r.status != 429:
        err("5th wrong PIN: %d, not 429" % r.status)
    for who in (a, other):
        r = who.post("/api/staff/login", {"pin": PIN})
        if r.status != 429 or not r.json or r.json.get("error") != "locked":
            err("the right PIN while locked: %d %r" % (r.status, r.raw[:80]))
        elif not r.headers.get("Retry-After"):
            err("locked without Retry-After")
    if a.req("GET", "/api/staff/status").status != 403:
        err("staff status after a locked login: not 403")
    time.sleep(lockout + 0.5)
    r = a.post("/api/staff/login", {"pin": PIN})
    if r.status != 200:
        err("the right PIN after the lockout: %d %r" % (r.status, r.raw[:80]))
    r = a.req("GET", "/api/staff/status")
    if r.status != 200 or not r.json or "printer" not in r.json:
        err("staff status after login: %d" % r.status)
    a.post("/api/staff/logout", {})
    if a.req("GET", "/api/staff/status").status != 403:
        err("staff status after logout: not 403")


def t_token(port, token):
    a = Client(port)
    r = a.req("GET", "/api/session")
    if r.status != 403:
        err("no access cookie: /api/session %d, not 403" % r.status)
    if a.req("GET", "/").status != 403 or a.req("GET", "/?token=" + "x" * len(token)).status != 403:
        err("a wrong token: not 403")
    r = a.req("GET", "/?token=" + token)
    if r.status not in (302, 303) or r.headers.get("Location") != "/":
        err("?token=: %d, Location %r" % (r.status, r.headers.get("Location")))
    if "vkt" not in a.cookies:
        err("?token= set no vkt cookie")
    if not a.session():
        err("with the access cookie: no session")


# ---- printing (used by kiosk-tests.sh's fault and reprint tests) ---------------

def found(c, name):
    res = c.search(name)
    if not res:
        err("search %r found nothing" % name)
        return None
    return res[0]["ref"]


def t_print(port, name):
    c = Client(port)
    c.session()
    ref = found(c, name)
    if not ref:
        return
    r = c.req("GET", "/api/preview?ref=%s&w=400" % ref)
    if r.status != 200 or r.raw[:8] != b"\x89PNG\r\n\x1a\n":
        err("preview: %d %s" % (r.status, r.headers.get("Content-Type")))
    r = c.post("/api/print", {"ref": ref})
    if r.status != 200 or not r.json or "ticket" not in r.json:
        err("print: %d %r" % (r.status, r.raw[:120]))
        return
    t = r.json["ticket"]
    r = c.req("GET", "/api/ticket?t=" + t)
    if r.status != 200 or not r.json.get("message"):
        err("own ticket: %d" % r.status)
    other = Client(port)
    other.session()
    if other.req("GET", "/api/ticket?t=" + t).status != 404:
        err("another session sees the ticket")
    print(t)


def staff(port):
    c = Client(port)
    c.session()
    r = c.post("/api/staff/login", {"pin": PIN})
    if r.status != 200:
        err("staff login: %d %r" % (r.status, r.raw[:80]))
    return c


def t_ticket(port, t, states):
    c = staff(port)
    end = time.monotonic() + 30
    while True:
        r = c.req("GET", "/api/ticket?t=" + t)
        st = r.json.get("state") if r.json else None
        if st in states or time.monotonic() > end:
            break
        time.sleep(0.3)
    if st not in states:
        err("ticket %s: %s (%r), not %s" % (t, st, r.raw[:120], "/".join(states)))
    print(st)


def t_staff(port, what, args):
    c = staff(port)
    if what == "status":
        r = c.req("GET", "/api/staff/status")
        print(json.dumps(r.json, ensure_ascii=False))
    elif what == "retry":
        r = c.post("/api/staff/retry", {"ticket": args[0]})
        # the poller may have sent it already once the printer was ready
        if r.status not in (200, 409):
            err("retry: %d %r" % (r.status, r.raw[:120]))
        print(r.status)
    elif what == "mode":
        r = c.post("/api/staff/mode", {"mode": args[0]})
        if r.status != 200:
            err("mode: %d" % r.status)
    elif what == "reload":
        r = c.post("/api/staff/reload", {})
        print(r.status, json.dumps(r.json, ensure_ascii=False))
    elif what == "log":
        r = c.req("GET", "/api/staff/log.csv")
        if r.status != 200 or "attachment" not in r.headers.get("Content-Disposition", ""):
            err("log.csv: %d %r" % (r.status, r.headers.get("Content-Disposition")))
        sys.stdout.write(r.raw.decode("utf-8-sig"))


def t_reprint(port, name):
    c = Client(port)
    c.session()
    ref = found(c, name)
    if not ref:
        return
    r = c.req("GET", "/api/doc?ref=" + ref)
    if not r.json or r.json.get("state") != "printed":
        err("doc before the reprint: %r" % r.raw[:100])
    r = c.post("/api/print", {"ref": ref})
    if r.status != 409 or not r.json or r.json.get("error") != "needs-staff":
        err("a second print without PIN: %d %r" % (r.status, r.raw[:100]))
    time.sleep(3.1)  # the print rate: one per 3 s after a burst of 2
    r = c.post("/api/print", {"ref": ref, "pin": "0000", "reason": "giấy bị nhàu"})
    if r.status != 401 or not r.json or r.json.get("error") != "pin":
        err("a reprint with a wrong PIN: %d %r" % (r.status, r.raw[:100]))
    time.sleep(3.1)
    r = c.post("/api/print", {"ref": ref, "pin": PIN, "reason": "giấy bị nhàu"})
    if r.status != 200 or not r.json or "ticket" not in r.json:
        err("a reprint with the PIN: %d %r" % (r.status, r.raw[:100]))
        return
    print(r.json["ticket"])


def t_confirm(port, name, cancel_name):
    """Mode confirm: a print waits for staff; confirmed it prints, cancelled
    it does not.  Back to direct at the end."""
    s = staff(port)
    if s.post("/api/staff/mode", {"mode": "confirm"}).status != 200:
        err("mode confirm refused")
    c = Client(port)
    if c.session().get("mode") != "confirm":
        err("/api/session does not say mode confirm")
    tickets = []
    for n in (name, cancel_name):
        ref = found(c, n)
        r = c.post("/api/print", {"ref": ref}) if ref else None
        if not r or r.status != 200:
            err("print in confirm mode: %r" % (r and r.raw[:100]))
            return
        tickets.append(r.json["ticket"])
        st = c.req("GET", "/api/ticket?t=" + tickets[-1]).json
        if st.get("state") != "awaiting-staff":
            err("a print in confirm mode: %r, not awaiting-staff" % st)
    again = c.post("/api/print", {"ref": found(c, name)})
    if again.status == 200 and again.json.get("ticket") != tickets[0]:
        err("a second tap made a second ticket")
    r = s.post("/api/staff/cancel", {"ticket": tickets[1]})
    if r.status != 200 or r.json.get("state") != "cancelled":
        err("cancel: %d %r" % (r.status, r.raw[:100]))
    if s.post("/api/staff/confirm", {"ticket": tickets[1]}).status != 409:
        err("confirm of a cancelled ticket: not 409")
    r = s.post("/api/staff/confirm", {"ticket": tickets[0]})
    if r.status != 200:
        err("confirm: %d %r" % (r.status, r.raw[:100]))
    if s.post("/api/staff/confirm", {"ticket": "0" * 32}).status != 404:
        err("confirm of an unknown ticket: not 404")
    status = s.req("GET", "/api/staff/status").json or {}
    if not any(t.get("ticket") == tickets[1] and t.get("state") == "cancelled"
               for t in status.get("tickets", [])):
        err("staff status lacks the cancelled ticket")
    s.post("/api/staff/mode", {"mode": "direct"})
    print(tickets[0])


def main(argv):
    cmd, port = argv[1], int(argv[2])
    rest = argv[3:]
    if cmd == "enum": t_enum(port)
    elif cmd == "sizes": t_sizes(port)
    elif cmd == "csrf": t_csrf(port)
    elif cmd == "headers": t_headers(port)
    elif cmd == "traversal": t_traversal(port)
    elif cmd == "rate": t_rate(port)
    elif cmd == "slow": t_slow(port, float(rest[0]))
    elif cmd == "pin": t_pin(port, float(rest[0]))
    elif cmd == "token": t_token(port, rest[0])
    elif cmd == "print": t_print(port, rest[0])
    elif cmd == "ticket": t_ticket(port, rest[0], rest[1:])
    elif cmd == "staff": t_staff(port, rest[0], rest[1:])
    elif cmd == "reprint": t_reprint(port, rest[0])
    elif cmd == "confirm": t_confirm(port, rest[0], rest[1])
    else:
        print("unknown subcommand " + cmd, file=sys.stderr)
        return 2
    for e in ERRS:
        print("FAIL: " + e, file=sys.stderr)
    return 1 if ERRS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
