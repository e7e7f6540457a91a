#!/usr/bin/python3
"""pdf_glyphs.py FILE.pdf - checks that every glyph a PDF draws is in the font
program embedded for it.

For each page (and each form XObject it draws), the content streams are
parsed: Tf selects the font, Tj / TJ / ' / " show strings.  For TrueType CID
fonts (Type0 over CIDFontType2, Identity-H: 2-byte codes are CIDs, mapped to
glyph ids by /CIDToGIDMap, or equal to them with /Identity) each glyph drawn
must exist in the embedded FontFile2 and have outline data (unless it is the
glyph of a space), and every component of a composite glyph, recursively,
must too.  This catches libharu 2.3.0's subsetter dropping nested composite
glyphs: text extraction still works then, but accents vanish on paper.

Prints one line per problem and exits 1 if there is any; otherwise prints a
summary line and exits 0.  Exit 2 when the file cannot be read at all.
Needs qpdf (to decode the PDF as JSON) and python3-fonttools: run it with
Debian's /usr/bin/python3.
"""
import base64
import io
import json
import re
import subprocess
import sys
import unicodedata

from fontTools.ttLib import TTFont

REF = re.compile(r"^(\d+) (\d+) R$")
MAX_DEPTH = 16  # composite nesting; real fonts use 1-3


class Name(str):
    """A PDF name in a content stream (distinct from a string)."""


def load_objects(path):
    out = subprocess.run(
        ["qpdf", "--json=2", "--json-stream-data=inline",
         "--decode-level=generalized", path],
        capture_output=True)
    if out.returncode not in (0, 3):  # 3: warnings only
        sys.stderr.write(out.stderr.decode("utf-8", "replace"))
        raise SystemExit("pdf_glyphs: %s: qpdf cannot read the file" % path)
    j = json.loads(out.stdout)
    return j["pages"], j["qpdf"][1]


class Pdf:
    def __init__(self, path):
        self.pages, self.objs = load_objects(path)

    def get(self, v):
        """Resolves an indirect reference (JSON 'N G R') to its value."""
        if isinstance(v, str) and REF.match(v):
            o = self.objs.get("obj:" + v)
            if o is None:
                return None
            return o["stream"] if "stream" in o else o.get("value")
        return v

    def dict_of(self, v):
        v = self.get(v)
        if isinstance(v, dict) and "dict" in v and "data" in v:
            return v["dict"]
        return v if isinstance(v, dict) else {}

    def data(self, v):
        v = self.get(v)
        if isinstance(v, dict) and "data" in v:
            return base64.b64decode(v["data"] or "")
        return b""


# ---- content stream tokenizer ----------------------------------------------

WS = b" \t\r\n\f\0"
DELIM = b"()<>[]{}/%"


def tokens(data):
    """Yields operands (bytes strings, Name, numbers, lists, dicts) and
    operators (plain str)."""
    i, n = 0, len(data)
    stack = [[]]  # nested arrays / dicts being built

    def emit(v):
        if len(stack) > 1:
            stack[-1].append(v)
            return None
        return v

    while i < n:
        c = data[i]
        if c in WS:
            i += 1
            continue
        if c == 0x25:  # % comment
            while i < n and data[i] not in b"\r\n":
                i += 1
            continue
        v = None
        if c == 0x28:  # ( literal string
            depth, i, buf = 1, i + 1, bytearray()
            while i < n and depth:
                ch = data[i]
                if ch == 0x5C and i + 1 < n:  # backslash
                    i += 1
                    e = data[i]
                    if e in b"01234567":
                        k = 0
                        oct_ = 0
                        while k < 3 and i < n and data[i] in b"01234567":
                            oct_ = oct_ * 8 + data[i] - 48
                            i += 1
                            k += 1
                        buf.append(oct_ & 0xFF)
                        continue
                    if e == 0x0D and i + 1 < n and data[i + 1] == 0x0A:
                        i += 2
                        continue
                    if e in b"\r\n":
                        i += 1
                        continue
                    buf.append({0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8,
                                0x66: 12}.get(e, e))
                    i += 1
                    continue
                if ch == 0x28:
                    depth += 1
                elif ch == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                buf.append(ch)
                i += 1
            v = bytes(buf)
        elif c == 0x3C and data[i + 1:i + 2] == b"<":  # << dict
            stack.append(["<<"])
            i += 2
            continue
        elif c == 0x3E and data[i + 1:i + 2] == b">":  # >> dict end
            i += 2
            items = stack.pop() if len(stack) > 1 else ["<<"]
            it = items[1:]
            v = {it[k]: it[k + 1] for k in range(0, len(it) - 1, 2)}
        elif c == 0x3C:  # <hex>
            j = data.find(b">", i)
            j = n if j < 0 else j
            hx = bytes(ch for ch in data[i + 1:j] if ch not in WS)
            if len(hx) % 2:
                hx += b"0"
            try:
                v = bytes.fromhex(hx.decode("ascii"))
            except ValueError:
                v = b""
            i = j + 1
        elif c == 0x5B:  # [
            stack.append(["["])
            i += 1
            continue
        elif c == 0x5D:  # ]
            i += 1
            items = stack.pop() if len(stack) > 1 else ["["]
            v = items[1:]
        elif c == 0x2F:  # /name
            j = i + 1
            while j < n and data[j] not in WS and data[j] not in DELIM:
                j += 1
            raw = data[i + 1:j]
            raw = re.sub(rb"#([0-9A-Fa-f]{2})",
                         lambda m: bytes([int(m.group(1), 16)]), raw)
            v = Name(raw.decode("latin-1"))
            i = j
        else:
            j = i
            while j < n and data[j] not in WS and data[j] not in DELIM:
                j += 1
            if j == i:  # stray delimiter
                i += 1
                continue
            word = data[i:j].decode("latin-1")
            i = j
            try:
                v = float(word) if "." in word else int(word)
            except ValueError:
                if word == "ID":  # inline image data: skip to EI
                    m = re.compile(rb"[\s]EI(?=[\s]|$)").search(data, i + 1)
                    i = m.end() if m else n
                    yield "EI"
                    continue
                if len(stack) > 1:  # true/false/null inside arrays
                    stack[-1].append(word)
                    continue
                yield word
                continue
        r = emit(v)
        if r is not None:
            yield r


