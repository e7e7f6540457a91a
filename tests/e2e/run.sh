#!/bin/bash
# End-to-end tests of the vncert command: renders real certificates and
# receipts and checks the PDFs with poppler-utils, qpdf and python3-fonttools
# (tests/tools/pdf_glyphs.py), the way a clerk's printer would see them.
#
# Usage: tests/e2e/run.sh BINARY
# BINARY is an in-tree build (build*/vncert: it finds the repository's fonts/
# beside it) or an installed one (PREFIX/bin/vncert).
# Prints one line per test ("ok   NAME" or "FAIL NAME" with the reasons), then
# exactly one closing line "e2e: N passed, N failed"; exits 1 if any failed.
# E2E_ONLY=REGEX runs only the tests whose name matches.
# Fonts: those of tests/tools/test-fonts.sh only (FONTCONFIG_FILE, made here
# when not given), so other installed fonts change nothing.
# Works in a temporary directory it removes.  About 10 s (ASan: the same).
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 BINARY" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if [ ! -x "$BIN" ]; then
  echo "FAIL binary: $BIN does not exist or is not executable"
  echo "e2e: 0 passed, 1 failed"
  exit 1
fi

PY=/usr/bin/python3 # Debian's: python3-fonttools is installed for it
HELP="$ROOT/tests/e2e/helpers.py"
GLYPHS="$ROOT/tests/tools/pdf_glyphs.py"
TPL_GK="$ROOT/templates/giay-khen.yaml"
TPL_BN="$ROOT/templates/bien-nhan-hoc-bong.yaml"
EX_GK="$ROOT/examples/giay-khen.csv"
EX_HB="$ROOT/examples/hoc-bong.csv"
T0=$(date +%s)

W=$(mktemp -d "${TMPDIR:-/tmp}/vncert-e2e.XXXXXX") || exit 2
cleanup() { chmod -R u+rwx "$W" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
# A test that goes wrong (an old binary writing "-o -" to a file named "-")
# must not leave files in the repository.
cd "$W" || exit 2

# Only the fonts the tests expect (`make check-e2e` passes its own
# FONTCONFIG_FILE, made the same way under build/).
if [ -z "${FONTCONFIG_FILE:-}" ]; then
  FONTCONFIG_FILE=$("$ROOT/tests/tools/test-fonts.sh" "$W/test-fonts") || {
    echo "FAIL test fonts: tests/tools/test-fonts.sh failed"
    echo "e2e: 0 passed, 1 failed"
    exit 1
  }
  export FONTCONFIG_FILE
fi

# ---- test bookkeeping --------------------------------------------------------
PASSED=0 FAILED=0 ERRS=""
problem() { ERRS="${ERRS}    - $*"$'\n'; }
t() { # NAME FUNCTION [ARGS...]: runs one test, counts it
  local tname=$1
  shift
  # E2E_ONLY=REGEX runs only the tests whose name matches (while working)
  [ -n "${E2E_ONLY:-}" ] && ! printf '%s' "$tname" | grep -Eq -- "$E2E_ONLY" && return 0
  ERRS=""
  "$@"
  if [ -z "$ERRS" ]; then
    PASSED=$((PASSED + 1))
    echo "ok   $tname"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $tname"
    printf '%s' "$ERRS"
  fi
}
h() { "$PY" "$HELP" "$@"; }
first() { head -c 600 "$1" | head -n "${2:-4}" | sed 's/^/        /'; }

# ---- a Vietnamese run (issue 14) ---------------------------------------------
# Under a Vietnamese locale vncert speaks Vietnamese (po/vi.po), and every
# check of its message text is still written in English: after each run of
# the binary, vi_back reports the English left in its raw output, then turns
# the output back to English (tests/tools/vi_messages.py; the raw text is
# kept as FILE.vi).  The language is gettext's: LC_ALL, else LC_MESSAGES,
# else LANG; LANGUAGE when that locale is not C/POSIX.  Any other language:
# nothing is done.
VI_PO="$ROOT/po/vi.po" VI_TOOL="$ROOT/tests/tools/vi_messages.py" VI_RUN=0
export VI_MESSAGES_CACHE="$W" # its compiled catalogue: not in a test's TMPDIR
case ${LC_ALL:-${LC_MESSAGES:-${LANG:-}}} in
  vi*) VI_RUN=1 ;;
  "" | C | C.* | POSIX) ;;
  *) case ${LANGUAGE:-} in vi*) VI_RUN=1 ;; esac ;;
esac
if [ $VI_RUN = 1 ] && [ ! -f "$VI_PO" ]; then
  echo "FAIL Vietnamese run: po/vi.po does not exist: the messages cannot be turned back to English"
  echo "e2e: 0 passed, 1 failed"
  exit 1
fi
# a test that sets its own locale (LC_ALL=tr_TR.UTF-8 for its case folding
# and numbers) still hears Vietnamese: LANGUAGE wins over any locale but C
[ $VI_RUN = 1 ] && export LANGUAGE=vi
vi_back() { # FILE...: finished output of the binary, checked then English
  [ $VI_RUN = 1 ] || return 0
  local o rc f line n=0
  o=$("$PY" "$VI_TOOL" vet "$VI_PO" "$@" 2>&1)
  rc=$?
  if [ $rc -eq 1 ]; then
    while IFS=$'\t' read -r f line; do
      n=$((n + 1))
      [ $n -le 5 ] && problem "English left in the Vietnamese run: $line   (${CMD:-vncert}, $f)"
    done <<<"$o"
    [ $n -gt 5 ] && problem "English left in the Vietnamese run: $((n - 5)) more lines (${CMD:-vncert})"
  elif [ $rc -ne 0 ]; then
    problem "tests/tools/vi_messages.py failed (exit $rc): $o"
  fi
  return 0
}
vi_back_run() { # SUBCOMMAND: vi_back on $ERR and $OUT of the run that just ended
  case $1 in # `vncert data` writes the list itself on stdout: data, no message
    data) vi_back "$ERR" ;;
    *) vi_back "$ERR" "$OUT" ;;
  esac
}
vi_cat() { # FILE: the output of a binary still running (a kiosk), in English
  if [ $VI_RUN = 1 ]; then "$PY" "$VI_TOOL" text "$VI_PO" "$1"; else cat "$1"; fi
}

