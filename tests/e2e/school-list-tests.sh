# End-to-end tests of issue 7: lists as schools lay them out in Excel (title
# rows, the header found below them, footers passed over with their line
# numbers, merged cells, formulas, hidden and filtered rows, ZIP names with
# '\', .ods date styles) and the shipped example, examples/danh-sach-khen-thuong.xlsx.
# Sourced by tests/e2e/run.sh (uses its helpers: vc, want_rc, problem...).
#
# The workbooks are made once, on the first test that needs them, by
# tests/tools/school-lists.py (openpyxl, then LibreOffice headless: four
# soffice calls, 20-40 s; kept in .cache/school-lists for the next run) into
# $W/school: see the builders there for what
# each case holds on which row.  .xlsx, .ods and the CSV LibreOffice saves
# of the same sheet (with its title rows and footers) are checked alike.
#
# The wording of the messages is the readers' own: these tests look for line
# numbers, cell references and key words only.  The patterns are here, to be
# adjusted in one place (grep -E, case-insensitive, one line of stderr):
SL_RE_HEADER='header|tiêu đề'               # the line saying which row is the header
SL_RE_ABOVE='pass|skip|above|ignor|title|bỏ qua'  # ... and that rows above it were passed over
SL_RE_HIDDEN='hidden|filter|ẩn'             # the summary's count of hidden rows
SL_RE_FORMULA='formula|công thức'           # a formula without a saved result ...
SL_RE_FIX='excel|libreoffice|calc|open|save'  # ... and what to do about it
SL_RE_PASSWORD='password|protected|encrypt|mật khẩu'  # a workbook saved with a password

SL="$W/school"
SL_GEN="" # empty: not made yet; "ok", or the reason it could not be made

sl_make() { # makes the fixtures once; 1 (with a problem) when they cannot be made
  # `make test` runs the e2e tests four times (locales, ASan): the workbooks
  # are kept in .cache/school-lists/KEY (git-ignored, KEY from the generator's
  # text and LibreOffice's version) and copied into $W/school.
  if [ -z "$SL_GEN" ]; then
    local t0 rc key cache tmp
    t0=$(date +%s)
    key=$({ cat "$ROOT/tests/tools/school-lists.py"; soffice --version 2>/dev/null; } | sha256sum | cut -c1-16)
    cache="${SCHOOL_LISTS_CACHE:-$ROOT/.cache/school-lists}/$key"
    if [ ! -f "$cache/.done" ]; then
      tmp="$cache.$$"
      rm -rf "$tmp"
      "$PY" "$ROOT/tests/tools/school-lists.py" fixtures "$tmp" >"$W/school-gen.log" 2>&1
      rc=$?
      if [ $rc -eq 0 ]; then
        touch "$tmp/.done" && rm -rf "$cache" && mkdir -p "$(dirname "$cache")" && mv "$tmp" "$cache"
        # those of earlier versions of the generator
        find "$(dirname "$cache")" -mindepth 1 -maxdepth 1 ! -name "$key" ! -name "$key.*" -exec rm -rf {} +
        echo "     (school lists made with openpyxl and LibreOffice in $(($(date +%s) - t0)) s, kept in $cache)"
      else
        rm -rf "$tmp"
      fi
    else
      rc=0
    fi
    if [ $rc -eq 0 ] && cp -R "$cache" "$SL"; then
      SL_GEN=ok
    elif [ $rc -eq 77 ]; then
      SL_GEN="a tool is missing (scripts/deps.sh test installs it): $(head -c 300 "$W/school-gen.log")"
    else
      SL_GEN="tests/tools/school-lists.py failed (exit $rc): $(head -c 600 "$W/school-gen.log" 2>/dev/null)"
    fi
  fi
  [ "$SL_GEN" = ok ] && return 0
  problem "cannot make the school lists: $SL_GEN"
  return 1
}

