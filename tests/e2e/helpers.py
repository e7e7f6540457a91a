#!/usr/bin/python3
"""Checks the end-to-end tests (tests/e2e/run.sh) make on vncert's PDFs.

Run with Debian's /usr/bin/python3 (python3-fonttools lives there).  Each
subcommand prints what is wrong, one line each, and exits 1; 0 when all is
well.  Standard library only, plus poppler-utils on PATH.

  column CSV INDEX [--upper] [--ascii]   print a column's values, one a line
  names PDF EXPECTED.txt                 page k's text contains line k of EXPECTED
  exact PDF EXPECTED.txt                 page k's text is exactly line k
  contains PDF TEXT...                   the document's text contains each TEXT
  fonts PDF                              pdffonts: every font embedded + subset
  bbox PDF LAYOUT.tsv                    words from pdftotext -bbox lie in the
                                         page, each in the box of its own field
                                         (--layout-tsv: a box whose text has it)
  labels TEMPLATE                        print the static text of each element
  fold TEXT                              TEXT without diacritics (Đ -> D)
"""
import csv
import html
import io
import re
import subprocess
import sys
import unicodedata

TOL = 0.5  # pt


def nfc(s):
    return unicodedata.normalize("NFC", s)


def fold(s):
    """Vietnamese text without tone and vowel marks; đ -> d, Đ -> D."""
    s = nfc(s).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def squash(s):
    return " ".join(s.split())