# vc LABEL ARGS...: runs the binary (60 s cap) with stdout/stderr in
# $W/LABEL.out / .err; RC is its exit code and CMD the command line.
# In a Vietnamese run both are then checked and turned back to English.
vc() {
  local label=$1
  shift
  CMD="vncert $*"
  OUT="$W/$label.out" ERR="$W/$label.err"
  timeout 60 "$BIN" "$@" >"$OUT" 2>"$ERR"
  RC=$?
  [ $RC -eq 124 ] && problem "$CMD: timed out after 60 s"
  vi_back_run "${1:-}"
  return 0
}
want_rc() { # EXPECTED
  if [ "$RC" -ne "$1" ]; then
    problem "$CMD: exit $RC, expected $1; stderr:"$'\n'"$(first "$ERR" 6)"
    return 1
  fi
}
want_err() { # REGEX DESCRIPTION: stderr matches (grep -E, case-insensitive)
  grep -Eqi -- "$1" "$ERR" || problem "$CMD: stderr lacks $2 (/$1/):"$'\n'"$(first "$ERR" 8)"
}
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
want_pages() { # PDF N
  local n
  n=$(pages "$1")
  [ "$n" = "$2" ] || problem "$1: ${n:-no} pages (pdfinfo), expected $2"
}
absent() { # FILE WHY
  [ ! -e "$1" ] || problem "$2: $1 was created"
}
same_file() { # FILE COPY WHY
  cmp -s "$1" "$2" || problem "$3: $1 was changed"
}
poppler_quiet() { # PDF: poppler's tools print nothing on stderr
  local e="$W/poppler.err" tool
  for tool in pdftotext pdffonts pdftoppm; do
    case $tool in
      pdftotext) pdftotext "$1" /dev/null 2>"$e" ;;
      pdffonts) pdffonts "$1" >/dev/null 2>"$e" ;;
      pdftoppm) pdftoppm -r 20 -png "$1" "$W/ppm" 2>"$e"; rm -f "$W"/ppm*.png ;;
    esac
    [ -s "$e" ] && problem "$tool $(basename "$1") printed on stderr:"$'\n'"$(first "$e" 4)"
  done
  return 0
}
qpdf_clean() { # PDF
  local o
  o=$(qpdf --check "$1" 2>&1) || problem "qpdf --check $(basename "$1") (exit $?):"$'\n'"$(printf '%s\n' "$o" | grep -iv '^checking\|^PDF Version\|^File is not\|^No syntax' | head -4 | sed 's/^/        /')"
}
glyphs_ok() { # PDF: every drawn glyph and its components embedded
  if [ ! -f "$GLYPHS" ]; then
    problem "tests/tools/pdf_glyphs.py is missing: cannot check the embedded glyphs"
    return
  fi
  local o
  o=$("$PY" "$GLYPHS" "$1" 2>&1) || problem "pdf_glyphs.py $(basename "$1"):"$'\n'"$(printf '%s\n' "$o" | head -6 | sed 's/^/        /')"
}
fonts_ok() { # PDF
  local o
  o=$(h fonts "$1" 2>&1) || problem "pdffonts $(basename "$1"):"$'\n'"$(printf '%s\n' "$o" | head -6 | sed 's/^/        /')"
}
pdf_ok() { # PDF: the whole battery every rendered file must pass
  qpdf_clean "$1"
  poppler_quiet "$1"
  fonts_ok "$1"
  glyphs_ok "$1"
}
helper() { # DESCRIPTION HELPER-ARGS...: a helpers.py check
  local what=$1 o
  shift
  o=$(h "$@" 2>&1) || problem "$what:"$'\n'"$(printf '%s\n' "$o" | head -8 | sed 's/^/        /')"
}
uses_upper() { # TEMPLATE: the name is printed through the upper filter
  grep -Eq '\{ *ho_ten *\| *upper *[|}]' "$1"
}
expected_names() { # CSV OUTFILE TEMPLATE
  if uses_upper "$3"; then h column "$1" 1 --upper >"$2"; else h column "$1" 1 >"$2"; fi
}

# ---- data shared by several tests -------------------------------------------
HDR="ma_sv,ho_ten,lop,thanh_tich,so_tien"
GOOD="0210001,Vi Thị Hồng Nhung,K20MN,Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024,5.000.000"
LONG=$("$PY" -c 'print(" ".join(["Nguyễn Thị Thu Thảo"] * 16)[:300])')
mkdir -p "$W/bad"
# one file per problem (for render) and all of them in one file (for check)
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210002,Hà Văn Bình,K19TH" >"$W/bad/a-fields.csv"
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210003,Lộc Th$(printf '\377')i Lan,K19MN,Đã tham gia hiến máu,5.000.000" >"$W/bad/b-utf8.csv"
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210004,,K19MN,Đã tham gia hiến máu,5.000.000" >"$W/bad/c-empty.csv"
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210005,Nông Thị Mai,K21MN,Đã tham gia hiến máu,năm triệu" >"$W/bad/d-words.csv"
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210006,Triệu Văn Tài,K21TH,Đã tham gia hiến máu,5.000.00" >"$W/bad/e-amount.csv"
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210007,$LONG,K20TH,Đã tham gia hiến máu,5.000.000" >"$W/bad/f-long.csv"
printf '%s\n%s\n%s\n' "$HDR" "$GOOD" "0210008,Lăng Văn 漢,K20MN,Đã tham gia hiến máu,5.000.000" >"$W/bad/g-cjk.csv"
{
  printf '%s\n%s\n' "$HDR" "$GOOD"
  for f in "$W"/bad/?-*.csv; do sed -n 3p "$f"; done
} >"$W/bad/all.csv" # problems on lines 3..9, in the order a..g

# ---- the tests ---------------------------------------------------------------

# Render a document, then every check a printed certificate needs.
render_doc() { # TAG TEMPLATE CSV NPAGES EXTRA-TEXT-PER-PAGE...
  local tag=$1 tpl=$2 csv=$3 n=$4 d="$W/$1"
  shift 4
  mkdir -p "$d"
  vc "$tag" render "$tpl" "$csv" -o "$d/out.pdf" --layout-tsv "$d/layout.tsv"
  want_rc 0 || return
  want_pages "$d/out.pdf" "$n"
  expected_names "$csv" "$d/names.txt" "$tpl"
  helper "names page by page ($(uses_upper "$tpl" && echo upper-cased || echo as written))" \
    names "$d/out.pdf" "$d/names.txt"
  local x
  for x in "$@"; do
    yes "$x" | head -n "$n" >"$d/extra.txt"
    helper "\"$x\" on every page" names "$d/out.pdf" "$d/extra.txt"
  done
  h column "$csv" 2 >"$d/lop.txt"
  helper "the class on every page" names "$d/out.pdf" "$d/lop.txt"
  pdf_ok "$d/out.pdf"
  if [ -s "$d/layout.tsv" ]; then
    helper "word boxes inside the layout boxes and the page" bbox "$d/out.pdf" "$d/layout.tsv"
  else
    problem "--layout-tsv wrote nothing"
  fi
}
test_render_giaykhen() {
  uses_upper "$TPL_GK" || problem "templates/giay-khen.yaml does not print {ho_ten|upper}"
  render_doc gk "$TPL_GK" "$EX_GK" 10
}
test_render_receipt() {
  render_doc bn "$TPL_BN" "$EX_HB" 4 "Năm triệu đồng chẵn" "5.000.000 đ"
}

