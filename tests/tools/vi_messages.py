#!/usr/bin/env python3
"""Vietnamese output of vncert, for the e2e suite's message checks (issue 14).

  vi_messages.py back PO FILE...   rewrite each FILE (raw output of vncert
                                   under LANG=vi_VN.UTF-8) to English: every
                                   translated message (msgstr of PO) becomes
                                   its msgid with the same arguments.  The raw
                                   text is kept as FILE.vi.
  vi_messages.py leaks PO FILE...  print each line of the raw output that
                                   still holds English; exit 1 if any.
  vi_messages.py vet PO FILE...    both: leaks (printed as "FILE<tab>LINE",
                                   FILE's base name), then back; exit 1 if
                                   any leak.
  vi_messages.py text PO FILE...   print FILE in English (a file still being
                                   written), changing nothing.

So the suite's English grep patterns run unchanged on a Vietnamese run.
Binary files (NUL bytes, not UTF-8) are left as they are.  The compiled
catalogue is cached in $VI_MESSAGES_CACHE (else $TMPDIR), keyed by the
.po's path, mtime and size.
Standard library only (no polib).
"""
import os
import pickle
import re
import sys
import zlib

VERSION = 8  # of the cache's layout
DEPTH = 4  # nesting of translated fragments inside arguments

# ---- the .po file ------------------------------------------------------------

ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a",
           "b": "\b", "f": "\f", "v": "\v", "?": "?", "'": "'"}


def unquote(s):
    """The value of one "..." C string of a .po line."""
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError("not a quoted string: %r" % s)
    s = s[1:-1]
    return re.sub(r'\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)',
                  lambda m: unescape1(m.group(1)), s)