def read_csv(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    return rows[0], rows[1:]


def pdf_pages_text(pdf):
    """Text of each page (pdftotext, default reading order)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, check=False)
    if out.returncode != 0:
        raise SystemExit("pdftotext failed on %s: %s" % (pdf, out.stderr.decode(errors="replace")))
    pages = out.stdout.decode("utf-8", errors="replace").split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()
    return [nfc(p) for p in pages]


def cmd_column(args):
    path, idx = args[0], int(args[1])
    _, rows = read_csv(path)
    for r in rows:
        v = nfc(r[idx].strip()) if idx < len(r) else ""
        if "--upper" in args:
            v = v.upper()
        if "--ascii" in args:
            v = fold(v)
        print(v)
    return 0


def load_expected(path):
    with open(path, encoding="utf-8") as f:
        return [nfc(l.rstrip("\n")) for l in f]


def cmd_names(args, exact=False):
    pdf, exp_path = args
    want = load_expected(exp_path)
    pages = pdf_pages_text(pdf)
    bad = 0
    if len(pages) != len(want):
        print("%s: %d pages of text, expected %d" % (pdf, len(pages), len(want)))
        bad += 1
    for k, (page, name) in enumerate(zip(pages, want), 1):
        lines = [squash(l) for l in page.split("\n") if l.strip()]
        if exact:
            if lines != [squash(name)]:
                print("page %d: text is %r, expected exactly %r" % (k, lines, name))
                bad += 1
        elif squash(name) not in lines and squash(name) not in squash(page):
            print("page %d: %r not found; page text: %r" % (k, name, lines[:12]))
            bad += 1
    return 1 if bad else 0


def cmd_contains(args):
    pdf, texts = args[0], args[1:]
    allt = squash(" ".join(pdf_pages_text(pdf)))
    bad = 0
    for t in texts:
        if squash(nfc(t)) not in allt:
            print("%s: text %r not found (text: %r)" % (pdf, t, allt[:300]))
            bad += 1
    return 1 if bad else 0


def cmd_fonts(args):
    pdf = args[0]
    out = subprocess.run(["pdffonts", pdf], capture_output=True, check=False)
    if out.returncode != 0:
        print("pdffonts failed: %s" % out.stderr.decode(errors="replace"))
        return 1
    lines = out.stdout.decode("utf-8", errors="replace").splitlines()
    body = [l for l in lines[2:] if l.strip()]
    if not body:
        print("%s: pdffonts lists no font" % pdf)
        return 1
    bad = 0
    for l in body:
        tok = l.split()
        # name ... emb sub uni object-number generation
        name, emb, sub, uni = tok[0], tok[-5], tok[-4], tok[-3]
        if emb != "yes" or sub != "yes":
            print("font %s: emb=%s sub=%s (expected embedded subset)" % (name, emb, sub))
            bad += 1
        if not re.match(r"^[A-Z]{6}\+", name):
            print("font %s: name lacks the ABCDEF+ subset prefix" % name)
            bad += 1
        if uni != "yes":
            print("font %s: no ToUnicode map (uni=%s)" % (name, uni))
            bad += 1
    return 1 if bad else 0


WORD_RE = re.compile(r'<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" '
                     r'yMax="([-0-9.]+)">(.*?)</word>')
PAGE_RE = re.compile(r'<page width="([-0-9.]+)" height="([-0-9.]+)">')


def bbox_pages(pdf):
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, check=False)
    if out.returncode != 0:
        raise SystemExit("pdftotext -bbox failed: %s" % out.stderr.decode(errors="replace"))
    pages = []
    for chunk in out.stdout.decode("utf-8", errors="replace").split("<page ")[1:]:
        m = PAGE_RE.match("<page " + chunk)
        w, h = float(m.group(1)), float(m.group(2))
        words = [(float(a), float(b), float(c), float(d), nfc(html.unescape(t)))
                 for a, b, c, d, t in WORD_RE.findall(chunk)]
        pages.append((w, h, words))
    return pages


def read_layout(path):
    """--layout-tsv: page, template line, x0 y0 x1 y1 (mpt), size (mpt), text."""
    boxes = {}
    bad = 0
    with open(path, encoding="utf-8", newline="") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t")
            if len(parts) != 8 or not all(re.fullmatch(r"-?[0-9]+", p) for p in parts[:7]):
                print("%s:%d: not 'page line x0 y0 x1 y1 size text' with integers: %r"
                      % (path, n, line))
                bad += 1
                continue
            page, tline = int(parts[0]), int(parts[1])
            x0, y0, x1, y1, size = (int(p) / 1000.0 for p in parts[2:7])
            if not (x0 <= x1 and y0 <= y1 and size > 0 and page >= 1 and tline >= 1):
                print("%s:%d: impossible box or size: %r" % (path, n, line))
                bad += 1
            boxes.setdefault(page, []).append((x0, y0, x1, y1, size, nfc(parts[7]), tline))
    return boxes, bad


def cmd_bbox(args):
    pdf, tsv = args
    boxes, bad = read_layout(tsv)
    pages = bbox_pages(pdf)
    if not boxes:
        print("%s: empty layout dump" % tsv)
        return 1
    if max(boxes) > len(pages):
        print("%s names page %d but the PDF has %d pages" % (tsv, max(boxes), len(pages)))
        bad += 1
    for k, (w, h, words) in enumerate(pages, 1):
        pb = boxes.get(k, [])
        if words and not pb:
            print("page %d: %d words drawn, none in the layout dump" % (k, len(words)))
            bad += 1
            continue
        for (x0, y0, x1, y1, t) in words:
            if x0 < -TOL or y0 < -TOL or x1 > w + TOL or y1 > h + TOL:
                print("page %d: word %r [%.2f %.2f %.2f %.2f] outside the page %.2fx%.2f"
                      % (k, t, x0, y0, x1, y1, w, h))
                bad += 1
            # inside its own field's box: a box whose text has this word
            own = [b for b in pb if t in b[5].split()]
            inside = [b for b in own if x0 >= b[0] - TOL and y0 >= b[1] - TOL
                      and x1 <= b[2] + TOL and y1 <= b[3] + TOL]
            if not inside:
                print("page %d: word %r [%.2f %.2f %.2f %.2f] outside its field's box%s"
                      % (k, t, x0, y0, x1, y1,
                         "" if not own else " (template line %d) "
                         "[%.2f %.2f %.2f %.2f]" % (own[0][6], own[0][0], own[0][1],
                                                   own[0][2], own[0][3])))
                bad += 1
        # the dump tells what was drawn: same words, same count
        drawn = sorted(t for (_, _, _, _, t) in words)
        dumped = sorted(tok for b in pb for tok in b[5].split())
        if drawn != dumped:
            only_pdf = sorted(set(drawn) - set(dumped))
            only_tsv = sorted(set(dumped) - set(drawn))
            print("page %d: words in the PDF and in the layout dump differ: only in the "
                  "PDF %r, only in the dump %r" % (k, only_pdf[:10], only_tsv[:10]))
            bad += 1
        if bad > 20:
            print("(stopping after 20 problems)")
            break
    return 1 if bad else 0


def cmd_labels(args):
    """Static texts (no placeholder) of a template's text elements."""
    path = args[0]
    texts = []
    try:
        import yaml  # python3-yaml, when installed

        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for el in (doc or {}).get("elements") or []:
            if isinstance(el, dict) and isinstance(el.get("text"), str):
                texts.append(el["text"])
    except ImportError:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.search(r"\btext:\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^#\n]*)", line)
                if m:
                    v = m.group(1).strip()
                    if v[:1] == '"':
                        v = v[1:-1].replace('\\"', '"')
                    elif v[:1] == "'":
                        v = v[1:-1].replace("''", "'")
                    texts.append(v.rstrip(" ,}"))
    for t in texts:
        s = re.sub(r"\{\{|\}\}", "", t)
        if "{" in s:
            continue  # has a placeholder
        t = t.replace("{{", "{").replace("}}", "}")
        if t.strip():
            print(squash(nfc(t)))
    return 0


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "column":
        return cmd_column(args)
    if cmd == "names":
        return cmd_names(args)
    if cmd == "exact":
        return cmd_names(args, exact=True)
    if cmd == "contains":
        return cmd_contains(args)
    if cmd == "fonts":
        return cmd_fonts(args)
    if cmd == "bbox":
        return cmd_bbox(args)
    if cmd == "labels":
        return cmd_labels(args)
    if cmd == "fold":
        print(fold(" ".join(args)))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
