#!/usr/bin/python3
"""Recipient lists laid out as a Vietnamese school lays them out in Excel.

    school-lists.py example DIR    examples/danh-sach-khen-thuong.xlsx and .ods
    school-lists.py fixtures DIR   the workbooks of tests/e2e/school-list-tests.sh

Written with openpyxl (Debian's python3-openpyxl), then opened and saved by
LibreOffice headless (libreoffice-calc-nogui), which computes every formula and
stores its result as Excel does; the .ods and .csv files are LibreOffice's own
"Save as" of those workbooks.  Nothing is written byte by byte, but for two
deliberate exceptions in the fixtures: a workbook whose formula was never
computed (openpyxl's output as it is, never opened in a spreadsheet program)
and one whose ZIP entry names use '\\' (the entries of a real workbook renamed,
as some Windows tools write them).

LibreOffice runs with its own profile in DIR/.lo-profile (so it never meets
another instance's), with the Vietnamese locale (numbers shown 5.000.000) and
"recalculate on load: always".  Fixtures: four soffice calls (xlsx, ods, csv,
and an .ods saved with a password); the example: two.
Exit 77 with one line on stderr when openpyxl or soffice is missing.
"""
import datetime
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile

try:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.worksheet.filters import FilterColumn, Filters
except ImportError:
    sys.stderr.write("school-lists: python3-openpyxl is not installed "
                     "(apt-get install python3-openpyxl)\n")
    sys.exit(77)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SCHOOL = "TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN"
HEADERS = ["STT", "Mã SV", "Họ và tên", "Lớp", "Thành tích", "Số tiền"]
WIDTHS = [6, 11, 24, 9, 52, 13]
DATE_LINE = "Lạng Sơn, ngày 20 tháng 12 năm 2024"

# The ten students of the blood-donation club (examples/giay-khen.csv), in class order.
CLUB = [
    ("0210456", "Hoàng Thị Ngọc Ánh", "K19MN", "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024"),
    ("0210502", "Lương Thị Mẫn", "K19MN", "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024"),
    ("0210471", "Nông Văn Lực", "K19TH", "Đã hiến máu tình nguyện 04 lần, tích cực vận động sinh viên tham gia Lễ hội Xuân hồng năm 2024"),
    ("0220118", "Vi Thị Thùy Dương", "K20MN", "Đã tích cực tham gia Chương trình Hành trình đỏ năm 2024"),
    ("0220163", "Hà Thị Ngọc Diệp", "K20MN", "Đã hiến máu tình nguyện 03 lần và tham gia hỗ trợ Lễ hội Xuân hồng năm 2024"),
    ("0220135", "Triệu Hữu Vỹ", "K20TH", "Đã có thành tích xuất sắc trong công tác tổ chức, hỗ trợ các chương trình hiến máu tình nguyện trên địa bàn tỉnh Lạng Sơn năm 2024"),
    ("0220147", "Lăng Thị Hồng Nhung", "K20TH", "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024"),
    ("0230047", "Lộc Thị Thu Hường", "K21MN", "Là thành viên tích cực của Câu lạc bộ Hiến máu tình nguyện Trường Cao đẳng Sư phạm Lạng Sơn, đã có nhiều đóng góp trong phong trào hiến máu tình nguyện năm 2024"),
    ("0230021", "Đinh Công Đức", "K21TH", "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024"),
    ("0230058", "Chu Thị Phương Thảo", "K21TH", "Đã tích cực tham gia tuyên truyền và hỗ trợ các chương trình hiến máu tình nguyện năm 2024"),
]
# The four scholarships of 5.000.000 đ (examples/hoc-bong.csv).
GRANTS = [
    ("0210489", "Lăng Thị Mẫn", "K19MN", "Sinh viên có hoàn cảnh đặc biệt khó khăn, vượt khó vươn lên trong học tập và rèn luyện"),
    ("0220172", "Nguyễn Văn Lực", "K20TH", "Sinh viên có hoàn cảnh đặc biệt khó khăn, tích cực tham gia hoạt động Đoàn, Hội"),
    ("0220186", "Đàm Thị Ngọc Diễm", "K20MN", "Sinh viên mồ côi cha, có hoàn cảnh đặc biệt khó khăn, đạt kết quả học tập loại Khá"),
    ("0230069", "Hứa Văn Vỹ", "K21TH", "Sinh viên người dân tộc Nùng có hoàn cảnh đặc biệt khó khăn, vượt khó học tập"),
]
FIXED_TIME = datetime.datetime(2024, 12, 20, 8, 0, 0)

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", size=12, bold=True)
PLAIN = Font(name="Times New Roman", size=12)
ITALIC = Font(name="Times New Roman", size=12, italic=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)