# The longest realistic values print on every shipped template, none
# refused: names of 49 and 60 letters (wide capitals M, W, Ư once upper-cased),
# an achievement of 300 letters, a 16-character student ID, a 31-letter
# class, an amount of nine digits.  Each word must lie in its own field's box.
test_long_fields() {
  local d="$W/long" tpl tag n
  mkdir -p "$d"
  "$PY" - "$d/long.csv" <<'EOF'
import csv, sys
names = ["Tôn Nữ Hoàng Thị Minh Nguyệt Phương Thảo Ngọc Anh",
         "Mường Wừ Hòa Thị Mỹ Ưng Minh Nguyệt Phương Thảo Ngọc Mạnh Mơ",
         "Ưng Mừng Mường Mẫn Mỹ Mơ Wừ Mùa Minh Mạnh Mười Mịch Mộng Mưa",
         "Wừ Mường Mừng Mẫn Mỹ Mơ Wừ Mùa Mạnh Mười Mịch Mộng Mưa Mỡ Mẽ"]
ach = ("Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024; "
       "tham gia tích cực chiến dịch Mùa hè xanh tại xã Mẫu Sơn, huyện Lộc Bình, "
       "tỉnh Lạng Sơn; đạt giải Nhất cuộc thi Olympic Toán học sinh viên toàn quốc "
       "lần thứ XXXII và giải Ba Nghiên cứu khoa học sinh viên cấp Bộ năm học "
       "2023–2024, được tuyên dương")[:300]
assert [len(n) for n in names] == [49, 60, 60, 60] and len(ach) == 300
w = csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n")
w.writerow(["ma_sv", "ho_ten", "lop", "thanh_tich", "so_tien"])
for i, n in enumerate(names):
    w.writerow(["DTC18548020100%02d" % i, n, "K21 Sư phạm Tiếng Anh - Tin học", ach,
                "999.999.999" if i % 2 else "97.777.777"])
EOF
  n=0
  for tpl in "$ROOT"/templates/*.yaml; do
    # a list (issue 13) is one table, not a page per record: list-tests.sh
    grep -q '^list:' "$tpl" && continue
    # label sheets: many records a page (tests/e2e/sheet-tests.sh tries them)
    grep -q '^sheet:' "$tpl" && continue
    n=$((n + 1))
    tag=$(basename "$tpl" .yaml)
    vc "long-$tag" render "$tpl" "$d/long.csv" -o "$d/$tag.pdf" --layout-tsv "$d/$tag.tsv"
    want_rc 0 || continue
    want_pages "$d/$tag.pdf" 4
    expected_names "$d/long.csv" "$d/$tag-names.txt" "$tpl"
    helper "$tag: the whole name on every page" names "$d/$tag.pdf" "$d/$tag-names.txt"
    helper "$tag: every word inside its own field's box" bbox "$d/$tag.pdf" "$d/$tag.tsv"
    glyphs_ok "$d/$tag.pdf"
  done
  [ "$n" -ge 2 ] || problem "found $n templates in templates/, expected both shipped ones"
}

test_quiet() {
  vc quiet render "$TPL_GK" "$EX_GK" -o "$W/quiet.pdf" -q
  want_rc 0 || return
  [ -s "$OUT" ] && problem "$CMD: -q still printed on stdout: $(head -c 200 "$OUT")"
  [ -s "$ERR" ] && problem "$CMD: -q still printed on stderr: $(head -c 200 "$ERR")"
  want_pages "$W/quiet.pdf" 10
}

# Fonts whose Vietnamese letters are built from nested composite glyphs.
MARKS_CSV="$W/marks.csv"
printf '%s\n' "$HDR" \
  "0210001,Nguyễn Ẫn Lực,K19MN,x,500000" \
  "0210002,ỰỪỬỮỨ ẪẦẨẤẬ ỄỀỂẾỆ ỖỒỔỐỘ ỠỜỞỚỢ Đ,K19MN,x,500000" \
  "0210003,ựừửữứ ẫầẩấậ ễềểếệ ỗồổốộ ỡờởớợ đ ỹ Ỹ,K19MN,x,500000" >"$MARKS_CSV"
font_template() { # FAMILY STYLE OUT
  {
    echo "page: {size: A4}"
    if [ -n "$2" ]; then
      echo "fonts: {f: {family: \"$1\", style: $2}}"
    else
      echo "fonts: {f: {family: \"$1\"}}"
    fi
    echo "elements:"
    echo "  - {text: \"{ho_ten}\", box: [10, 20, 190, 20], font: f, size: 16}"
  } >"$3"
}
marks_pdf_ok() { # DIR: DIR/out.pdf drew $MARKS_CSV's names, every glyph whole
  want_pages "$1/out.pdf" 3
  h column "$MARKS_CSV" 1 >"$1/names.txt"
  helper "exact text of each page" exact "$1/out.pdf" "$1/names.txt"
  qpdf_clean "$1/out.pdf"
  poppler_quiet "$1/out.pdf"
  fonts_ok "$1/out.pdf"
  glyphs_ok "$1/out.pdf"
}

test_font() { # FAMILY STYLE
  local tag d file
  tag=$(printf '%s-%s' "$1" "${2:-Regular}" | tr ' A-Z' '-a-z')
  d="$W/font-$tag"
  mkdir -p "$d"
  font_template "$1" "$2" "$d/t.yaml"
  file=$(fc-match -f '%{file}' "$1:style=${2:-Regular}")
  if "$PY" -c 'import sys; from fontTools.ttLib import TTFont; sys.exit(0 if "CFF " in TTFont(sys.argv[1]) else 1)' "$file" 2>/dev/null; then
    # a CFF .otf cannot be embedded by libharu: refused, clearly, nothing written
    vc "font-$tag" render "$d/t.yaml" "$MARKS_CSV" -o "$d/out.pdf"
    want_rc 1
    want_err 'CFF|TrueType|\.otf|OpenType' "a reason naming CFF/TrueType for $file"
    absent "$d/out.pdf" "refused font"
    return
  fi
  vc "font-$tag" render "$d/t.yaml" "$MARKS_CSV" -o "$d/out.pdf"
  want_rc 0 || return
  marks_pdf_ok "$d"
}

test_font_file() { # FILE LABEL: a TrueType file named by path in the template
  local d="$W/fontfile-$2"
  mkdir -p "$d"
  if [ ! -f "$1" ]; then
    problem "$1 is missing (scripts/deps.sh test fetches it)"
    return
  fi
  printf '%s\n' 'page: {size: A4}' 'fonts:' "  f: {file: \"$1\"}" 'elements:' \
    '  - text: "{ho_ten}"' '    box: [20, 20, 170, 20]' '    font: f' '    size: 20' \
    '    min_size: 8' >"$d/t.yaml"
  vc "fontfile-$2" render "$d/t.yaml" "$MARKS_CSV" -o "$d/out.pdf"
  want_rc 0 || return
  marks_pdf_ok "$d"
}

test_nfd_input() { # decomposed input ("Unicode tổ hợp") comes out precomposed
  local d="$W/nfd"
  mkdir -p "$d"
  font_template "Noto Serif" "" "$d/t.yaml"
  "$PY" -c 'import sys, unicodedata as u
print("ma_sv,ho_ten,lop,thanh_tich,so_tien")
print("0210001," + u.normalize("NFD", "Nguyễn Văn Lực Đỗ Thị Mẫn") + ",K19MN,x,500000")' >"$d/nfd.csv"
  vc nfd render "$d/t.yaml" "$d/nfd.csv" -o "$d/out.pdf"
  want_rc 0 || return
  local txt
  txt=$(pdftotext -enc UTF-8 "$d/out.pdf" - 2>/dev/null | tr -d '\f' | sed '/^$/d')
  [ "$txt" = "Nguyễn Văn Lực Đỗ Thị Mẫn" ] ||
    problem "NFD name extracted as '$txt' ($(printf '%s' "$txt" | od -An -tx1 | head -2 | tr -s ' ')), expected the NFC text"
  glyphs_ok "$d/out.pdf"
}

SPLIT_CSV="$W/split.csv"
printf '%s\n' "$HDR" \
  "0210456,Nguyễn Thị Thu Thảo,K19MN,Đã có thành tích xuất sắc,500000" \
  "0210457,Đinh Văn Đức,K20TH,Đã có thành tích xuất sắc,500000" \
  "0210458,Lương Thị Mẫn,K21MN,Đã có thành tích xuất sắc,500000" >"$SPLIT_CSV"
same_list() { # DIR EXPECTED-LINES WHY
  local got
  got=$(cd "$1" 2>/dev/null && LC_ALL=C ls -A | LC_ALL=C sort)
  local want
  want=$(printf '%s\n' "$2" | LC_ALL=C sort)
  [ "$got" = "$want" ] || problem "$3: $1 holds"$'\n'"$(printf '%s\n' "$got" | sed 's/^/        | /')"$'\n'"      expected"$'\n'"$(printf '%s\n' "$want" | sed 's/^/        | /')"
}
test_split() {
  local d="$W/split" f k=0 nm
  mkdir -p "$d"
  vc split render "$TPL_GK" "$SPLIT_CSV" --split "$d" --name '{ma_sv}-{ho_ten}'
  want_rc 0 || return
  same_list "$d" "0210456-Nguyễn Thị Thu Thảo.pdf
0210457-Đinh Văn Đức.pdf
0210458-Lương Thị Mẫn.pdf" "one PDF per record"
  expected_names "$SPLIT_CSV" "$W/split-names.txt" "$TPL_GK"
  while IFS= read -r nm; do
    k=$((k + 1))
    f=$(sed -n "$((k + 1))p" "$SPLIT_CSV" | cut -d, -f1-2 | tr , -).pdf
    [ -f "$d/$f" ] || continue
    want_pages "$d/$f" 1
    printf "%s\n" "$nm" >"$W/one.txt"
    helper "$f shows its own name" names "$d/$f" "$W/one.txt"
    qpdf_clean "$d/$f"
  done <"$W/split-names.txt"
  [ -f "$d/0210456-Nguyễn Thị Thu Thảo.pdf" ] && glyphs_ok "$d/0210456-Nguyễn Thị Thu Thảo.pdf"
}
test_split_ascii() { # also: the directory is created when missing
  local d="$W/split-ascii/new"
  mkdir -p "$W/split-ascii"
  vc split-ascii render "$TPL_GK" "$SPLIT_CSV" --split "$d" --name '{ma_sv}-{ho_ten}' --ascii
  want_rc 0 || return
  same_list "$d" "0210456-Nguyen Thi Thu Thao.pdf
0210457-Dinh Van Duc.pdf
0210458-Luong Thi Man.pdf" "--ascii file names"
}
test_split_unsafe() { # '/' and control characters never reach the file system
  local d="$W/unsafe" f
  mkdir -p "$d/out"
  printf '%s\n' "$HDR" \
    "0210456,Nguyễn Thị Thu Thảo,K19/MN,x,500000" \
    "0210457,Đinh Văn Đức,\"K20	TH\",x,500000" \
    "0210458,Lương Thị Mẫn,../../K21,x,500000" >"$d/data.csv"
  vc unsafe render "$TPL_GK" "$d/data.csv" --split "$d/out" --name '{lop}-{ma_sv}'
  want_rc 0 || return
  same_list "$d" "data.csv
out" "nothing written beside the split directory"
  local n
  n=$(find "$d/out" -mindepth 1 | wc -l)
  [ "$n" -eq 3 ] || problem "expected 3 files directly in the split directory, found: $(cd "$d/out" && find . -mindepth 1 | tr '\n' ' ')"
  find "$d/out" -mindepth 1 ! -type f | grep -q . && problem "the split directory holds non-files: $(find "$d/out" -mindepth 1 ! -type f)"
  for f in "$d"/out/*; do
    case $(basename "$f") in
      *[[:cntrl:]]*) problem "control character kept in the file name $(basename "$f" | od -c | head -1)" ;;
      .*) problem "hidden file name: $(basename "$f")" ;;
    esac
  done
  find "$d/out" -name '*0210456*' | grep -q . || problem "no file for record 0210456 (lop K19/MN)"
}
test_split_collision() {
  local d="$W/collide"
  mkdir -p "$d/out"
  printf '%s\n' "$HDR" \
    "0210456,Nguyễn Thị Thu Thảo,K19MN,x,500000" \
    "0210457,Đinh Văn Đức,K20TH,x,500000" \
    "0210999,Nguyễn Thị Thu Thảo,K21MN,x,500000" >"$d/data.csv"
  vc collide render "$TPL_GK" "$d/data.csv" --split "$d/out" --name '{ho_ten}'
  want_rc 1
  want_err 'Nguyễn Thị Thu Thảo|same|collid|twice|duplicate|trùng' "a message naming the clash"
  want_err 'data\.csv:(2|4)\b' "the data file:line of a clashing record"
  same_list "$d/out" "" "a clash writes nothing"
  # names that clash only once folded to ASCII ("Đức"/"Dức") are also caught
  printf '%s\n' "$HDR" "0210001,Vi Văn Đức,K19MN,x,500000" "0210002,Vi Văn Dức,K19MN,x,500000" >"$d/fold.csv"
  vc collide2 render "$TPL_GK" "$d/fold.csv" --split "$d/out" --name '{ho_ten}' --ascii
  want_rc 1
  same_list "$d/out" "" "an --ascii clash writes nothing"
}
test_split_existing() {
  local d="$W/exist" f
  mkdir -p "$d/out"
  f="$d/out/0210456-Nguyễn Thị Thu Thảo.pdf"
  echo "the clerk's signed copy" >"$f"
  cp "$f" "$d/keep"
  vc exist render "$TPL_GK" "$SPLIT_CSV" --split "$d/out" --name '{ma_sv}-{ho_ten}'
  want_rc 1
  want_err '0210456-Nguyễn Thị Thu Thảo\.pdf' "the existing file's name"
  want_err 'overwrite' "a hint about --overwrite"
  same_file "$f" "$d/keep" "no --overwrite"
  vc exist2 render "$TPL_GK" "$SPLIT_CSV" --split "$d/out" --name '{ma_sv}-{ho_ten}' --overwrite
  want_rc 0 || return
  want_pages "$f" 1
  [ "$(ls "$d/out" | wc -l)" -eq 3 ] || problem "--overwrite: expected 3 files, got: $(ls "$d/out")"
}

test_split_batches() { # more records than one document holds: several batches, one commit
  local d="$W/batches" i f n
  mkdir -p "$d"
  "$PY" - "$d/data.csv" "$HDR" <<'EOF'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(sys.argv[2] + "\n")
    for i in range(1, 2101):
        f.write("SV%05d,Nguyễn Văn Đức %d,K%dMN,Đã có thành tích xuất sắc,500000\n" % (i, i, 19 + i % 4))
EOF
  vc batches render "$TPL_GK" "$d/data.csv" --split "$d/out" --name '{ma_sv}'
  want_rc 0 || return
  n=$(find "$d/out" -mindepth 1 -name 'SV*.pdf' | wc -l)
  [ "$n" -eq 2100 ] || problem "expected 2100 files, found $n"
  find "$d/out" -mindepth 1 ! -name 'SV*.pdf' | grep -q . &&
    problem "other files left: $(find "$d/out" -mindepth 1 ! -name 'SV*.pdf' | head -3)"
  for i in 1 1000 1001 2100; do
    f=$(printf '%s/out/SV%05d.pdf' "$d" "$i")
    want_pages "$f" 1
    pdftotext -enc UTF-8 "$f" - 2>/dev/null | grep -qx "NGUYỄN VĂN ĐỨC $i" ||
      problem "$(basename "$f") does not show NGUYỄN VĂN ĐỨC $i"
    qpdf_clean "$f"
    poppler_quiet "$f"
  done
  glyphs_ok "$d/out/SV02100.pdf"
}

test_rows() {
  local d="$W/rows"
  mkdir -p "$d"
  vc rows render "$TPL_GK" "$EX_GK" -o "$d/out.pdf" --rows 3,7-9
  want_rc 0 || return
  want_pages "$d/out.pdf" 4
  expected_names "$EX_GK" "$d/all.txt" "$TPL_GK"
  sed -n '3p;7p;8p;9p' "$d/all.txt" >"$d/want.txt"
  helper "records 3,7,8,9 in that order" names "$d/out.pdf" "$d/want.txt"
  vc rows2 render "$TPL_GK" "$EX_GK" -o "$d/bad.pdf" --rows 11
  [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ] || problem "$CMD (10 records): exit $RC, expected 1 or 2"
  absent "$d/bad.pdf" "--rows past the last record"
}

test_volumes() {
  local d="$W/vol" k
  mkdir -p "$d"
  vc vol render "$TPL_GK" "$EX_GK" -o "$d/gk.pdf" --volume-pages 4
  want_rc 0 || return
  same_list "$d" "gk-001.pdf
gk-002.pdf
gk-003.pdf" "three volumes of 4+4+2 pages"
  expected_names "$EX_GK" "$d/all.txt" "$TPL_GK"
  for k in 1 2 3; do
    [ -f "$d/gk-00$k.pdf" ] || continue
    want_pages "$d/gk-00$k.pdf" "$([ $k -lt 3 ] && echo 4 || echo 2)"
    sed -n "$(((k - 1) * 4 + 1)),$((k * 4))p" "$d/all.txt" >"$d/want$k.txt"
    helper "gk-00$k.pdf holds its records in order" names "$d/gk-00$k.pdf" "$d/want$k.txt"
  done
  qpdf_clean "$d/gk-003.pdf"
}

test_check_good() {
  local tpl csv
  for pair in "$TPL_GK|$EX_GK" "$TPL_BN|$EX_HB"; do
    tpl=${pair%%|*} csv=${pair#*|}
    vc check-good check "$tpl" "$csv"
    want_rc 0
    grep -Eqi 'error|warning|lỗi|cannot|invalid|:[0-9]+:' "$ERR" "$OUT" &&
      problem "$CMD printed something alarming:"$'\n'"$(first "$ERR" 4)$(first "$OUT" 4)"
  done
}

# line -> regex of a recognisable message (case-insensitive)
BAD_LINES=(
  "3|field|column|cột|too few|expected 5|missing"
  "4|UTF-8|utf8|encoding|byte"
  "5|empty|required|missing|trống"
  "6|amount|số tiền|so_tien|money|number|năm triệu"
  "7|amount|số tiền|so_tien|money|number|5\\.000\\.00"
  "8|fit"
  "9|U\\+6F22|漢|font|character"
)
test_check_bad() { # TEMPLATE
  vc check-bad check "$1" "$W/bad/all.csv"
  want_rc 1
  local spec line re uses_amount=1
  grep -Eq '^ *so_tien:|\{ *so_tien' "$1" || uses_amount=0
  for spec in "${BAD_LINES[@]}"; do
    line=${spec%%|*} re=${spec#*|}
    if [ $uses_amount -eq 0 ] && { [ "$line" = 6 ] || [ "$line" = 7 ]; }; then continue; fi
    if ! grep -E "all\.csv:$line(:[0-9]+)?: " "$ERR" | grep -Eqi -- "$re"; then
      problem "$CMD: no 'all.csv:$line: ...' message matching /$re/"
    fi
  done
  grep -E 'all\.csv:2(:[0-9]+)?: ' "$ERR" | grep -q . && problem "the good record (line 2) was reported: $(grep -E 'all\.csv:2(:|\b)' "$ERR" | head -2)"
  [ -n "$ERRS" ] && problem "stderr was:"$'\n'"$(first "$ERR" 14)"
}

test_check_template() {
  local d="$W/tpl" line bcol ccol
  cp -R "$ROOT/templates" "$d"
  # an unknown placeholder: reported at its place in the template
  line=$(grep -n '{lop' "$d/giay-khen.yaml" | head -1 | cut -d: -f1)
  if [ -z "$line" ]; then
    problem "templates/giay-khen.yaml has no {lop} placeholder to misspell"
  else
    sed -i "${line}s/{lop/{lop_hoc_sai/" "$d/giay-khen.yaml"
    # accept a 1-based column in bytes or characters, of '{' or of the name
    bcol=$(sed -n "${line}p" "$d/giay-khen.yaml" | awk '{print index($0, "{lop_hoc_sai")}')
    ccol=$(sed -n "${line}p" "$d/giay-khen.yaml" | "$PY" -c 'import sys; print(sys.stdin.read().index("{lop_hoc_sai") + 1)')
    vc tpl-unknown check "$d/giay-khen.yaml" "$EX_GK"
    want_rc 1
    grep -Eq "giay-khen\.yaml:$line:($bcol|$((bcol + 1))|$ccol|$((ccol + 1))): .*lop_hoc_sai" "$ERR" ||
      problem "$CMD: no 'giay-khen.yaml:$line:$ccol: ...lop_hoc_sai...' message (column $ccol in characters or $bcol in bytes):"$'\n'"$(first "$ERR" 6)"
    vc tpl-unknown2 render "$d/giay-khen.yaml" "$EX_GK" -o "$d/x.pdf"
    want_rc 1
    absent "$d/x.pdf" "unknown placeholder"
  fi
  # a column the template needs is missing from the data
  "$PY" -c 'import csv, sys
r = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
w = csv.writer(sys.stdout, lineterminator="\n")
for row in r: w.writerow([row[0], row[1], row[2], row[4]])' "$EX_GK" >"$d/nott.csv"
  vc tpl-missing check "$TPL_GK" "$d/nott.csv"
  want_rc 1
  want_err "giay-khen\\.yaml:$(grep -n '^ *thanh_tich:' "$TPL_GK" | head -1 | cut -d: -f1)\\b" "the template's file:line of the field thanh_tich"
  want_err 'thanh_tich|Thành tích' "the missing field"
  grep -q 'ho_ten' "$ERR" && grep -q 'ma_sv' "$ERR" && grep -q 'so_tien' "$ERR" ||
    problem "$CMD: the message does not list the columns found (ma_sv, ho_ten, lop, so_tien):"$'\n'"$(first "$ERR" 6)"
  vc tpl-missing2 render "$TPL_GK" "$d/nott.csv" -o "$d/y.pdf"
  want_rc 1
  absent "$d/y.pdf" "missing column"
}

test_render_bad() { # every bad input: exit 1, nothing written, old output kept
  local d="$W/render-bad" f tag tpl
  mkdir -p "$d"
  for f in "$W"/bad/?-*.csv "$W/bad/all.csv"; do
    tag=$(basename "$f" .csv)
    tpl=$TPL_BN # the receipt has an amount whatever the certificate shows
    vc "rb-$tag" render "$tpl" "$f" -o "$d/new-$tag.pdf"
    want_rc 1
    absent "$d/new-$tag.pdf" "bad input $tag"
    printf '%%PDF-1.4\n%% the earlier good print run\n' >"$d/old-$tag.pdf"
    cp "$d/old-$tag.pdf" "$d/copy-$tag"
    vc "rb2-$tag" render "$tpl" "$f" -o "$d/old-$tag.pdf"
    want_rc 1
    same_file "$d/old-$tag.pdf" "$d/copy-$tag" "bad input $tag"
    vc "rb3-$tag" render "$tpl" "$f" --split "$d/split-$tag" --name '{ma_sv}'
    want_rc 1
    [ -z "$(ls -A "$d/split-$tag" 2>/dev/null)" ] || problem "bad input $tag: --split wrote $(ls "$d/split-$tag")"
  done
  # no temporary file left behind
  local stray="" g
  for g in "$d"/* "$d"/.[!.]*; do
    [ -e "$g" ] || continue
    case ${g##*/} in
      old-*.pdf | copy-* | split-*) ;;
      *) stray="$stray ${g##*/}" ;;
    esac
  done
  [ -z "$stray" ] || problem "files left in the output directory: $stray"
}