# sl_records CSV COLUMNS: the records of `vncert data` output, one a line,
# the COLUMNS (folded header names, a|b for either) joined with '|'.
sl_records() {
  "$PY" - "$1" "$2" <<'EOF'
import csv, sys, unicodedata
def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return "_".join("".join(c if c.isalnum() else " " for c in s).split())
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
if not rows:
    print("(no output)"); sys.exit(1)
head = [fold(h) for h in rows[0]]
idx = []
for want in sys.argv[2].split(","):
    hit = [head.index(w) for w in want.split("|") if w in head]
    if not hit:
        print("(no column %s in %s)" % (want, rows[0])); sys.exit(1)
    idx.append(hit[0])
for r in rows[1:]:
    print("|".join(r[i] if i < len(r) else "" for i in idx))
EOF
}
SL_COLS="line,ma_sv,ho_va_ten,lop,so_tien"
want_records() { # EXPECTED-FILE WHAT: $OUT (vncert data) holds exactly these records
  local got="$W/sl-got.txt"
  sl_records "$OUT" "$SL_COLS" >"$got" 2>&1
  if ! cmp -s "$got" "$1"; then
    problem "$CMD: $2: records differ (expected | got, line|Mã SV|Họ và tên|Lớp|Số tiền):"$'\n'"$(diff "$1" "$got" | head -14 | sed 's/^/        /')"
  fi
}
# sl_err: stderr of the last vc without the paths of the files and folders
# (file names like hidden.xlsx or formula-uncomputed.xlsx, and the "2" of
# vncert-e2e, must not answer for the message), in $ERR.clean
sl_err() {
  "$PY" - "$ERR" "$W" "$ROOT" <<'EOF'
import re, sys
err, w, root = sys.argv[1:4]
text = open(err, encoding="utf-8", errors="replace").read()
for base in (w, root):
    text = re.sub(re.escape(base) + r"/[^\s:,;\"']*", "FILE", text)
open(err + ".clean", "w", encoding="utf-8").write(text)
EOF
  printf '%s' "$ERR.clean"
}
sl_want_err() { # REGEX DESCRIPTION: like want_err, file paths left out
  grep -Eqi -- "$1" "$(sl_err)" || problem "$CMD: stderr lacks $2 (/$1/):"$'\n'"$(first "$ERR" 8)"
}
# want_lines N...: every line number N is named on stderr: as FILE:N(:COL):,
# after "line(s)"/"row(s)" (alone, in a list or a range: rows 10, 12-14 and 18),
# or in a cell reference (F18); other numbers (counts, columns) do not count
want_lines() {
  local missing
  missing=$("$PY" - "$(sl_err)" "$@" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
seen = set()
def add(a, b=None):
    a = int(a); b = int(b) if b else a
    if a <= b <= a + 1000:
        seen.update(range(a, b + 1))
for n in re.findall(r"FILE:(\d+)\b|:(\d+):\d+:", text):
    n = n[0] or n[1]
    add(n)
for n in re.findall(r"\b[A-Z]{1,3}(\d+)\b", text):
    add(n)
RANGE = r"\d+(?:\s*(?:-|–|\.\.|to|đến)\s*\d+)?"
for group in re.findall(r"(?i)\b(?:lines?|rows?|dòng|hàng)\s+(" + RANGE + r"(?:\s*(?:,|and|và|&)\s*" + RANGE + r")*)", text):
    for a, b in re.findall(r"(\d+)(?:\s*(?:-|–|\.\.|to|đến)\s*(\d+))?", group):
        add(a, b or None)
print(" ".join(n for n in sys.argv[2:] if int(n) not in seen))
EOF
)
  [ -z "$missing" ] || problem "$CMD: stderr does not name line(s) $missing:"$'\n'"$(first "$ERR" 12)"
}
# one stderr line matches both REGEX1 and REGEX2 (grep -Ei)
want_err_line() { # REGEX1 REGEX2 WHAT
  grep -Ei -- "$1" "$(sl_err)" | grep -Eqi -- "$2" ||
    problem "$CMD: no line of stderr tells $3 (/$1/ and /$2/):"$'\n'"$(first "$ERR" 10)"
}

