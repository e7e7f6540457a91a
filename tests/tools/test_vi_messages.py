#!/usr/bin/env python3
"""Self-test of tests/tools/vi_messages.py on a small synthetic catalogue.
Prints "ok" and exits 0, or the failures and exits 1.  Any locale."""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import vi_messages as vm  # noqa: E402

PO = r'''# Synthetic catalogue for the self-test.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

#: src/cli/vncert.c:10
#, c-format
msgid "%s: cannot open %s: %s"
msgstr "%1$s: không mở được %2$s: %3$s"

#, c-format
msgid "column %s is missing from %s"
msgstr "tệp %2$s thiếu cột %1$s"

#, c-format
msgid "no such file"
msgstr "không có tệp như vậy"

#, c-format
msgid "%s:%d:%d: not a number: %s"
msgstr "%s:%d:%d: không phải là số: %s"

#, c-format
msgid "wrote %d page to %s"
msgid_plural "wrote %d pages to %s"
msgstr[0] "đã ghi %d trang vào %s"

#, c-format
msgid "  -o FILE      write the PDF to FILE"
msgstr "  -o TỆP       ghi PDF vào TỆP"

msgid "the amount in words"
msgstr "số tiền bằng chữ"

#, c-format
msgid ""
"usage: vncert render TEMPLATE DATA -o FILE\n"
"Renders one page per record of %s.\n"
msgstr ""
"cách dùng: vncert render MẪU DỮ_LIỆU -o TỆP\n"
"In mỗi bản ghi của %s thành một trang.\n"

#, c-format
msgid "%.1f%% of the page, %s"
msgstr "%.1f%% trang, %s"

#, c-format
msgid "record %s (%02X) skipped"
msgstr "bỏ qua bản ghi %s (%02X)"

#, fuzzy, c-format
msgid "the fuzzy one %s"
msgstr "bản mờ %s"

msgid "an untranslated message here"
msgstr ""

msgid "yes"
msgstr "có"

#, c-format
msgid "no record in %s"
msgstr "%s không có bản ghi nào"

#, c-format
msgid "unknown column '%s'"
msgstr "không có cột '%s'"

msgid "The class"
msgstr "Lớp học"

msgid "warning: "
msgstr "cảnh báo: "

#, c-format
msgid "%s"
msgstr "%s"

msgctxt "button"
msgid "Print"
msgstr ""
"In "
"ngay"
'''