test_line_numbers() { # physical lines: BOM, CRLF, a quoted cell on two lines
  local d="$W/lines"
  mkdir -p "$d"
  printf '\357\273\277' >"$d/l.csv"
  printf '%s\r\n' 'Mã SV;Họ và tên;Lớp;Thành tích;Số tiền' \
    '0210001;Vi Thị Hồng Nhung;K20MN;"Dòng một' 'dòng hai";5.000.000' \
    '0210002;Hà Văn Bình;K19TH;"Có ""ngoặc kép"" và ; chấm phẩy";5.000.000' \
    '0210003;;K19MN;x;5.000.000' >>"$d/l.csv"
  vc lines check "$TPL_BN" "$d/l.csv"
  want_rc 1
  grep -Eq 'l\.csv:5(:[0-9]+)?: ' "$ERR" ||
    problem "$CMD: the empty name on physical line 5 is not reported as l.csv:5:"$'\n'"$(first "$ERR" 4)"
  grep -Eq 'l\.csv:[1-4](:[0-9]+)?: ' "$ERR" && problem "$CMD: good lines reported:"$'\n'"$(first "$ERR" 4)"
  sed -i '$d' "$d/l.csv" # without the bad record: the quotes are read right
  vc lines2 render "$TPL_BN" "$d/l.csv" -o "$d/l.pdf"
  want_rc 0 || return
  printf '%s\n' "Dòng một dòng hai" 'Có "ngoặc kép" và ; chấm phẩy' >"$d/want.txt"
  helper "multi-line and quoted cells" names "$d/l.pdf" "$d/want.txt"
}