# The five records of most cases: header on row 4, records on 5-9.
sl_five() { # FILE [FIRST-LINE]: the expected records, lines from FIRST-LINE (5)
  local l=${2:-5}
  {
    echo "$l|0210456|Hoàng Thị Ngọc Ánh|K19MN|500.000"
    echo "$((l + 1))|0210502|Lương Thị Mẫn|K19MN|500.000"
    echo "$((l + 2))|0210471|Nông Văn Lực|K19TH|500.000"
    echo "$((l + 3))|0220135|Triệu Hữu Vỹ|K20TH|500.000"
    echo "$((l + 4))|0220147|Lăng Thị Hồng Nhung|K20TH|500.000"
  } >"$1"
}
sl_eight() { # FILE LINE...: those of the eight records (rows 5-12) on these lines
  local f=$1 l
  shift
  : >"$f"
  for l in "$@"; do
    case $l in
      5) echo "5|0210456|Hoàng Thị Ngọc Ánh|K19MN|500.000" ;;
      6) echo "6|0210502|Lương Thị Mẫn|K19MN|500.000" ;;
      7) echo "7|0210471|Nông Văn Lực|K19TH|500.000" ;;
      8) echo "8|0220118|Vi Thị Thùy Dương|K20MN|500.000" ;;
      9) echo "9|0220163|Hà Thị Ngọc Diệp|K20MN|500.000" ;;
      10) echo "10|0220135|Triệu Hữu Vỹ|K20TH|500.000" ;;
      11) echo "11|0220147|Lăng Thị Hồng Nhung|K20TH|500.000" ;;
      12) echo "12|0230047|Lộc Thị Thu Hường|K21MN|500.000" ;;
    esac >>"$f"
  done
}
sl_names_upper() { # FILE: the five names as giay-khen prints them
  printf '%s\n' "HOÀNG THỊ NGỌC ÁNH" "LƯƠNG THỊ MẪN" "NÔNG VĂN LỰC" "TRIỆU HỮU VỸ" \
    "LĂNG THỊ HỒNG NHUNG" >"$1"
}

# 1. The header is found below the title block; --header-row overrides.
test_sl_header() {
  sl_make || return
  local ext f
  sl_five "$W/sl-five.txt"
  sl_names_upper "$W/sl-five-names.txt"
  for ext in xlsx ods csv; do
    f="$SL/title.$ext"
    vc "sl-h-$ext" data "$f"
    if want_rc 0; then
      want_records "$W/sl-five.txt" "title rows 1-2, header on row 4"
      want_err_line "$SL_RE_HEADER" '(^|[^0-9])4([^0-9]|$)' "that row 4 is the header ($ext)"
      want_err_line "$SL_RE_ABOVE" '(^|[^0-9])[12]([^0-9]|$)' "that rows 1-2 above it were passed over ($ext)"
    fi
    vc "sl-hr-$ext" data "$f" --header-row 4
    want_rc 0 && want_records "$W/sl-five.txt" "--header-row 4"
    vc "sl-hc-$ext" check "$TPL_GK" "$f"
    want_rc 0
    vc "sl-hc2-$ext" check "$TPL_BN" "$f"
    want_rc 0
    vc "sl-hp-$ext" render "$TPL_GK" "$f" -o "$W/sl-h-$ext.pdf"
    if want_rc 0; then
      want_pages "$W/sl-h-$ext.pdf" 5
      helper "title.$ext: the names page by page" names "$W/sl-h-$ext.pdf" "$W/sl-five-names.txt"
    fi
  done
  # a header row given that is not the header: the title is no header
  vc sl-hbad check "$TPL_GK" "$SL/title.xlsx" --header-row 2
  want_rc 1
}