def new_book(title):
    wb = openpyxl.Workbook()
    wb.properties.creator = "Phòng Công tác HSSV"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = title
    return wb, ws


def put(ws, ref, value, font=PLAIN, align=None, fmt=None, border=False):
    c = ws[ref]
    c.value = value
    c.font = font
    if align is not None:
        c.alignment = align
    if fmt is not None:
        c.number_format = fmt
    if border:
        c.border = BOX
    return c


def title_block(ws, lines, ncols):
    """lines[i] goes to row i+1, merged across the table's width."""
    last = openpyxl.utils.get_column_letter(ncols)
    for i, text in enumerate(lines, start=1):
        if text is None:
            continue
        put(ws, "A%d" % i, text, BOLD if i < 3 else ITALIC, CENTER)
        ws.merge_cells("A%d:%s%d" % (i, last, i))


def header_row(ws, row, headers, widths):
    for j, h in enumerate(headers, start=1):
        col = openpyxl.utils.get_column_letter(j)
        put(ws, "%s%d" % (col, row), h, BOLD, CENTER, border=True)
        ws.column_dimensions[col].width = widths[j - 1]


def records(ws, first, people, amount, merge_class=True, amount_cells=None, extra=None):
    """STT, Mã SV, Họ và tên, Lớp, Thành tích, Số tiền from row FIRST on; the
    class merged over the rows of each class when MERGE_CLASS.  AMOUNT_CELLS
    maps a record index to a formula put in its Số tiền cell instead."""
    r = first
    for i, (ma, ten, lop, tt) in enumerate(people):
        put(ws, "A%d" % r, i + 1, PLAIN, CENTER, border=True)
        put(ws, "B%d" % r, ma, PLAIN, CENTER, "@", border=True)
        put(ws, "C%d" % r, ten, PLAIN, WRAP, border=True)
        put(ws, "D%d" % r, lop, PLAIN, CENTER, border=True)
        put(ws, "E%d" % r, tt, PLAIN, WRAP, border=True)
        v = amount if not amount_cells or i not in amount_cells else amount_cells[i]
        put(ws, "F%d" % r, v, PLAIN, None, "#,##0", border=True)
        if extra:
            extra(ws, r, i)
        # as Excel's AutoFit leaves it: one line of 15.75 pt per 50 letters
        ws.row_dimensions[r].height = 15.75 * max(1, math.ceil(len(tt) / 50))
        r += 1
    if merge_class:
        start = first
        for k in range(1, len(people) + 1):
            if k == len(people) or people[k][2] != people[start - first][2]:
                end = first + k - 1
                if end > start:
                    ws.merge_cells("D%d:D%d" % (start, end))
                start = first + k
    return r  # the first row after the records


def total_row(ws, row, first, last, label="Tổng cộng"):
    put(ws, "A%d" % row, label, BOLD, CENTER, border=True)
    ws.merge_cells("A%d:E%d" % (row, row))
    put(ws, "F%d" % row, "=SUM(F%d:F%d)" % (first, last), BOLD, None, "#,##0", border=True)