test_no_records() {
  local d="$W/empty"
  mkdir -p "$d"
  printf '%s\n' "$HDR" >"$d/h.csv"
  vc empty render "$TPL_GK" "$d/h.csv" -o "$d/h.pdf"
  want_rc 1
  want_err 'no record|empty|nothing' "a message saying the list is empty"
  absent "$d/h.pdf" "a list without records"
}

test_own_inputs() { # -o naming the data or the template file never destroys it
  local d="$W/own"
  mkdir -p "$d"
  cp "$EX_GK" "$d/ds.csv"
  cp "$EX_GK" "$d/ds.bak"
  vc own render "$TPL_GK" "$d/ds.csv" -o "$d/ds.csv"
  [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ] || problem "$CMD: exit $RC, expected 1 or 2 (output = the data file)"
  same_file "$d/ds.csv" "$d/ds.bak" "-o onto the data file"
  cp -R "$ROOT/templates" "$d/t"
  cp "$d/t/giay-khen.yaml" "$d/t.bak"
  vc own2 render "$d/t/giay-khen.yaml" "$d/ds.bak" -o "$d/t/giay-khen.yaml"
  [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ] || problem "$CMD: exit $RC, expected 1 or 2 (output = the template)"
  same_file "$d/t/giay-khen.yaml" "$d/t.bak" "-o onto the template"
}