# 2. Footers: Tổng cộng (10), date line (12), roles (13), (Ký...) (14),
# names (18), a note (20) are passed over and named; --last-row overrides.
test_sl_footer() {
  sl_make || return
  local ext f
  sl_five "$W/sl-five.txt"
  for ext in xlsx ods csv; do
    f="$SL/footer.$ext"
    vc "sl-f-$ext" data "$f"
    want_rc 0 && want_records "$W/sl-five.txt" "footer rows 10-20 are no records" &&
      want_lines 10 12 13 14 18 20
    vc "sl-fc-$ext" check "$TPL_BN" "$f"
    want_rc 0 && want_lines 10 12 13 14 18 20
    vc "sl-fr-$ext" render "$TPL_BN" "$f" -o "$W/sl-f-$ext.pdf"
    want_rc 0 && want_pages "$W/sl-f-$ext.pdf" 5
    vc "sl-fl-$ext" data "$f" --last-row 9
    want_rc 0 && want_records "$W/sl-five.txt" "--last-row 9"
  done
}

# 2. A row like a record after the footer (row 22) is an error, not a guess.
test_sl_footer_record() {
  sl_make || return
  local ext f
  sl_five "$W/sl-five.txt"
  for ext in xlsx ods csv; do
    f="$SL/footer-record.$ext"
    vc "sl-fx-$ext" check "$TPL_GK" "$f"
    want_rc 1 && want_lines 22
    vc "sl-fxr-$ext" render "$TPL_GK" "$f" -o "$W/sl-fx-$ext.pdf"
    want_rc 1
    absent "$W/sl-fx-$ext.pdf" "a record after the footer"
    vc "sl-fxl-$ext" data "$f" --last-row 9
    want_rc 0 && want_records "$W/sl-five.txt" "--last-row 9 before the footer"
    vc "sl-fxp-$ext" render "$TPL_GK" "$f" --last-row 9 -o "$W/sl-fxl-$ext.pdf"
    want_rc 0 && want_pages "$W/sl-fxl-$ext.pdf" 5
  done
}

# 3. The class merged over D5:D6 and D8:D9 belongs to every row of the merge.
test_sl_merged() {
  sl_make || return
  local ext f
  sl_five "$W/sl-five.txt"
  printf '%s\n' K19MN K19MN K19TH K20TH K20TH >"$W/sl-classes.txt"
  for ext in xlsx ods; do
    f="$SL/merged.$ext"
    vc "sl-m-$ext" data "$f"
    want_rc 0 && want_records "$W/sl-five.txt" "the class filled down its merge"
    # lop is required by the receipt: every receipt names its class
    vc "sl-mr-$ext" render "$TPL_BN" "$f" -o "$W/sl-m-$ext.pdf"
    if want_rc 0; then
      want_pages "$W/sl-m-$ext.pdf" 5
      helper "merged.$ext: the class on every receipt" names "$W/sl-m-$ext.pdf" "$W/sl-classes.txt"
    fi
  done
  # The CSV saved from that sheet has the class on the first row of each merge
  # only (a CSV knows no merges): the receipt, which needs the class, names
  # lines 6 and 9 rather than guess the class from the line above.
  vc sl-m-csv check "$TPL_BN" "$SL/merged.csv"
  want_rc 1 && want_lines 6 9
}