def signatures(ws, row, clerk, head, note=None):
    """The block under the table: date line (right), Người lập biểu (left,
    in the name column), the head of school (right), their names four rows
    below; a note under it.  Returns the rows used, by role."""
    put(ws, "E%d" % row, DATE_LINE, ITALIC, CENTER)
    ws.merge_cells("E%d:F%d" % (row, row))
    put(ws, "C%d" % (row + 1), "NGƯỜI LẬP BIỂU", BOLD, CENTER)
    put(ws, "E%d" % (row + 1), "HIỆU TRƯỞNG", BOLD, CENTER)
    ws.merge_cells("E%d:F%d" % (row + 1, row + 1))
    put(ws, "C%d" % (row + 2), "(Ký, ghi rõ họ tên)", ITALIC, CENTER)
    put(ws, "E%d" % (row + 2), "(Ký tên, đóng dấu)", ITALIC, CENTER)
    ws.merge_cells("E%d:F%d" % (row + 2, row + 2))
    put(ws, "C%d" % (row + 6), clerk, BOLD, CENTER)
    put(ws, "E%d" % (row + 6), head, BOLD, CENTER)
    ws.merge_cells("E%d:F%d" % (row + 6, row + 6))
    rows = {"date": row, "roles": row + 1, "sign": row + 2, "names": row + 6}
    if note:
        put(ws, "A%d" % (row + 8), note, ITALIC)
        rows["note"] = row + 8
    return rows


def page_setup(ws, header_row_no):
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True   # one page wide
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "%d:%d" % (header_row_no, header_row_no)


# ---- the shipped example ----------------------------------------------------

def example(out):
    wb, ws = new_book("Khen thưởng")
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG",
                     "(Kèm theo Quyết định số 125/QĐ-CĐSP ngày 19 tháng 12 năm 2024 của Hiệu trưởng "
                     "về việc khen thưởng sinh viên Câu lạc bộ Hiến máu tình nguyện năm 2024)"], 6)
    ws.row_dimensions[3].height = 33
    header_row(ws, 5, HEADERS, WIDTHS)
    end = records(ws, 6, CLUB, 500000)
    total_row(ws, end, 6, end - 1)
    signatures(ws, end + 2, "Nguyễn Thị Thu Thảo", "Phùng Quý Sơn")
    page_setup(ws, 5)

    hb = wb.create_sheet("Học bổng")
    hb_headers = ["STT", "Mã SV", "Họ và tên", "Lớp", "Nội dung", "Số tiền", "Ký nhận"]
    title_block(hb, [SCHOOL, "DANH SÁCH SINH VIÊN NHẬN HỌC BỔNG NĂM 2024",
                     "(Mô hình “Đồng hành cùng học sinh, sinh viên vượt khó”)"], 7)
    header_row(hb, 5, hb_headers, WIDTHS + [14])
    end = records(hb, 6, GRANTS, 5000000,
                  extra=lambda s, r, i: put(s, "G%d" % r, None, border=True))
    total_row(hb, end, 6, end - 1)
    put(hb, "G%d" % end, None, border=True)
    signatures(hb, end + 2, "Lương Thị Hạnh", "Phùng Quý Sơn")
    page_setup(hb, 5)
    os.makedirs(out, exist_ok=True)
    raw = os.path.join(out, ".raw")
    os.makedirs(raw, exist_ok=True)
    wb.save(os.path.join(raw, "danh-sach-khen-thuong.xlsx"))
    lo = LibreOffice(out)
    lo.convert("xlsx", [os.path.join(raw, "danh-sach-khen-thuong.xlsx")], out)
    lo.convert("ods", [os.path.join(out, "danh-sach-khen-thuong.xlsx")], os.path.join(out, ".ods"))
    shutil.move(os.path.join(out, ".ods", "danh-sach-khen-thuong.ods"),
                os.path.join(out, "danh-sach-khen-thuong.ods"))
    for f in ("danh-sach-khen-thuong.xlsx", "danh-sach-khen-thuong.ods"):
        normalise_zip(os.path.join(out, f))
    lo.close()
    shutil.rmtree(raw)
    shutil.rmtree(os.path.join(out, ".ods"), ignore_errors=True)


# ---- the test fixtures --------------------------------------------------------

FIVE = [CLUB[0], CLUB[1], CLUB[2], CLUB[5], CLUB[6]]   # K19MN x2, K19TH, K20TH x2
EIGHT = CLUB[:8]