test_usage() {
  local d="$W/usage"
  mkdir -p "$d"
  local -a cases=(
    ""
    "frobnicate"
    "render --no-such-option $TPL_GK $EX_GK -o $d/x.pdf"
    "render $TPL_GK"
    "render $TPL_GK $EX_GK"
    "render $TPL_GK $EX_GK -o"
    "render $TPL_GK $EX_GK -o $d/x.pdf --rows"
    "check $TPL_GK"
    "proof"
    "words"
    "render $TPL_GK $EX_GK -o $d/x.pdf --fonts-dir $d/no-such-folder"
    "render $TPL_GK $EX_GK -o $d/x.pdf --fonts-dir $TPL_GK"
    "fonts --fonts-dir $d/no-such-folder"
  )
  local c
  for c in "${cases[@]}"; do
    # shellcheck disable=SC2086 # word splitting wanted: no spaces in these paths
    vc usage $c
    want_rc 2
    want_err 'usage' "a usage message"
  done
  vc usage render "$TPL_GK" "$EX_GK" -o "$d/x.pdf" --volume-pages abc
  want_rc 2
  want_err 'volume-pages' "a message naming --volume-pages"
  vc usage render "$TPL_GK" "$EX_GK" -o "$d/x.pdf" --fonts-dir "$TPL_GK"
  want_err 'fonts-dir.*not a folder' "a message saying --fonts-dir is not a folder"
  # a folder is looked through one level deep only: /usr at once, no fonts
  vc usage render "$TPL_GK" "$EX_GK" -o "$d/x.pdf" --fonts-dir /usr
  want_rc 1
  want_err 'no font file' "a message saying /usr holds no font file"
  absent "$d/x.pdf" "usage errors"
}

test_help() {
  local c
  vc help --help
  want_rc 0
  grep -qi usage "$OUT" || problem "$CMD: no usage on stdout"
  for c in render check proof fonts words; do
    vc help "$c" --help
    want_rc 0
    grep -qi usage "$OUT" && grep -q "$c" "$OUT" || problem "$CMD: stdout lacks a usage line naming $c: $(head -c 200 "$OUT")"
  done
  vc version --version
  want_rc 0
  grep -Eq '^vncert [0-9]+\.[0-9]+' "$OUT" || problem "$CMD: printed '$(head -c 100 "$OUT")', expected 'vncert X.Y...'"
}

