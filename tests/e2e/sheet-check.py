#!/usr/bin/python3
"""Checks label sheets from outside (issue 13, tests/e2e/sheet-tests.sh).

The geometry is computed here, by hand, from the product's gLabels XML (or
from the custom grid's numbers), not by vncert; the PDF's words come from
pdftotext -bbox.  Each record's text is the word "R<NN>" (NN its number,
from 01), drawn by the test template inside the label.  Prints what is
wrong, one line each, and exits 1; 0 when all is well.

  sheet-check.py PDF N (--product "BRAND PART" --xml FILE... | --grid SPEC)
                 [--start S] [--copies C | --counts C1,C2,...] [--order down]
                 [--box X,Y,W,H]

SPEC: paper_w,paper_h,label_w,label_h,nx,ny,x0,y0,dx,dy in mm.
--box: where the template's text box is in the label (mm), checked too.
"""
import argparse
import html
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

PT = 72 / 25.4
TOL = 0.6  # pt: a glyph's box may pass its text box by a hair
PAPERS = {"A4": (210, 297), "US-Letter": (215.9, 279.4)}
UNITS = {"pt": 1 / PT, "mm": 1.0, "cm": 10.0, "in": 25.4, "pc": 25.4 / 6, "": 1 / PT}


def length(s):
    """A gLabels length in mm: "99.1mm", "2.625in", "280.9" (points)."""
    m = re.fullmatch(r"([-+0-9.eE]+?)([a-z]*)", s)
    return float(m.group(1)) * UNITS[m.group(2)]


def product(files, name):
    """(paper, label (w, h), grids [(nx, ny, x0, y0, dx, dy)]) in mm."""
    temps = {}
    for f in files:
        for t in ET.parse(f).getroot().iter("Template"):
            temps[(t.get("brand"), t.get("part"))] = t
    brand, part = [k for k in temps if "%s %s" % k == name][0]
    t = temps[(brand, part)]
    if t.get("equiv"):
        t = temps[(brand, t.get("equiv"))]
    paper = PAPERS[t.get("size")]
    lab = [e for e in t if e.tag.startswith("Label-")][0]
    if lab.tag in ("Label-round", "Label-cd"):
        w = h = 2 * length(lab.get("radius"))
    else:
        w, h = length(lab.get("width")), length(lab.get("height"))
    grids = [(int(l.get("nx")), int(l.get("ny")), length(l.get("x0")), length(l.get("y0")),
              length(l.get("dx")), length(l.get("dy"))) for l in lab.iter("Layout")]
    return paper, (w, h), grids


def cells(grids, down):
    out = []
    for nx, ny, x0, y0, dx, dy in grids:
        order = [(c, r) for c in range(nx) for r in range(ny)] if down else \
                [(c, r) for r in range(ny) for c in range(nx)]
        out += [(x0 + c * dx, y0 + r * dy) for c, r in order]
    return out


def words(pdf):
    """Per page: [(text, x0, y0, x1, y1)] in pt, top-left origin."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for pg in re.split(r"<page ", out)[1:]:
        ws = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                        r'yMax="([\d.]+)">([^<]*)</word>', pg)
        pages.append([(html.unescape(t), float(a), float(b), float(c), float(d))
                      for a, b, c, d, t in ws])
    return pages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("n", type=int)
    ap.add_argument("--product")
    ap.add_argument("--xml", action="append", default=[])
    ap.add_argument("--grid")
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--counts")
    ap.add_argument("--order", default="across")
    ap.add_argument("--box")
    a = ap.parse_args()
    if a.grid:
        g = [float(v) for v in a.grid.split(",")]
        paper, label, grids = (g[0], g[1]), (g[2], g[3]), [(int(g[4]), int(g[5]), *g[6:10])]
    else:
        paper, label, grids = product(a.xml, a.product)
    cs = cells(grids, a.order == "down")
    counts = [int(v) for v in a.counts.split(",")] if a.counts else [a.copies] * a.n
    want = []  # (page, cell index, text)
    slot = a.start - 1
    for i, k in enumerate(counts):
        for _ in range(k):
            want.append((slot // len(cs), slot % len(cs), "R%02d" % (i + 1)))
            slot += 1
    pages = words(a.pdf)
    bad = []
    npages = want[-1][0] + 1 if want else 0
    if len(pages) != npages:
        bad.append("%d pages, expected %d" % (len(pages), npages))
    box = [float(v) for v in a.box.split(",")] if a.box else [0, 0, label[0], label[1]]
    for p, ws in enumerate(pages):
        rs = sorted(w for w in ws if re.fullmatch(r"R\d+", w[0]))
        mine = [(c, t) for pg, c, t in want if pg == p]
        if len(rs) != len(mine):
            bad.append("page %d: %d labels drawn, expected %d" % (p + 1, len(rs), len(mine)))
        used = set()
        for c, t in mine:
            x, y = cs[c]
            # the text box inside cell c, in pt (top-left origin)
            bx0, by0 = (x + box[0]) * PT - TOL, (y + box[1]) * PT - TOL
            bx1, by1 = (x + box[0] + box[2]) * PT + TOL, (y + box[1] + box[3]) * PT + TOL
            hit = [j for j, w in enumerate(rs) if j not in used and w[0] == t and
                   w[1] >= bx0 and w[2] >= by0 and w[3] <= bx1 and w[4] <= by1]
            if not hit:
                where = [w[1:] for w in rs if w[0] == t]
                bad.append("page %d: %s not inside label %d (%.1f,%.1f)-(%.1f,%.1f) pt; drawn at %s"
                           % (p + 1, t, c + 1, bx0, by0, bx1, by1, where or "no place"))
            else:
                used.add(hit[0])
        # every cell inside the paper, as the product says
        for c, (x, y) in enumerate(cs):
            if x + label[0] > paper[0] + 0.5 or y + label[1] > paper[1] + 0.5:
                bad.append("cell %d is off the paper: the expectation is wrong" % (c + 1))
                break
    for b in bad[:20]:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