# 3. A header merged over C4:D4 names C; D is reported when it holds values.
test_sl_header_merged() {
  sl_make || return
  local ext
  sl_five "$W/sl-five.txt"
  sed 's/|Hoàng Thị Ngọc Ánh|/|Hoàng Thị Ngọc|/; s/|Lương Thị Mẫn|/|Lương Thị|/; s/|Nông Văn Lực|/|Nông Văn|/;
       s/|Triệu Hữu Vỹ|/|Triệu Hữu|/; s/|Lăng Thị Hồng Nhung|/|Lăng Thị Hồng|/' "$W/sl-five.txt" >"$W/sl-split.txt"
  for ext in xlsx ods csv; do
    vc "sl-hm-$ext" data "$SL/header-merged.$ext"
    want_rc 0 && want_records "$W/sl-five.txt" "Họ và tên over C:D, D empty"
    grep -Eqi '(cell|column|cột|ô) D|(^|[^A-Z])D[45]([^0-9]|$)|:[0-9]+:4:' "$(sl_err)" &&
      problem "$CMD: the empty column D under the merged header is reported:"$'\n'"$(first "$ERR" 6)"
    vc "sl-hmc-$ext" check "$TPL_GK" "$SL/header-merged.$ext"
    want_rc 0
    # the values under D may be an error (nothing printed) or a warning:
    # when records are printed, Họ và tên is column C alone
    vc "sl-hs-$ext" data "$SL/header-split.$ext"
    if [ "$(wc -l <"$OUT")" -gt 1 ]; then
      sl_records "$OUT" "$SL_COLS" >"$W/sl-got.txt" 2>&1
      cmp -s "$W/sl-got.txt" "$W/sl-split.txt" ||
        problem "$CMD: Họ và tên is not column C alone:"$'\n'"$(diff "$W/sl-split.txt" "$W/sl-got.txt" | head -8)"
    fi
    grep -Eqi '(cell|column|cột|ô) D|(^|[^A-Z])D[4-9]([^0-9]|$)|:[0-9]+:4:' "$(sl_err)" ||
      problem "$CMD: the values of column D under the merged header are not reported:"$'\n'"$(first "$ERR" 6)"
  done
}

# 4. A formula's saved result is used (F7 = 250000*2, computed by LibreOffice).
test_sl_formula() {
  sl_make || return
  local ext
  sl_five "$W/sl-five.txt"
  for ext in xlsx ods; do
    vc "sl-fo-$ext" data "$SL/formula.$ext"
    want_rc 0 && want_records "$W/sl-five.txt" "F7's saved result"
  done
}

# 4. A formula never computed (openpyxl's file as written) is an error naming
# F7 and saying what to do; so is a #N/A (F8, a VLOOKUP that found nothing).
test_sl_formula_errors() {
  sl_make || return
  local ext
  vc sl-nc-data data "$SL/formula-uncomputed.xlsx"
  want_rc 1 && want_err_line "(^|[^A-Z])F7([^0-9]|$)" "$SL_RE_FORMULA" "F7 holds a formula never computed"
  sl_want_err "$SL_RE_FIX" "what to do (open and save it)"
  vc sl-nc-check check "$TPL_BN" "$SL/formula-uncomputed.xlsx"
  want_rc 1 && want_err_line "(^|[^A-Z])F7([^0-9]|$)" "$SL_RE_FORMULA" "F7 holds a formula never computed"
  vc sl-nc-render render "$TPL_BN" "$SL/formula-uncomputed.xlsx" -o "$W/sl-nc.pdf"
  want_rc 1
  absent "$W/sl-nc.pdf" "a formula never computed"
  for ext in xlsx ods csv; do
    vc "sl-na-$ext" check "$TPL_BN" "$SL/na.$ext"
    if [ $ext = csv ]; then # Excel's CSV writes the text #N/A: line 8, column 6
      want_rc 1 && want_err_line ":8:6:|line 8" '#N/A' "line 8 holds #N/A"
    else
      want_rc 1 && want_err_line "(^|[^A-Z])F8([^0-9]|$)" '#N/A' "F8 shows #N/A"
    fi
    vc "sl-nar-$ext" render "$TPL_BN" "$SL/na.$ext" -o "$W/sl-na-$ext.pdf"
    want_rc 1
    absent "$W/sl-na-$ext.pdf" "a #N/A amount"
  done
}

