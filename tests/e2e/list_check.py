#!/usr/bin/python3
"""Checks a rendered list document (issue 13) from outside, with the words
and positions `pdftotext -bbox` finds, against the CSV it was made from.

Usage: list_check.py PDF CSV --cols X,W1,W2,... [--words TEXT]

--cols: the table's left edge and its columns' widths in mm, in the order
STT, name, class, amount, ... (as the template declares them).  The CSV's
columns are found by header: the name (Họ và tên), the amount (Số tiền).

Checked: the column headers on every page; the row numbers 1..N in order
across the pages; each page's names are exactly the names of its numbers'
rows, whole (a row split across pages would leave part of a name on the
next page); the amounts likewise; the total (the sum computed here, exact
integers) in the totals row and in the words line, with --words its words;
"Trang i/N" on every page; the signatures on the last page, below its last
row, which holds at least one row.  Prints the total and its words on
success, and how many rows the last page holds (for the caller to
compare); exits 1 with the reasons otherwise.
"""
import csv
import html
import re
import subprocess
import sys
import unicodedata

MM = 72 / 25.4


def nfc(s):
    return unicodedata.normalize("NFC", s)


def fmt(n):
    return f"{n:,}".replace(",", ".")


def read_csv(path):
    text = open(path, encoding="utf-8-sig").read()
    delim = ";" if text.split("\n", 1)[0].count(";") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delim))
    head = [nfc(h).strip().lower() for h in rows[0]]
    name = next(i for i, h in enumerate(head) if h in ("họ và tên", "ho_ten", "họ tên"))
    amount = next(i for i, h in enumerate(head) if h.startswith("số tiền") or h == "so_tien")
    names = [" ".join(nfc(r[name]).split()) for r in rows[1:] if r]
    amounts = [int(nfc(r[amount]).replace(".", "").replace(" đ", "").strip()) for r in rows[1:] if r]
    return names, amounts


def pages_words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        words = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</word>', chunk):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            words.append((y0, x0, y1, x1, nfc(html.unescape(m.group(5)))))
        words.sort()
        pages.append(words)
    return pages


def layout_text(pdf, page):
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    return " ".join(nfc(out).split())


def in_col(w, edges, k):
    mid = (w[1] + w[3]) / 2
    return edges[k] <= mid < edges[k + 1]


def main(argv):
    pdf, csvp = argv[1], argv[2]
    cols = [float(v) for v in argv[argv.index("--cols") + 1].split(",")]
    want_words = argv[argv.index("--words") + 1] if "--words" in argv else None
    edges = [cols[0] * MM]
    for w in cols[1:]:
        edges.append(edges[-1] + w * MM)
    names, amounts = read_csv(csvp)
    n, total = len(names), sum(amounts)
    pages = pages_words(pdf)
    errs, seen, last_rows = [], [], 0
    for p, words in enumerate(pages, 1):
        head = [w for w in words if w[4] == "STT" and in_col(w, edges, 0)]
        if not head:
            errs.append(f"page {p}: no column header STT")
            continue
        body_top = max(w[2] for w in words if abs(w[0] - head[0][0]) < 3)
        for t in ("Họ", "tên", "Lớp", "Ký", "nhận"):
            if not any(w[4] == t and abs(w[0] - head[0][0]) < 12 for w in words):
                errs.append(f"page {p}: the column header lacks {t!r}")
        tot = [w[0] for w in words if w[4] in ("Tổng", "Trang")]  # the totals, the footer
        body_end = min(tot) if tot else 1e9
        body = [w for w in words if body_top < w[0] < body_end - 0.5]
        stts = [int(w[4]) for w in body if in_col(w, edges, 0) and w[4].isdigit()]
        seen += stts
        last_rows = len(stts)
        got = " ".join(w[4] for w in sorted((w for w in body if in_col(w, edges, 1)),
                                            key=lambda w: (w[0], w[1])))
        want = " ".join(names[i - 1] for i in stts if 0 < i <= n)
        if got != want:
            errs.append(f"page {p}: the names are not those of rows {stts[:1]}..{stts[-1:]} "
                        f"whole:\n      got  {got[:200]}\n      want {want[:200]}")
        am = [w[4] for w in body if in_col(w, edges, 3)]
        if am != [fmt(amounts[i - 1]) for i in stts if 0 < i <= n]:
            errs.append(f"page {p}: the amounts are not those of its rows")
        if not any(w[4] == f"{p}/{len(pages)}" for w in words) or \
                not any(w[4] == "Trang" for w in words):
            errs.append(f"page {p}: no \"Trang {p}/{len(pages)}\"")
    if seen != list(range(1, n + 1)):
        errs.append(f"the row numbers are not 1..{n} in order (got {len(seen)}: {seen[:5]}...)")
    last = pages[-1] if pages else []
    lastrow = max((w[2] for w in last if in_col(w, edges, 0) and w[4] == str(n)), default=None)
    if lastrow is None:
        errs.append(f"the last page does not hold the last row ({n})")
    for t in ("Người lập biểu", "Kế toán trưởng", "Hiệu trưởng"):
        first = t.split()[0]
        ys = [w[0] for w in last if w[4] == first]
        if not ys or (lastrow is not None and min(ys) < lastrow):
            errs.append(f"the signature {t!r} is not on the last page below the last row")
    text = layout_text(pdf, len(pages))
    m = re.search(r"Tổng cộng ([\d.]+)", text)
    if not m or m.group(1) != fmt(total):
        errs.append(f"the totals row does not show {fmt(total)} (the sum of the CSV)")
    m = re.search(r"Tổng cộng: ([\d.]+) đ — Bằng chữ: (.+?)\.", text)
    if not m or m.group(1) != fmt(total):
        errs.append(f"no \"Tổng cộng: {fmt(total)} đ — Bằng chữ: ...\" line")
    elif want_words is not None and m.group(2) != nfc(want_words):
        errs.append(f"the words are {m.group(2)!r}, expected {want_words!r}")
    if errs:
        print("\n".join(errs))
        return 1
    print(f"{total}\t{m.group(2)}\t{last_rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