def fx_title(wb, ws):
    """Title block, blank row 3, header on row 4, five records on 5-9, a date
    column (a date and time shown date-only) in G."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 7)
    header_row(ws, 4, HEADERS + ["Ngày nhận"], WIDTHS + [12])

    def date(s, r, i):
        put(s, "G%d" % r, datetime.datetime(2024, 12, 19, 14, 30), PLAIN, None, "dd/mm/yyyy", border=True)
    records(ws, 5, FIVE, 500000, merge_class=False, extra=date)


def fx_footer(wb, ws, after=None):
    """Header on row 4, records 5-9, Tổng cộng (SUM) on 10, a blank row, the
    date line on 12, NGƯỜI LẬP BIỂU / HIỆU TRƯỞNG on 13, (Ký...) on 14,
    the names on 18, a note on 20."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 6)
    header_row(ws, 4, HEADERS, WIDTHS)
    end = records(ws, 5, FIVE, 500000, merge_class=False)
    total_row(ws, end, 5, end - 1)
    signatures(ws, end + 2, "Nguyễn Thị Thu Thảo", "Phùng Quý Sơn",
               note="Ghi chú: danh sách gồm 05 sinh viên, mỗi sinh viên được thưởng 500.000 đồng.")
    if after:
        after(ws)


def fx_footer_record(wb, ws):
    """fx_footer and, on row 22 under the note, a row that looks like a record."""
    def late(s):
        for col, v in zip("ABCDEF", [6, "0230099", "Nông Thị Hoa", "K21MN",
                                     "Đã hiến máu tình nguyện năm 2024", 500000]):
            put(s, "%s22" % col, v, PLAIN, None, "#,##0" if col == "F" else ("@" if col == "B" else None))
    fx_footer(wb, ws, late)


def fx_merged(wb, ws):
    """Header on row 4; the class merged over D5:D6 (K19MN) and D8:D9 (K20TH),
    D7 a class of one."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 6)
    header_row(ws, 4, HEADERS, WIDTHS)
    records(ws, 5, FIVE, 500000)


def fx_header_merged(wb, ws, split_names):
    """Header "Họ và tên" merged over C4:D4; Lớp in E, Thành tích F, Số tiền G.
    With SPLIT_NAMES, C holds the family and middle names and D the given name
    (the two columns a school sorts by); otherwise D is empty."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 7)
    heads = ["STT", "Mã SV", "Họ và tên", None, "Lớp", "Thành tích", "Số tiền"]
    header_row(ws, 4, heads, [6, 11, 20, 10, 9, 60, 13])
    ws.merge_cells("C4:D4")
    for i, (ma, ten, lop, tt) in enumerate(FIVE):
        r = 5 + i
        ho, _, given = ten.rpartition(" ")
        vals = [i + 1, ma, ho if split_names else ten, given if split_names else None, lop, tt, 500000]
        for j, v in enumerate(vals):
            col = "ABCDEFG"[j]
            put(ws, "%s%d" % (col, r), v, PLAIN, None,
                "#,##0" if col == "G" else ("@" if col == "B" else None), border=True)


def fx_formula(wb, ws):
    """Records 5-9; the amount of the third record (F7) is a formula (=250000*2)."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 6)
    header_row(ws, 4, HEADERS, WIDTHS)
    records(ws, 5, FIVE, 500000, merge_class=False, amount_cells={2: "=250000*2"})


def fx_na(wb, ws):
    """Số tiền looked up by Mã SV in sheet "Mức" (VLOOKUP), where the fourth
    student (0220135, row 8) is missing: F8 shows #N/A."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 6)
    header_row(ws, 4, HEADERS, WIDTHS)
    look = {i: "=VLOOKUP(B%d,'Mức'!$A$1:$B$4,2,0)" % (5 + i) for i in range(len(FIVE))}
    records(ws, 5, FIVE, 500000, merge_class=False, amount_cells=look)
    m = wb.create_sheet("Mức")
    for k, i in enumerate([0, 1, 2, 4]):
        m.cell(row=k + 1, column=1, value=FIVE[i][0]).number_format = "@"
        m.cell(row=k + 1, column=2, value=500000)