test_words() {
  local spec n want got
  for spec in "5000000|năm triệu" "105|một trăm linh năm" "0|không" "10|mười" \
    "14|mười bốn" "15|mười lăm" "21|hai mươi mốt" "24|hai mươi tư" "25|hai mươi lăm" \
    "104|một trăm linh bốn" "1001|một nghìn không trăm linh một" \
    "1005000|một triệu không trăm linh năm nghìn" "3000500|ba triệu năm trăm" \
    "2050000|hai triệu không trăm năm mươi nghìn" "1000000000|một tỷ" \
    "115|một trăm mười lăm" "21000|hai mươi mốt nghìn" "2024|hai nghìn không trăm hai mươi tư" \
    "1000000000000|một nghìn tỷ" "5.000.000|năm triệu" "5.000.000 đ|năm triệu"; do
    n=${spec%%|*} want=${spec#*|}
    vc words words "$n"
    want_rc 0 || continue
    got=$(cat "$OUT")
    [ "$got" = "$want" ] || problem "$CMD: '$got', expected '$want'"
  done
  vc words words --dong 5000000
  want_rc 0 && [ "$(cat "$OUT")" = "Năm triệu đồng chẵn" ] ||
    problem "$CMD: '$(cat "$OUT")', expected 'Năm triệu đồng chẵn'"
  vc words words abc
  want_rc 1
  [ -s "$ERR" ] || problem "$CMD: no message on stderr"
  vc words words "năm triệu"
  want_rc 1
}

# The lines of one family's block in `vncert fonts` (family line, then its
# indented styles).
font_block() { # FAMILY FILE
  awk -v fam="$1" '/^[^ \t]/ { n = $0; sub(/[ \t]+\(.*$/, "", n); sub(/[ \t]+$/, "", n); inb = (n == fam) }
    inb { print }' "$2"
}
test_fonts_cmd() {
  vc fonts fonts
  want_rc 0 || return
  font_block "Noto Serif" "$OUT" | grep -qi 'bundled' ||
    problem "$CMD: Noto Serif is not marked bundled:"$'\n'"$(font_block "Noto Serif" "$OUT" | head -6 | sed 's/^/        /')"
  # each installed CFF-flavoured .otf that covers Vietnamese is marked
  local f fam
  while IFS= read -r f; do
    "$PY" -c 'import sys; from fontTools.ttLib import TTFont; sys.exit(0 if "CFF " in TTFont(sys.argv[1]) else 1)' "$f" 2>/dev/null || continue
    fam=$(fc-query -f '%{family[0]}\n' "$f" | head -1)
    font_block "$fam" "$OUT" | grep -Eqi 'CFF|not embeddable|not usable|cannot|unusable' ||
      problem "$CMD: $fam ($f, CFF) is not marked as not embeddable:"$'\n'"$(font_block "$fam" "$OUT" | head -4 | sed 's/^/        /')"
  done < <(fc-list ':lang=vi' file | sed 's/: *$//' | grep -i '\.otf$' | sort -u)
}

test_proof() { # TEMPLATE TAG
  local d="$W/proof-$2" label missing=""
  mkdir -p "$d"
  vc "proof-$2" proof "$1" -o "$d/p.pdf"
  want_rc 0 || return
  want_pages "$d/p.pdf" 1
  pdf_ok "$d/p.pdf"
  h labels "$1" >"$d/labels.txt"
  [ -s "$d/labels.txt" ] || problem "no static label found in $(basename "$1")"
  while IFS= read -r label; do
    h contains "$d/p.pdf" "$label" >/dev/null 2>&1 || missing="$missing '$label'"
  done <"$d/labels.txt"
  [ -z "$missing" ] || problem "proof lacks the labels:$missing"
  vc "proof-$2-data" proof "$1" -o "$d/q.pdf" --data "$EX_GK"
  want_rc 0 || return
  qpdf_clean "$d/q.pdf"
  glyphs_ok "$d/q.pdf"
}

test_atomic() {
  local d="$W/atomic"
  mkdir -p "$d"
  echo "not a directory" >"$d/file"
  vc atomic render "$TPL_GK" "$EX_GK" -o "$d/file/out.pdf"
  want_rc 1
  want_err 'file/out\.pdf' "the path it could not write"
  want_err 'not a directory|cannot|can.t|could not|permission|denied|write|không' "why"
  same_list "$d" "file" "failed write"
  vc atomic2 render "$TPL_GK" "$EX_GK" --split "$d/file/dir" --name '{ma_sv}'
  want_rc 1
  want_err 'file/dir' "the directory it could not create"
  if [ "$(id -u)" != 0 ]; then
    mkdir -p "$d/ro"
    chmod 555 "$d/ro"
    vc atomic3 render "$TPL_GK" "$EX_GK" -o "$d/ro/out.pdf"
    want_rc 1
    want_err 'ro/out\.pdf' "the path it could not write"
    [ -z "$(ls -A "$d/ro")" ] || problem "files left in a read-only directory"
    chmod 755 "$d/ro"
  fi
  # a successful render leaves exactly its output, no temporary file
  mkdir -p "$d/ok"
  vc atomic4 render "$TPL_BN" "$EX_HB" -o "$d/ok/r.pdf"
  want_rc 0
  same_list "$d/ok" "r.pdf" "a successful render"
  # rendering again replaces the earlier PDF (scripts/demo.sh relies on it)
  vc atomic5 render "$TPL_BN" "$EX_HB" -o "$d/ok/r.pdf" --rows 1
  want_rc 0
  want_pages "$d/ok/r.pdf" 1
  same_list "$d/ok" "r.pdf" "a render over an earlier PDF"
}

# `make install` with its own PREFIX; the installed binary then finds its
# templates and fonts in PREFIX/share/vncert from any working directory.
test_install() {
  local d="$W/install" mf
  mkdir -p "$d/elsewhere"
  # the jobserver of a calling make is not ours to use; its variables
  # (CFLAGS of the ASan run) are kept
  mf=$(printf '%s' "${MAKEFLAGS:-}" | sed -e 's/--jobserver-[a-z]*=[^ ]*//g' -e 's/\(^\| \)-j[0-9]*//g')
  if ! MAKEFLAGS="$mf" timeout 300 make -s -C "$ROOT" -j"$(nproc)" BUILD="$d/b" PREFIX="$d/inst" install >"$d/make.log" 2>&1; then
    problem "make BUILD=... PREFIX=$d/inst install failed:"$'\n'"$(tail -5 "$d/make.log")"
    return
  fi
  [ -x "$d/inst/bin/vncert" ] || { problem "no $d/inst/bin/vncert"; return; }
  grep -q "$d/inst/share/vncert" "$d/inst/bin/vncert" ||
    problem "the installed binary does not contain its data directory $d/inst/share/vncert"
  local rc
  (cd "$d/elsewhere" && timeout 60 "$d/inst/bin/vncert" render "$d/inst/share/vncert/templates/giay-khen.yaml" \
    "$EX_GK" -o X.pdf >"$d/out" 2>"$d/err")
  rc=$?
  if [ $rc -ne 0 ]; then
    problem "installed vncert render (from another directory): exit $rc:"$'\n'"$(first "$d/err" 6)"
    return
  fi
  CMD="installed vncert render" vi_back "$d/out" "$d/err"
  want_pages "$d/elsewhere/X.pdf" 10
  fonts_ok "$d/elsewhere/X.pdf"
  (cd "$d/elsewhere" && timeout 60 "$d/inst/bin/vncert" fonts >"$d/fonts" 2>&1)
  CMD="installed vncert fonts" vi_back "$d/fonts"
  font_block "Noto Serif" "$d/fonts" | grep -qi bundled ||
    problem "installed vncert fonts: Noto Serif not listed as bundled:"$'\n'"$(font_block "Noto Serif" "$d/fonts" | head -6 | sed 's/^/        /')"
  # its messages in Vietnamese from share/locale (issue 14), the build tree gone
  [ -f "$d/inst/share/locale/vi/LC_MESSAGES/vncert.mo" ] || problem "no share/locale/vi/LC_MESSAGES/vncert.mo installed"
  rm -rf "$d/b"
  (cd "$d/elsewhere" && env -u LC_ALL -u LANGUAGE LANG=vi_VN.UTF-8 timeout 60 "$d/inst/bin/vncert" render \
    "$d/inst/share/vncert/templates/giay-khen.yaml" none.csv -o Y.pdf >/dev/null 2>"$d/vi.err")
  (cd "$d/elsewhere" && env -u LC_ALL -u LANGUAGE LANG=C.UTF-8 timeout 60 "$d/inst/bin/vncert" render \
    "$d/inst/share/vncert/templates/giay-khen.yaml" none.csv -o Y.pdf >/dev/null 2>"$d/en.err")
  cmp -s "$d/vi.err" "$d/en.err" && problem "installed vncert under LANG=vi_VN.UTF-8 speaks English:"$'\n'"$(first "$d/vi.err" 3)"
}

# scripts/demo.sh (`make demo`) says how many pages each PDF has from
# vncert's own summary: right even where no PDF tool is installed (here a
# pdfinfo that fails stands for none).
test_demo() {
  local d="$W/demo" o
  mkdir -p "$d/root/scripts" "$d/bin"
  cp "$ROOT/scripts/demo.sh" "$d/root/scripts/"
  cp -R "$ROOT/templates" "$ROOT/examples" "$d/root/"
  printf '#!/bin/sh\nexit 1\n' >"$d/bin/pdfinfo"
  chmod +x "$d/bin/pdfinfo"
  PATH="$d/bin:$PATH" timeout 120 "$d/root/scripts/demo.sh" "$BIN" >"$d/out" 2>"$d/err"
  o=$?
  [ $o -eq 0 ] || { problem "scripts/demo.sh: exit $o:"$'\n'"$(first "$d/err" 6)"; return; }
  grep -Fqx "  $d/root/out/giay-khen.pdf  (pages: 10)" "$d/out" ||
    problem "demo: giay-khen.pdf not shown with 10 pages:"$'\n'"$(first "$d/out" 30 | grep -F '.pdf')"
  grep -Fqx "  $d/root/out/bien-nhan-hoc-bong.pdf  (pages: 4)" "$d/out" ||
    problem "demo: bien-nhan-hoc-bong.pdf not shown with 4 pages"
  grep -Fqx "  $d/root/out/giay-khen-proof.pdf  (pages: 1)" "$d/out" ||
    problem "demo: the proof not shown with 1 page"
  grep -Fqx "  $d/root/out/nhan-phong-bi.pdf  (pages: 1)" "$d/out" ||
    problem "demo: the envelope labels not shown with 1 page"
  [ "$(grep -c '/bien-nhan/.*\.pdf  (pages: 1)$' "$d/out")" -eq 4 ] ||
    problem "demo: not 4 receipts of 1 page each:"$'\n'"$(grep -F '.pdf' "$d/out" | head -8)"
  # the school's workbook (issue 7), with both templates
  grep -Fqx "  $d/root/out/danh-sach-giay-khen.pdf  (pages: 10)" "$d/out" ||
    problem "demo: danh-sach-giay-khen.pdf not shown with 10 pages:"$'\n'"$(grep -F '.pdf' "$d/out" | head -8)"
  grep -Fqx "  $d/root/out/danh-sach-bien-nhan.pdf  (pages: 4)" "$d/out" ||
    problem "demo: danh-sach-bien-nhan.pdf not shown with 4 pages"
  want_pages "$d/root/out/danh-sach-giay-khen.pdf" 10
  want_pages "$d/root/out/danh-sach-bien-nhan.pdf" 4
}

# tests/tools/vi_messages.py (the Vietnamese run's back-translation and its
# check for English left over) on its own synthetic catalogue: any locale.
test_vi_messages() {
  local o
  o=$("$PY" "$ROOT/tests/tools/test_vi_messages.py" 2>&1) ||
    problem "tests/tools/test_vi_messages.py:"$'\n'"$(printf '%s\n' "$o" | head -12 | sed 's/^/        /')"
}

# ---- run --------------------------------------------------------------------
t "render giay-khen: 10 pages, names upper-cased, fonts, boxes" test_render_giaykhen
t "render bien-nhan-hoc-bong: 4 pages, amount in words" test_render_receipt
t "longest names, achievements, IDs, classes fit every shipped template" test_long_fields
t "render -q prints nothing" test_quiet
t "fonts: Noto Serif" test_font "Noto Serif" ""
t "fonts: DejaVu Sans" test_font "DejaVu Sans" ""
t "fonts: DejaVu Sans Bold" test_font "DejaVu Sans" Bold
t "fonts: DejaVu Serif Bold" test_font "DejaVu Serif" Bold
t "fonts: EB Garamond .otf (CFF) refused with a reason" test_font "EB Garamond" ""
t "fonts: EB Garamond (TrueType)" test_font_file "$ROOT/.cache/test-fonts/EBGaramond-Regular.ttf" ebg
t "fonts: EB Garamond Bold (TrueType)" test_font_file "$ROOT/.cache/test-fonts/EBGaramond-Bold.ttf" ebgb
t "fonts: Lato" test_font "Lato" ""
t "decomposed (NFD) input is drawn precomposed" test_nfd_input
t "split: one file per record, named {ma_sv}-{ho_ten}" test_split
t "split --ascii, into a new directory" test_split_ascii
t "split: '/' and control characters made safe" test_split_unsafe
t "split: two records, one file name: exit 1, nothing written" test_split_collision
t "split: existing file kept without --overwrite" test_split_existing
t "split: 2,100 records in several batches" test_split_batches
t "--rows 3,7-9" test_rows
t "--volume-pages 4: 3 files of 4+4+2 pages" test_volumes
t "check: good data" test_check_good
t "check: every problem of a bad list, giay-khen" test_check_bad "$TPL_GK"
t "check: every problem of a bad list, bien-nhan" test_check_bad "$TPL_BN"
t "check: unknown placeholder, missing column" test_check_template
t "render on bad input: exit 1, nothing written" test_render_bad
t "line numbers: BOM, CRLF, quoted multi-line cells" test_line_numbers
t "a list without records: exit 1, nothing written" test_no_records
t "-o onto the data or template file is refused" test_own_inputs
t "usage errors exit 2" test_usage
t "--help and --version" test_help
t "words" test_words
t "fonts command" test_fonts_cmd
t "proof giay-khen" test_proof "$TPL_GK" gk
t "proof bien-nhan-hoc-bong" test_proof "$TPL_BN" bn
t "atomic output" test_atomic
t "make install PREFIX=... and run from elsewhere" test_install
t "make demo: page counts without PDF tools, the school's workbook with both templates" test_demo
t "Vietnamese output back to English, English left in it (vi_messages.py self-test)" test_vi_messages
# issue 3: recipient lists (data, encodings, workbooks, choosing, order, robustness)
# shellcheck source=tests/e2e/data-tests.sh
. "$ROOT/tests/e2e/data-tests.sh"
# issue 6: what vncert writes (photos, interrupted runs, volumes, paths, options)
# shellcheck source=tests/e2e/output-tests.sh
. "$ROOT/tests/e2e/output-tests.sh"
# issue 7: the table's shape (title rows, footers, hidden rows)
# shellcheck source=tests/e2e/shape-tests.sh
. "$ROOT/tests/e2e/shape-tests.sh"
# issue 6: template hardening (text caps, locales, UTF-16, min_size)
# shellcheck source=tests/e2e/template-tests.sh
. "$ROOT/tests/e2e/template-tests.sh"
# issue 7: lists as schools lay them out (title rows, footers, merged cells,
# formulas, hidden rows) and examples/danh-sach-khen-thuong.xlsx
# shellcheck source=tests/e2e/school-list-tests.sh
. "$ROOT/tests/e2e/school-list-tests.sh"

# shellcheck source=tests/e2e/workbook-tests.sh
. "$ROOT/tests/e2e/workbook-tests.sh"
# issue 8: the public API, installed, through examples/api
# shellcheck source=tests/e2e/api-tests.sh
. "$ROOT/tests/e2e/api-tests.sh"
# issue 10: printing through a real CUPS scheduler
# shellcheck source=tests/e2e/print-tests.sh
. "$ROOT/tests/e2e/print-tests.sh"

# issue 9: the issuance ledger's commands (SQLite and PostgreSQL)
# shellcheck source=tests/e2e/ledger-tests.sh
. "$ROOT/tests/e2e/ledger-tests.sh"

# issue 11: verifiable certificates (signed QR codes, verify, revoke)
# shellcheck source=tests/e2e/verify-tests.sh
. "$ROOT/tests/e2e/verify-tests.sh"
# issue 11: the verification page, in a real browser
# shellcheck source=tests/e2e/verify-page-tests.sh
. "$ROOT/tests/e2e/verify-page-tests.sh"
# issue 12: the ceremony-day kiosk's server (protocol, printer faults)
# shellcheck source=tests/e2e/kiosk-tests.sh
. "$ROOT/tests/e2e/kiosk-tests.sh"
# issue 12: the ceremony-day kiosk's pages, in a real browser
# shellcheck source=tests/e2e/kiosk-browser-tests.sh
. "$ROOT/tests/e2e/kiosk-browser-tests.sh"

# issue 13: list documents (the signed disbursement list)
# shellcheck source=tests/e2e/list-tests.sh
. "$ROOT/tests/e2e/list-tests.sh"

# issue 13: label sheets (gLabels products, presets, custom grids)
# shellcheck source=tests/e2e/sheet-tests.sh
. "$ROOT/tests/e2e/sheet-tests.sh"

echo "(e2e took $(($(date +%s) - T0)) s)"
echo "e2e: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