def unescape1(e):
    if e[0] == "x":
        return chr(int(e[1:], 16))
    if e[0] in "01234567":
        return chr(int(e, 8))
    return ESCAPES.get(e, "\\" + e)


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def parse_po(text):
    """The entries of a .po: dicts with msgid, msgid_plural, msgstr (list),
    msgctxt and flags.  Obsolete (#~) entries are dropped."""
    entries, cur, key = [], None, None

    def close():
        if cur is not None and "msgid" in cur:
            entries.append(cur)

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                key = None
            continue
        if line.startswith("#"):
            if key is not None or cur is None or "msgid" in cur:
                close()
                cur, key = {"flags": set()}, None
            if line.startswith("#,"):
                cur["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        m = KEYWORD.match(line)
        if m:
            kw, val = m.group(1), unquote(m.group(2))
            if kw in ("msgctxt", "msgid") and cur is not None and (
                    "msgstr" in cur or (kw == "msgid" and "msgid" in cur)):
                close()
                cur = None
            if cur is None:
                cur = {"flags": set()}
            if kw.startswith("msgstr"):
                n = int(kw[7:-1]) if "[" in kw else 0
                strs = cur.setdefault("msgstr", [])
                while len(strs) <= n:
                    strs.append("")
                strs[n] += val
                key = ("msgstr", n)
            else:
                cur[kw] = val
                key = kw
        elif line.startswith('"') and key is not None:
            val = unquote(line)
            if isinstance(key, tuple):
                cur["msgstr"][key[1]] += val
            else:
                cur[key] += val
        else:
            raise ValueError("cannot read .po line: %r" % line)
    close()
    return entries


def translations(entries):
    """(msgstr, msgid, msgid_plural or None) of each translated entry."""
    out = []
    for e in entries:
        if not e.get("msgid") or "fuzzy" in e["flags"]:
            continue
        strs = e.get("msgstr", [])
        if not strs or not all(strs):
            continue
        plural = e.get("msgid_plural")
        for i, s in enumerate(strs):
            if plural is None:
                out.append((s, e["msgid"], None))
            elif len(strs) == 1:  # nplurals=1: the count says which English
                out.append((s, e["msgid"], plural))
            else:
                out.append((s, e["msgid"] if i == 0 else plural, None))
    return out


# ---- c-format directives ------------------------------------------------------

DIRECTIVE = re.compile(
    r"%(?:(\d+)\$)?([-+ #0']*)(\*(?:\d+\$)?|\d+)?(?:\.(\*(?:\d+\$)?|\d*))?"
    r"(hh|h|ll|l|L|q|j|z|Z|t)?([diouxXcsSfFeEgGaAp%]|<PRI[a-zA-Z0-9]+>)")


def directives(fmt):
    """[(start, end, arg index or None for %%, conversion, flags+width)]."""
    out, n = [], 0
    for m in DIRECTIVE.finditer(fmt):
        conv = m.group(6)
        if conv == "%":
            out.append((m.start(), m.end(), None, "%", ""))
            continue
        for star in (m.group(3), m.group(4)):
            if star and star.startswith("*") and not star[1:]:
                n += 1  # a '*' width or precision consumes an argument
        if m.group(1):
            idx = int(m.group(1))
        else:
            n += 1
            idx = n
        if conv.startswith("<"):
            conv = conv[-2] if conv[-2] in "diouxX" else "d"
        out.append((m.start(), m.end(), idx, conv, (m.group(2) or "") + (m.group(3) or "")))
    return out


INT, HEX = r"-?\d+", r"[0-9A-Fa-f]+"
FLOAT = r"-?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?|-?inf|nan"


def capture(conv, width, where, multiline):
    """The regex of one directive's argument.  where: 'first', 'last',
    'only' or 'mid' in the message."""
    pad = " *" if width.strip("-0'+# ") else ""
    if conv in "diu":
        return "(" + pad + INT + pad + ")"
    if conv in "xX":
        return "(" + pad + HEX + pad + ")"
    if conv == "o":
        return "(" + pad + "[0-7]+" + pad + ")"
    if conv in "fFeEgGaA":
        return "(" + pad + "(?:" + FLOAT + ")" + pad + ")"
    if conv == "c":
        return "(.)"
    if conv == "p":
        return r"(0x[0-9a-fA-F]+|\(nil\))"
    if where in ("last", "only"):
        return "([^\n]*)"  # to the end of the line: translated in turn
    if where == "mid" and multiline:
        return r"([\s\S]*?)"
    return "([^\n]*?)"


LOCATION = re.compile(r"\S[^\n]*?:\d+(?::\d+)?: ")  # file:line[:column]:
JSON_LINE = re.compile(r'\s*[\[{].*[\]},]\s*$')
JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”", "«": "»", "`": "'"}
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W_]+")


class Message:
    """One msgstr, ready to be found in output and turned back to English."""
    __slots__ = ("vi", "en", "plural", "regex", "rx", "short", "score",
                 "args", "count_arg", "lead_moves", "en_parts", "plural_parts", "key",
                 "multiline", "lits")

    def __init__(self, vi, en, plural):
        self.vi, self.en, self.plural = strip_nl(vi), strip_nl(en), plural
        if plural is not None:
            self.plural = strip_nl(plural)
        self.rx = None
        self.multiline = "\n" in self.vi
        dirs = directives(self.vi)
        parts, lits, last, self.args = [], [], 0, []
        real = [d for d in dirs if d[3] != "%"]
        for d in dirs:
            lit = self.vi[last:d[0]]
            lits.append(lit)
            parts.append(re.escape(lit))
            if d[3] == "%":
                parts.append("%")
                lits.append("%")
            else:
                where = ("only" if len(real) == 1 and d[0] == 0 and d[1] == len(self.vi)
                         else "first" if d[0] == 0 else
                         "last" if d[1] == len(self.vi) else "mid")
                parts.append(capture(d[3], d[4], where, self.multiline))
                quoted = QUOTES.get(self.vi[d[0] - 1:d[0]]) == self.vi[d[1]:d[1] + 1] != ""
                self.args.append((d[2], "q" if quoted else d[3]))  # 'q': data, kept
            last = d[1]
        lits.append(self.vi[last:])
        parts.append(re.escape(self.vi[last:]))
        # not inside a longer word of the output
        self.regex = (r"(?<!\w)" if re.match(r"\w", self.vi) else "") + "".join(parts) + (
            r"(?!\w)" if re.search(r"\w\Z", self.vi) else "")
        literal = "".join(lits)
        # every piece of literal text must be in a line before the regex is
        # compiled and tried (most candidates fail this cheap test)
        self.lits = sorted({x for x in lits if x}, key=len, reverse=True)
        letters = len(LETTER.findall(literal))
        self.short = letters < 4
        self.score = (-letters, -len(literal.strip()), len(real))
        self.key = None
        # the msgstr begins with a string argument that the msgid does not
        self.lead_moves = bool(real and real[0][0] == 0 and real[0][3] in "sS") and not any(
            d[0] == 0 and d[2] == real[0][2] for d in directives(self.en))
        self.en_parts = template(self.en)
        self.plural_parts = template(self.plural) if plural is not None else None
        self.count_arg = None  # the argument counted by plural forms
        if plural is not None:
            self.count_arg = next((d[2] for d in directives(self.plural) if d[3] in "diu"), None)

    def english(self, m, depth, tr):
        vals, groups, prefix = {}, list(m.groups()), ""
        if self.lead_moves and ": " in groups[0]:
            # "vncert: FILE ..." where the English puts FILE elsewhere: what
            # precedes the argument ("vncert: ", "a.csv:3:1: ") stays first
            cut = groups[0].rindex(": ") + 2
            prefix, groups[0] = tr(groups[0][:cut], depth - 1, False), groups[0][cut:]
        for (idx, conv), v in zip(self.args, groups):
            if conv in "sSc":
                v = tr(v, depth - 1, True)
            elif conv in "fFeEgGaA":
                v = re.sub(r"^(\s*-?\d*),(\d)", r"\1.\2", v)
            vals.setdefault(idx, v)
        parts = self.en_parts
        if self.plural is not None:
            count = vals.get(self.count_arg)
            parts = self.en_parts if count is not None and count.strip() == "1" else self.plural_parts
        return prefix + "".join(p if isinstance(p, str) else vals.get(p[0], p[1]) for p in parts)

    def compiled(self):
        if self.rx is None:
            self.rx = re.compile(self.regex)
        return self.rx


def template(en):
    """An English message as literal strings and (argument, directive) pairs."""
    out, last = [], 0
    for d in directives(en):
        out.append(en[last:d[0]])
        out.append("%" if d[3] == "%" else (d[2], en[d[0]:d[1]]))
        last = d[1]
    out.append(en[last:])
    return [p for p in out if p != ""]


def strip_nl(s):
    """A message without its leading and trailing newlines (the output keeps
    them: they are not part of what is matched)."""
    return s.strip("\n")


class Catalogue:
    def __init__(self, entries):
        trans = translations(entries)
        msgs, seen = [], set()
        for vi, en, plural in trans:
            m = Message(vi, en, plural)
            if m.vi == m.en and plural is None or m.vi in seen:
                continue
            if not m.args and not m.vi.strip():
                continue
            lits = DIRECTIVE.sub("", m.vi)
            if not LETTER.search(lits):
                continue  # only directives: matches anything
            seen.add(m.vi)
            msgs.append(m)
        msgs.sort(key=lambda m: m.score)
        # index each message by its rarest whole word
        freq = {}
        for m in msgs:
            for w in set(key_words(m.vi)):
                freq[w] = freq.get(w, 0) + 1
        self.index, self.always, self.multi = {}, [], []
        for order, m in enumerate(msgs):
            words = key_words(m.vi)
            if words:
                m.key = min(words, key=lambda w: (freq[w], -len(w)))
            if m.multiline:
                self.multi.append(m)
            elif m.key is None:
                self.always.append((order, m))
            else:
                self.index.setdefault(m.key, []).append((order, m))
        # for leaks: English 3-word runs of msgids, Vietnamese words
        vi_words, vi_runs = set(), set()
        for vi, _, _ in trans:
            ws = [w.lower() for w in WORD.findall(DIRECTIVE.sub(" ", vi))]
            vi_words.update(ws)
            vi_runs.update(runs3(DIRECTIVE.sub("\0", vi)))
        self.vi_words = vi_words
        self.en_runs = set()
        for vi, en, plural in trans:
            if vi == en:
                continue
            for s in (en, plural or ""):
                self.en_runs.update(runs3(DIRECTIVE.sub("\0", s)))
        self.en_runs -= vi_runs

    def candidates(self, text):
        keys = self.index.keys() & set(WORD.findall(text))
        if not keys:
            return [m for _, m in self.always]
        got = dict(self.always)
        for k in keys:
            got.update(self.index[k])
        return [got[k] for k in sorted(got)]

    def tr(self, s, depth, whole):
        """s with each translated message turned back to English."""
        if depth <= 0 or not s or s.isspace():
            return s
        for m in self.candidates(s):
            if not all(x in s for x in m.lits):
                continue
            rx = m.compiled()
            if whole == "full":
                hit = rx.fullmatch(s)
                if hit:
                    return m.english(hit, depth, self.tr)
                continue
            if m.short:
                if not whole:
                    continue
                body = s.strip()
                lead = s[:len(s) - len(s.lstrip())]
                loc = LOCATION.match(body)  # "a.csv:3:1: cột "X"": the place stays
                hit = rx.fullmatch(body) or (loc and rx.fullmatch(body[loc.end():]))
                if not hit:
                    continue
                if hit.string is not body:
                    lead += body[:loc.end()]
                trail = s[len(s.rstrip()):]
                return lead + m.english(hit, depth, self.tr) + trail
            hit = rx.search(s)
            if hit and hit.end() > hit.start():
                return (self.tr(s[:hit.start()], depth, False)
                        + m.english(hit, depth, self.tr)
                        + self.tr(s[hit.end():], depth, False))
        return s

    def back(self, text):
        """The whole output back in English: messages of several lines first,
        then line by line."""
        segs = [(text, False)]  # (text, already English)
        for m in self.multi:
            if m.key is not None and m.key not in text:
                continue
            rx, nsegs = m.compiled(), []
            for seg, done in segs:
                if done:
                    nsegs.append((seg, done))
                    continue
                last = 0
                for hit in rx.finditer(seg):
                    if hit.end() == hit.start():
                        continue
                    nsegs.append((seg[last:hit.start()], False))
                    nsegs.append((m.english(hit, DEPTH, self.lines), True))
                    last = hit.end()
                nsegs.append((seg[last:], False))
            segs = nsegs
        return "".join(seg if done else self.lines(seg, DEPTH, True) for seg, done in segs)

    def json(self, line, depth):
        """A line of JSON: each string that is a whole message, in English;
        the rest is data (names, cells), kept."""
        return JSON_STRING.sub(lambda m: '"%s"' % self.tr(m.group(1), depth, "full"), line)

    def lines(self, s, depth, whole):
        """Each line of s back in English (a line seen before: its result
        again; output repeats itself)."""
        out, seen = [], {}
        for line in s.split("\n"):
            en = seen.get(line)
            if en is None:
                en = self.json(line, depth) if JSON_LINE.match(line) else self.tr(line, depth, whole)
                if len(seen) < 100000:
                    seen[line] = en
            out.append(en)
        return "\n".join(out)


def key_words(vi):
    """Words of a msgstr's literal text that are whole words in any output
    (not glued to a directive, not numbers)."""
    ends, starts = set(), set()
    for d in DIRECTIVE.finditer(vi):
        starts.add(d.start())
        ends.add(d.end())
    out = []
    for w in WORD.finditer(vi):
        if w.start() in ends or w.end() in starts or w.group().isdigit():
            continue
        if any(d.start() < w.start() < d.end() for d in DIRECTIVE.finditer(vi)):
            continue  # the letters of a directive (%ld, %1$s)
        out.append(w.group())
    return out


def runs3(text):
    """Lower-cased runs of 3 consecutive words within one literal chunk."""
    out = set()
    for chunk in text.split("\0"):
        ws = [w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", chunk)]
        for i in range(len(ws) - 2):
            out.add(" ".join(ws[i:i + 3]))
    return out


def load(po):
    """The Catalogue of a .po, from the cache when the file is unchanged
    (one cache file per .po, keyed by its mtime and size)."""
    st = os.stat(po)
    real = os.path.realpath(po)
    tag = "%s|%d|%d|%d" % (real, st.st_mtime_ns, st.st_size, VERSION)
    # VI_MESSAGES_CACHE: the e2e suite's own folder (tests look for what a
    # run left behind in their TMPDIR)
    where = os.environ.get("VI_MESSAGES_CACHE") or os.environ.get("TMPDIR") or "/tmp"
    cache = os.path.join(where, "vi_messages-%d-%08x.pickle" % (
        os.getuid(), zlib.crc32(real.encode())))
    try:
        with open(cache, "rb") as f:
            got = pickle.load(f)
        if got[0] == tag:
            return got[1]
    except Exception:  # missing, stale, another version's: made again
        pass
    with open(po, encoding="utf-8") as f:
        cat = Catalogue(parse_po(f.read()))
    tmp = "%s.%d" % (cache, os.getpid())
    try:
        with open(tmp, "wb") as f:
            pickle.dump((tag, cat), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except Exception:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return cat


# ---- English left in a Vietnamese run -------------------------------------------

FUNCTION = set("""the is not of and to a an in for with cannot could was be are
no this its by from records file found has have been were or on at it that
which will would should must does did there than only into can can't cannot
isn't doesn't won't couldn't these those their them they there's open write
read missing invalid expected too many none empty unknown given use used
line column page pages record record's written while after before""".split())
WEAK = set("a an to in no on at it file found records record open write read use".split())

MASKS = [
    re.compile(r"(?<![\w'])'[^'\n]*'(?![\w])"),
    re.compile(r'"(?:[^"\\\n]|\\.)*"'),
    re.compile(r"‘[^’\n]*’|“[^”\n]*”|«[^»\n]*»"),
    re.compile(r"\b[a-z][a-z0-9+.-]*://\S+"),
    re.compile(r"(?<!\S)--?[A-Za-z][\w-]*(?:=\S*)?"),
    re.compile(r"\S*[/\\]\S*"),
    re.compile(r"\S+\.[A-Za-z0-9]{1,5}\b"),
    # a command line: vncert, its subcommand and arguments (usage lines)
    re.compile(r"\bvncert(?: (?:[a-z][\w-]*|[A-Z][A-Z_]+|\||\[[^\]\n]*\]|\.\.\.))+"),
]


def masked(line):
    for rx in MASKS:
        line = rx.sub(" ", line)
    return line


def leak(cat, line):
    """Why a line of Vietnamese output holds English, or None."""
    text = masked(line)
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)]
    for i in range(len(words) - 2):
        run = " ".join(words[i:i + 3])
        if run in cat.en_runs:
            return "an English message"
    fw = [w for w in words if w in FUNCTION]
    strong = [w for w in fw if w not in WEAK and w not in cat.vi_words]
    if len(fw) >= 3 and strong:
        return "English words"
    return None


def leaks(cat, text):
    return [line for line in text.split("\n") if line.strip() and leak(cat, line)]


# ---- files -------------------------------------------------------------------------

def read_text(path):
    """The text of path, or None when it is binary (NUL, not UTF-8)."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def back_file(cat, path):
    text = read_text(path)
    if text is None or not text:
        if os.path.exists(path + ".vi"):
            os.unlink(path + ".vi")
        try:
            os.link(path, path + ".vi")
        except OSError:
            pass
        return
    en = cat.back(text)
    os.replace(path, path + ".vi")
    with open(path, "w", encoding="utf-8") as f:
        f.write(en)


def main(argv):
    if len(argv) < 3 or argv[0] not in ("back", "leaks", "vet", "text"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, po, files = argv[0], argv[1], argv[2:]
    try:
        cat = load(po)
    except (OSError, ValueError) as e:
        print("vi_messages.py: %s: %s" % (po, e), file=sys.stderr)
        return 2
    rc = 0
    for path in files:
        if not os.path.isfile(path):
            continue
        if cmd in ("leaks", "vet"):
            text = read_text(path)
            for line in leaks(cat, text) if text else ():
                print(line if cmd == "leaks" else "%s\t%s" % (os.path.basename(path), line))
                rc = 1
        if cmd in ("back", "vet"):
            back_file(cat, path)
        if cmd == "text":
            text = read_text(path)
            try:
                sys.stdout.write(cat.back(text) if text else "")
                sys.stdout.flush()
            except BrokenPipeError:  # `... text | grep -q`: the reader had enough
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return rc


if __name__ == "__main__":
    # the cache holds vi_messages.Catalogue whether run or imported
    sys.modules["vi_messages"] = sys.modules["__main__"]
    Catalogue.__module__ = Message.__module__ = "vi_messages"
    sys.exit(main(sys.argv[1:]))