def fx_hidden(wb, ws):
    """Header on row 4, eight records on 5-12; rows 6 and 9 hidden by hand."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 6)
    header_row(ws, 4, HEADERS, WIDTHS)
    records(ws, 5, EIGHT, 500000, merge_class=False)
    for r in (6, 9):
        ws.row_dimensions[r].hidden = True


def fx_filtered(wb, ws):
    """Header on row 4, eight records on 5-12, an autofilter on A4:F12 showing
    only class K20MN (rows 8 and 9): the six other rows are filtered out."""
    title_block(ws, [SCHOOL, "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"], 6)
    header_row(ws, 4, HEADERS, WIDTHS)
    records(ws, 5, EIGHT, 500000, merge_class=False)
    ws.auto_filter.ref = "A4:F12"
    ws.auto_filter.filterColumn.append(FilterColumn(colId=3, filters=Filters(filter=["K20MN"])))
    for i, p in enumerate(EIGHT):
        if p[2] != "K20MN":
            ws.row_dimensions[5 + i].hidden = True


CASES = {
    # name: (builder, recalculated by LibreOffice, .ods, .csv)
    "title": (fx_title, True, True, True),
    "footer": (fx_footer, True, True, True),
    "footer-record": (fx_footer_record, True, True, True),
    "merged": (fx_merged, True, True, True),
    "header-merged": (lambda wb, ws: fx_header_merged(wb, ws, False), True, True, True),
    "header-split": (lambda wb, ws: fx_header_merged(wb, ws, True), True, True, True),
    "formula": (fx_formula, True, True, False),
    "na": (fx_na, True, True, True),
    "hidden": (fx_hidden, True, True, False),
    "filtered": (fx_filtered, True, True, False),
}


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    raw = os.path.join(out, "raw")
    os.makedirs(raw, exist_ok=True)
    for name, (build, _, _, _) in CASES.items():
        wb, ws = new_book("Danh sách")
        build(wb, ws)
        wb.save(os.path.join(raw, name + ".xlsx"))
    # never opened in a spreadsheet program: the formula has no saved result
    shutil.copy(os.path.join(raw, "formula.xlsx"), os.path.join(out, "formula-uncomputed.xlsx"))
    lo = LibreOffice(out)
    lo.convert("xlsx", [os.path.join(raw, n + ".xlsx") for n, c in CASES.items() if c[1]], out)
    lo.convert("ods", [os.path.join(out, n + ".xlsx") for n, c in CASES.items() if c[2]], out)
    lo.convert("csv", [os.path.join(out, n + ".xlsx") for n, c in CASES.items() if c[3]], out)
    # Save as > "Save with password" (LibreOffice 7.4 encrypts .ods, not .xlsx)
    lo.save_with_password(os.path.join(out, "title.xlsx"), os.path.join(out, "mat-khau.ods"),
                          "calc8", "KhenThuong2024")
    lo.close()
    # Excel's "CSV UTF-8" starts with a byte-order mark; LibreOffice's does not
    for n, c in CASES.items():
        if c[3]:
            p = os.path.join(out, n + ".csv")
            with open(p, "rb") as f:
                b = f.read()
            with open(p, "wb") as f:
                f.write(b"\xef\xbb\xbf" + b)
    backslash_zip(os.path.join(out, "title.xlsx"), os.path.join(out, "backslash.xlsx"))
    shutil.rmtree(raw)


def backslash_zip(src, dst):
    """SRC with every '/' of its entry names written '\\' (as some Windows
    tools write ZIP files)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            ni = zipfile.ZipInfo(info.filename.replace("/", "\\"), date_time=info.date_time)
            ni.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(ni, data)