# ---- fonts -------------------------------------------------------------------

class FontCheck:
    """One embedded CID TrueType font and the glyphs drawn with it."""

    def __init__(self, pdf, ref, fdict):
        self.name = str(fdict.get("/BaseFont", ref)).lstrip("/")
        self.ok = False
        self.why = None
        self.drawn = {}  # gid -> (page, code)
        self.tounicode = parse_tounicode(pdf.data(fdict.get("/ToUnicode")))
        enc = fdict.get("/Encoding")
        desc = pdf.get((pdf.get(fdict.get("/DescendantFonts")) or [None])[0])
        desc = pdf.dict_of(desc)
        if fdict.get("/Subtype") != "/Type0" or enc != "/Identity-H" or \
                desc.get("/Subtype") != "/CIDFontType2":
            self.why = "not a TrueType CID font with Identity-H: not checked"
            return
        fd = pdf.dict_of(desc.get("/FontDescriptor"))
        prog = pdf.data(fd.get("/FontFile2"))
        if not prog:
            self.why = "not embedded: not checked"
            return
        m = desc.get("/CIDToGIDMap", "/Identity")
        self.cid2gid = None if m == "/Identity" else pdf.data(m)
        try:
            self.tt = TTFont(io.BytesIO(prog), lazy=True)
            self.order = self.tt.getGlyphOrder()
            self.glyf = self.tt["glyf"]
            cmap = self.tt.getBestCmap() or {}
        except Exception as e:  # a damaged font program is a finding
            self.why = "font program unreadable: %s" % e
            self.bad = True
            return
        self.byname = {}
        for cp, gname in cmap.items():
            self.byname.setdefault(gname, []).append(cp)
        self.ok = True

    def gid(self, cid):
        if self.cid2gid is None:
            return cid
        k = 2 * cid
        if k + 2 > len(self.cid2gid):
            return 0
        return (self.cid2gid[k] << 8) | self.cid2gid[k + 1]

    def chars_of(self, gid, cid):
        cps = list(self.byname.get(self.order[gid], [])) \
            if gid < len(self.order) else []
        if cid in self.tounicode:
            cps.append(self.tounicode[cid])
        return cps

    def check(self, problems):
        for gid, (page, cid) in sorted(self.drawn.items()):
            cps = self.chars_of(gid, cid)
            what = "glyph %d (%s)" % (gid, ", ".join(
                "U+%04X %r" % (c, chr(c)) for c in cps) or "code %04X" % cid)
            where = "page %d: font %s: %s" % (page, self.name, what)
            if gid == 0:
                problems.append("%s: draws .notdef (character missing "
                                "from the font)" % where)
                continue
            blank = cps and all(unicodedata.category(chr(c))[0] in "ZC"
                                for c in cps)
            self.check_glyph(gid, where, problems, blank, [])

    def check_glyph(self, gid, where, problems, blank_ok, chain):
        """chain: the composite glyphs above this one (names)."""
        if gid >= len(self.order):
            problems.append("%s: glyph id %d beyond the font's %d glyphs"
                            % (where, gid, len(self.order)))
            return
        gname = self.order[gid]
        names = " > ".join(chain + [gname])
        if gname in chain or len(chain) > MAX_DEPTH:
            problems.append("%s: %s: composite glyph loop" % (where, names))
            return
        try:
            g = self.glyf[gname]
        except Exception as e:
            problems.append("%s: %s: unreadable: %s" % (where, names, e))
            return
        if g.numberOfContours == 0:
            if not blank_ok:
                problems.append("%s: %s: empty in the embedded font%s"
                                % (where, names,
                                   " (component missing from the subset)"
                                   if chain else ""))
            return
        if g.isComposite():
            for comp in g.components:
                self.check_glyph(self.tt.getGlyphID(comp.glyphName), where,
                                 problems, False, chain + [gname])