def main():
    fails = []

    def check(what, got, want):
        if got != want:
            fails.append("%s:\n    got  %r\n    want %r" % (what, got, want))

    with tempfile.TemporaryDirectory() as d:
        os.environ["TMPDIR"] = d  # the cache of the catalogue: removed with d
        po = os.path.join(d, "vi.po")
        with open(po, "w", encoding="utf-8") as f:
            f.write(PO)
        cat = vm.load(po)
        vi, en = zip(*[
            # positional args reordered, a nested fragment (strerror-like)
            ("vncert: không mở được ds.csv: không có tệp như vậy",
             "vncert: cannot open ds.csv: no such file"),
            ("tệp ds.csv thiếu cột ho_ten", "column ho_ten is missing from ds.csv"),
            # a message that begins with its argument where the English ends
            ("vncert: cảnh báo: a b.csv không có bản ghi nào",
             "vncert: warning: no record in a b.csv"),
            # file:line:column kept exact, nested inside another message
            ("vncert: không mở được a b.csv: a b.csv:12:7: không phải là số: x",
             "vncert: cannot open a b.csv: a b.csv:12:7: not a number: x"),
            ("ds.csv:3:-1: không phải là số: năm triệu",
             "ds.csv:3:-1: not a number: năm triệu"),
            # plural forms from one Vietnamese form
            ("đã ghi 1 trang vào a.pdf", "wrote 1 page to a.pdf"),
            ("đã ghi 10 trang vào a.pdf", "wrote 10 pages to a.pdf"),
            # inside a longer help line; a message with no directive
            ("  -o TỆP       ghi PDF vào TỆP   (xem số tiền bằng chữ)",
             "  -o FILE      write the PDF to FILE   (xem the amount in words)"),
            # floats in the Vietnamese locale's notation; %% and hex
            ("12,5% trang, số tiền bằng chữ", "12.5% of the page, the amount in words"),
            ("bỏ qua bản ghi 0210001 (0A)", "record 0210001 (0A) skipped"),
            # too short unless alone on its line; fuzzy ignored; data kept
            # data quoted in a message, data in JSON: kept as it is
            ("không có cột 'Lớp học'", "unknown column 'Lớp học'"),
            ("Lớp học: K20MN", "The class: K20MN"),
            ('{"lop": "Lớp học K20", "x": "Lớp học", "loi": "tệp x.csv thiếu cột y"}',
             '{"lop": "Lớp học K20", "x": "The class", "loi": "column y is missing from x.csv"}'),
            ("có", "yes"), ("có hai", "có hai"), ("bản mờ x", "bản mờ x"),
            ("In ngay", "Print"),
            ("0210001,Vi Thị Hồng Nhung,K20MN", "0210001,Vi Thị Hồng Nhung,K20MN"),
        ])
        for v, e in zip(vi, en):
            check("back %r" % v, cat.back(v), e)
        check("several lines", cat.back("\n".join(vi) + "\n"), "\n".join(en) + "\n")
        check("a message of several lines",
              cat.back("x\ncách dùng: vncert render MẪU DỮ_LIỆU -o TỆP\n"
                       "In mỗi bản ghi của ds.csv thành một trang.\nđã ghi 2 trang vào b.pdf\n"),
              "x\nusage: vncert render TEMPLATE DATA -o FILE\n"
              "Renders one page per record of ds.csv.\nwrote 2 pages to b.pdf\n")

        leaky = ["vncert: cannot open the file ‘x’",  # (a) a msgid's words
                 "đã ghi 3 trang; this is not all of the records",  # (b)
                 "tệp thiếu cột: the amount in words"]
        clean = ["0210001,Vi Thị Hồng Nhung,K20MN,Noto Serif Bold,5.000.000",
                 '{"file": "the list of names.csv", "records": 3, "found": true}',
                 "  Noto Serif Bold (bundled) /usr/share/fonts/the/file/of/a.ttf",
                 "xem --the-option-is-for-a-file, 'the list is not of a kind'",
                 "Hà Văn An, Tô Thị A, To Van An, in to no",
                 "tệp https://example.org/the/is/of/and thiếu cột",
                 "đã ghi 1 trang vào a.pdf"]
        check("leaks", vm.leaks(cat, "\n".join(leaky + clean)), leaky)

        # files: FILE.vi keeps the raw text, binary files untouched, CLI exits
        f = os.path.join(d, "x.err")
        with open(f, "w", encoding="utf-8") as g:
            g.write("\n".join(vi) + "\n" + leaky[1] + "\n")
        b = os.path.join(d, "x.pdf")
        raw = b"%PDF-1.4\n\0\xff\xfe kh\xc3\xb4ng m\xe1\xbb\x9f \n"
        with open(b, "wb") as g:
            g.write(raw)
        tool = os.path.join(HERE, "vi_messages.py")
        r = subprocess.run([sys.executable, tool, "vet", po, f, b],
                           capture_output=True, text=True)
        check("vet exit", r.returncode, 1)
        check("vet output", r.stdout, "x.err\t" + leaky[1] + "\n")
        check("FILE", open(f, encoding="utf-8").read(),
              "\n".join(en) + "\n" + leaky[1] + "\n")
        check("FILE.vi", open(f + ".vi", encoding="utf-8").read(),
              "\n".join(vi) + "\n" + leaky[1] + "\n")
        check("binary", open(b, "rb").read(), raw)
        t = os.path.join(d, "live.out")  # a running kiosk's output: read, not changed
        with open(t, "w", encoding="utf-8") as g:
            g.write(vi[0] + "\n")
        r = subprocess.run([sys.executable, tool, "text", po, t], capture_output=True, text=True)
        check("text", (r.returncode, r.stdout, os.path.exists(t + ".vi")), (0, en[0] + "\n", False))
        r = subprocess.run([sys.executable, tool, "back", os.path.join(d, "none.po"), f],
                           capture_output=True, text=True)
        check("missing .po exit", r.returncode, 2)

        # speed: 5 MB of output in a few seconds
        # (every line different: "x.csv" becomes "x17.csv")
        n = 5_000_000 // len("\n".join(vi).encode())
        big = "".join(("\n".join(vi) + "\n").replace(".csv", "%d.csv" % i) for i in range(n))
        want = "".join(("\n".join(en) + "\n").replace(".csv", "%d.csv" % i) for i in range(n))
        t0 = time.time()
        got = cat.back(big)
        dt = time.time() - t0
        check("5 MB back", got == want, True)
        if dt > 10:
            fails.append("5 MB took %.1f s" % dt)

    if fails:
        print("\n".join(fails))
        return 1
    print("ok (5 MB in %.1f s)" % dt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