def normalise_zip(path):
    """Fixed dates inside PATH (ZIP entry times, the document's created and
    modified dates), so that regenerating the example gives the same bytes."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S")
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("docProps/core.xml", "meta.xml"):
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", r"\g<1>" + stamp + "Z", text)
                text = re.sub(r"(<meta:creation-date>)[^<]*", r"\g<1>" + stamp, text)
                text = re.sub(r"(<dc:date>)[^<]*", r"\g<1>" + stamp, text)
                text = re.sub(r"(<meta:generator>)[^<]*", r"\g<1>LibreOffice", text)
                text = re.sub(r"(<Application>)[^<]*", r"\g<1>LibreOffice", text)
                data = text.encode("utf-8")
            ni = zipfile.ZipInfo(info.filename, date_time=(2024, 12, 20, 8, 0, 0))
            ni.compress_type = info.compress_type  # mimetype stays stored, first
            ni.external_attr = info.external_attr
            zout.writestr(ni, data)
    os.replace(tmp, path)


class LibreOffice:
    """soffice --headless with a profile of its own under DIR/.lo-profile."""

    def __init__(self, out):
        if not SOFFICE:
            sys.stderr.write("school-lists: LibreOffice (soffice) is not installed "
                             "(apt-get install libreoffice-calc-nogui)\n")
            sys.exit(77)
        self.profile = os.path.abspath(os.path.join(out, ".lo-profile"))
        user = os.path.join(self.profile, "user")
        os.makedirs(user, exist_ok=True)
        with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
            for path, name, value in [
                    ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0"),
                    ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "0"),
                    ("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "vi-VN"),
                    ("/org.openoffice.Setup/L10N", "ooLocale", "en-US")]:
                f.write('<item oor:path="%s"><prop oor:name="%s" oor:op="fuse">'
                        '<value>%s</value></prop></item>\n' % (path, name, value))
            f.write('</oor:items>\n')

    def convert(self, fmt, files, outdir):
        if not files:
            return
        filt = {"xlsx": "xlsx:Calc MS Excel 2007 XML",
                "ods": "ods",
                # "Save as CSV": UTF-8, comma, quotes where needed, cells as shown
                "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1,,1066,false,true,true"}[fmt]
        os.makedirs(outdir, exist_ok=True)
        cmd = [SOFFICE, "-env:UserInstallation=file://" + self.profile, "--headless",
               "--norestore", "--nolockcheck", "--convert-to", filt, "--outdir", outdir] + files
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        missing = [f for f in files
                   if not os.path.exists(os.path.join(outdir, os.path.splitext(os.path.basename(f))[0] + "." + fmt))]
        if r.returncode != 0 or missing:
            sys.stderr.write("school-lists: soffice --convert-to %s failed (exit %d) for %s:\n%s\n"
                             % (fmt, r.returncode, ", ".join(missing) or "?", r.stdout.decode(errors="replace")))
            sys.exit(1)

    def save_with_password(self, src, dst, filt, password):
        """SRC opened and saved as DST with a password (File > Save As >
        Save with password), through a Basic macro in the profile: soffice
        --convert-to takes no password.  Called after a conversion, which made
        the profile (its first start writes the default macro library)."""
        lib = os.path.join(self.profile, "user", "basic", "Standard")
        if not os.path.isfile(os.path.join(lib, "script.xlb")):
            sys.stderr.write("school-lists: the LibreOffice profile has no macro library\n")
            sys.exit(1)
        q = lambda t: t.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        with open(os.path.join(lib, "Module1.xba"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
                    '<script:module xmlns:script="http://openoffice.org/2000/script" '
                    'script:name="Module1" script:language="StarBasic">' + q("""
Sub SavePw(src As String, dst As String, filt As String, pw As String)
  Dim a(0) As New com.sun.star.beans.PropertyValue
  a(0).Name = "Hidden" : a(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), "_blank", 0, a())
  Dim p(1) As New com.sun.star.beans.PropertyValue
  p(0).Name = "FilterName" : p(0).Value = filt
  p(1).Name = "Password" : p(1).Value = pw
  doc.storeToURL(ConvertToURL(dst), p())
  doc.close(True)
End Sub
""") + '</script:module>\n')
        macro = 'macro:///Standard.Module1.SavePw("%s","%s","%s","%s")' % (
            os.path.abspath(src), os.path.abspath(dst), filt, password)
        subprocess.run([SOFFICE, "-env:UserInstallation=file://" + self.profile, "--headless",
                        "--norestore", "--nolockcheck", macro],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        if not os.path.isfile(dst):
            sys.stderr.write("school-lists: LibreOffice did not save %s with a password\n" % dst)
            sys.exit(1)

    def close(self):
        shutil.rmtree(self.profile, ignore_errors=True)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("example", "fixtures"):
        sys.stderr.write(__doc__)
        return 2
    if argv[1] == "example":
        example(argv[2])
    else:
        fixtures(argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