def parse_tounicode(data):
    """code -> first Unicode value, from bfchar / bfrange (loosely)."""
    m = {}
    text = data.decode("latin-1", "replace")
    for blk in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            if len(b) >= 4:
                m[int(a, 16)] = int(b[:4], 16)
    for blk in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, c in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", blk):
            lo, hi, u = int(a, 16), int(b, 16), int(c[:4], 16)
            for k in range(lo, min(hi, lo + 256) + 1):
                m[k] = u + k - lo
    return m


# ---- walking pages -----------------------------------------------------------

def resources_of(pdf, obj):
    seen = 0
    while obj is not None and seen < 64:
        d = pdf.dict_of(obj)
        if "/Resources" in d:
            return pdf.dict_of(d["/Resources"])
        obj = d.get("/Parent")
        seen += 1
    return {}


def run_content(pdf, data, res, page, fonts, problems, depth=0):
    font_res = pdf.dict_of(res.get("/Font"))
    xobj_res = pdf.dict_of(res.get("/XObject"))
    cur, saved, ops = None, [], []
    for t in tokens(data):
        if not isinstance(t, str) or isinstance(t, Name):
            ops.append(t)
            continue
        if t == "q":
            saved.append(cur)
        elif t == "Q":
            cur = saved.pop() if saved else None
        elif t == "Tf" and len(ops) >= 2 and isinstance(ops[-2], Name):
            ref = font_res.get("/" + ops[-2])
            cur = None
            if ref is not None:
                key = ref if isinstance(ref, str) else id(ref)
                if key not in fonts:
                    fonts[key] = FontCheck(pdf, key, pdf.dict_of(ref))
                cur = fonts[key]
            else:
                problems.append("page %d: Tf selects /%s, not in the page's "
                                "resources" % (page, ops[-2]))
        elif t in ("Tj", "'", '"', "TJ"):
            strs = []
            if ops and t == "TJ" and isinstance(ops[-1], list):
                strs = [s for s in ops[-1] if isinstance(s, bytes)]
            elif ops and isinstance(ops[-1], bytes):
                strs = [ops[-1]]
            if cur is None:
                problems.append("page %d: text shown with no font" % page)
            elif cur.ok:
                for s in strs:
                    if len(s) % 2:
                        problems.append("page %d: font %s: odd-length string "
                                        "for 2-byte codes" % (page, cur.name))
                    for k in range(0, len(s) - 1, 2):
                        cid = (s[k] << 8) | s[k + 1]
                        cur.drawn.setdefault(cur.gid(cid), (page, cid))
        elif t == "Do" and ops and isinstance(ops[-1], Name) and depth < 8:
            ref = xobj_res.get("/" + ops[-1])
            xd = pdf.dict_of(ref)
            if xd.get("/Subtype") == "/Form":
                sub = pdf.dict_of(xd.get("/Resources")) or res
                run_content(pdf, pdf.data(ref), sub, page, fonts, problems,
                            depth + 1)
        ops = []


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: pdf_glyphs.py FILE.pdf\n")
        return 2
    path = argv[1]
    pdf = Pdf(path)
    fonts, problems = {}, []
    for pg in pdf.pages:
        num = pg.get("pageposfrom1", 0)
        data = b"\n".join(pdf.data(c) for c in pg.get("contents", []))
        run_content(pdf, data, resources_of(pdf, pg["object"]), num, fonts,
                    problems)
    checked = glyphs = other = 0
    for f in fonts.values():
        if not f.ok:
            if getattr(f, "bad", False):
                problems.append("font %s: %s" % (f.name, f.why))
            other += 1
            continue
        checked += 1
        glyphs += len(f.drawn)
        f.check(problems)
    for p in problems:
        print("%s: %s" % (path, p))
    if problems:
        return 1
    print("pdf_glyphs: %s: %d pages, %d embedded TrueType fonts checked "
          "(%d other fonts not), %d distinct glyphs drawn, all complete"
          % (path, len(pdf.pages), checked, other, glyphs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