# 5. Hidden rows (6 and 9 by hand; all but K20MN filtered out) are included
# and counted; --visible-only leaves them out.
test_sl_hidden() {
  sl_make || return
  local ext
  sl_eight "$W/sl-all8.txt" 5 6 7 8 9 10 11 12
  sl_eight "$W/sl-vis.txt" 5 7 8 10 11 12
  sl_eight "$W/sl-k20mn.txt" 8 9
  for ext in xlsx ods; do
    vc "sl-hd-$ext" data "$SL/hidden.$ext"
    want_rc 0 && want_records "$W/sl-all8.txt" "hidden rows included" &&
      want_err_line "$SL_RE_HIDDEN" '(^|[^0-9])2([^0-9]|$)' "2 hidden rows ($ext)"
    vc "sl-hdv-$ext" data "$SL/hidden.$ext" --visible-only
    want_rc 0 && want_records "$W/sl-vis.txt" "--visible-only"
    vc "sl-fi-$ext" data "$SL/filtered.$ext"
    want_rc 0 && want_records "$W/sl-all8.txt" "filtered rows included" &&
      want_err_line "$SL_RE_HIDDEN" '(^|[^0-9])6([^0-9]|$)' "6 hidden (filtered) rows ($ext)"
    vc "sl-fiv-$ext" data "$SL/filtered.$ext" --visible-only
    want_rc 0 && want_records "$W/sl-k20mn.txt" "--visible-only on a filtered list"
    vc "sl-fir-$ext" render "$TPL_GK" "$SL/filtered.$ext" --visible-only -o "$W/sl-fi-$ext.pdf"
    want_rc 0 && want_pages "$W/sl-fi-$ext.pdf" 2
  done
}

# 6. A ZIP whose entry names use '\' is read; an .ods date-and-time cell in a
# date-only style reads as a date.
test_sl_zip_dates() {
  sl_make || return
  local ext
  sl_five "$W/sl-five.txt"
  vc sl-bs data "$SL/backslash.xlsx"
  want_rc 0 && want_records "$W/sl-five.txt" "entry names with '\\'"
  for ext in xlsx ods; do
    vc "sl-dt-$ext" data "$SL/title.$ext"
    want_rc 0 || continue
    sl_records "$OUT" "line,ngay_nhan" >"$W/sl-dates.txt" 2>&1
    printf '%s\n' 5 6 7 8 9 | sed 's/$/|19\/12\/2024/' >"$W/sl-dates-want.txt"
    cmp -s "$W/sl-dates.txt" "$W/sl-dates-want.txt" ||
      problem "$CMD: 19/12/2024 14:30 in a dd/mm/yyyy cell does not read 19/12/2024:"$'\n'"$(head -5 "$W/sl-dates.txt")"
  done
}

# 6. A workbook saved with a password (mat-khau.ods: no "password" in its name, which
# every message quotes; LibreOffice's "Save with password", which
# encrypts .ods but not .xlsx) is named as protected, not as damaged.
test_sl_password() {
  sl_make || return
  vc sl-pw data "$SL/mat-khau.ods"
  want_rc 1
  sl_want_err "$SL_RE_PASSWORD" "that the file is protected by a password"
  grep -Eqi 'damaged|not well-formed|xls\b|97-2003' "$(sl_err)" &&
    problem "$CMD: the protected file is called damaged or old:"$'\n'"$(first "$ERR" 4)"
  vc sl-pwc check "$TPL_GK" "$SL/mat-khau.ods"
  want_rc 1
  sl_want_err "$SL_RE_PASSWORD" "that the file is protected by a password"
}

# 7. The shipped example with both templates: sheet "Khen thưởng" (header on
# row 5, records 6-15, the class merged, Tổng cộng on 16, signatures 18-24)
# and sheet "Học bổng" (records 6-9, Tổng cộng on 10).
test_sl_example() {
  local ext f
  printf '%s\n' "HOÀNG THỊ NGỌC ÁNH" "LƯƠNG THỊ MẪN" "NÔNG VĂN LỰC" "VI THỊ THÙY DƯƠNG" \
    "HÀ THỊ NGỌC DIỆP" "TRIỆU HỮU VỸ" "LĂNG THỊ HỒNG NHUNG" "LỘC THỊ THU HƯỜNG" \
    "ĐINH CÔNG ĐỨC" "CHU THỊ PHƯƠNG THẢO" >"$W/sl-ex-names.txt"
  printf '%s\n' K19MN K19MN K19TH K20MN K20MN K20TH K20TH K21MN K21TH K21TH >"$W/sl-ex-lop.txt"
  printf '%s\n' "Lăng Thị Mẫn" "Nguyễn Văn Lực" "Đàm Thị Ngọc Diễm" "Hứa Văn Vỹ" >"$W/sl-ex-hb.txt"
  for ext in xlsx ods; do
    f="$ROOT/examples/danh-sach-khen-thuong.$ext"
    [ -f "$f" ] || { problem "$f is missing"; continue; }
    vc "sl-exd-$ext" data "$f"
    want_rc 0 && want_lines 16 18 19 20 24
    vc "sl-ex-$ext" check "$TPL_GK" "$f"
    want_rc 0
    vc "sl-exc-$ext" check "$TPL_BN" "$f" --sheet "Học bổng"
    want_rc 0 && want_lines 10
    vc "sl-exr-$ext" render "$TPL_GK" "$f" -o "$W/sl-ex-$ext.pdf"
    if want_rc 0; then
      want_pages "$W/sl-ex-$ext.pdf" 10
      helper "$ext: the ten names, one a page" names "$W/sl-ex-$ext.pdf" "$W/sl-ex-names.txt"
      helper "$ext: the class of each, merged cells filled down" names "$W/sl-ex-$ext.pdf" "$W/sl-ex-lop.txt"
      pdftotext "$W/sl-ex-$ext.pdf" - 2>/dev/null | grep -Eqi 'tổng cộng|TỔNG CỘNG|người lập biểu|NGƯỜI LẬP BIỂU|phùng quý sơn|PHÙNG QUÝ SƠN' &&
        problem "$ext: a footer row was printed as a certificate"
      pdf_ok "$W/sl-ex-$ext.pdf"
    fi
    vc "sl-exb-$ext" render "$TPL_BN" "$f" --sheet "Học bổng" -o "$W/sl-exb-$ext.pdf"
    if want_rc 0; then
      want_pages "$W/sl-exb-$ext.pdf" 4
      helper "$ext: the four scholarship holders" names "$W/sl-exb-$ext.pdf" "$W/sl-ex-hb.txt"
      yes "5.000.000 đ" | head -4 >"$W/sl-ex-amt.txt"
      helper "$ext: 5.000.000 đ on every receipt" names "$W/sl-exb-$ext.pdf" "$W/sl-ex-amt.txt"
      helper "$ext: the amount in words" contains "$W/sl-exb-$ext.pdf" "Năm triệu đồng chẵn"
      pdftotext "$W/sl-exb-$ext.pdf" - 2>/dev/null | grep -Eqi '20\.000\.000|hai mươi triệu' &&
        problem "$ext: the Tổng cộng row was printed as a receipt"
    fi
  done
}

# 7. make demo renders the workbook with both templates: test_demo in
# tests/e2e/run.sh (one run of the demo for both).

t "school: header found on row 4 under the title (xlsx, ods, csv), --header-row" test_sl_header
t "school: footer rows passed over with line numbers, --last-row" test_sl_footer
t "school: a record after the footer is an error" test_sl_footer_record
t "school: class merged over its students fills every row (xlsx, ods; csv: an error)" test_sl_merged
t "school: header merged over two columns" test_sl_header_merged
t "school: formulas use their saved result" test_sl_formula
t "school: formula never computed, #N/A (xlsx, ods, csv): errors naming the cell" test_sl_formula_errors
t "school: hidden and filtered rows counted, --visible-only" test_sl_hidden
t "school: ZIP names with '\\', .ods date styles" test_sl_zip_dates
t "school: a workbook with a password is named as protected (ods)" test_sl_password
t "school: examples/danh-sach-khen-thuong with giay-khen and bien-nhan-hoc-bong" test_sl_example
