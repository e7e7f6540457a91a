# shellcheck shell=bash
# End-to-end tests of issue 13's lists (point 3): templates/danh-sach-ky-nhan.yaml
# and list: sections of the tests' own, checked from outside by
# tests/e2e/list_check.py (pdftotext -bbox and -layout against the CSV): the
# total is the CSV's sum (computed in Python), its words are right, the column
# headers are on every page, no row is split, STT runs 1..N, "Trang i/N", the
# signatures on the page of the last row.  Sourced by tests/e2e/run.sh before
# its summary: uses its $BIN, $W, $PY, $ROOT, t, vc, want_rc, want_err,
# want_pages, problem, absent, pdf_ok.  Every input is made here, in $W/d13l.

D13L="$W/d13l"
mkdir -p "$D13L"
TPL_DS="$ROOT/templates/danh-sach-ky-nhan.yaml"
LCHECK="$ROOT/tests/e2e/list_check.py"
DS_COLS="15,12,58,24,32,54" # the shipped template's x and column widths (mm)

# list_ok PDF CSV [WORDS]: list_check.py passes; its output in $LIST_OUT
# ("TOTAL<TAB>WORDS<TAB>ROWS-ON-THE-LAST-PAGE").
list_ok() {
  local o
  if [ $# -ge 3 ]; then
    o=$("$PY" "$LCHECK" "$1" "$2" --cols "$DS_COLS" --words "$3" 2>&1)
  else
    o=$("$PY" "$LCHECK" "$1" "$2" --cols "$DS_COLS" 2>&1)
  fi || { problem "list_check.py $(basename "$1"):"$'\n'"$(printf '%s\n' "$o" | head -10 | sed 's/^/        /')"; return 1; }
  LIST_OUT=$o
}

# gen_list N OUT [SEED]: N rows "Họ và tên;Lớp;Số tiền" (every 7th name long
# enough to wrap to two or three lines in its column).
gen_list() {
  "$PY" - "$1" "$2" "${3:-13}" <<'EOF'
import random, sys
n, out, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = random.Random(seed)
ho = ["Nguyễn", "Hoàng", "Nông", "Lương", "Vi", "Triệu", "Lăng", "Hà", "Đinh", "Lộc", "Đàm", "Hứa"]
dem = ["Thị", "Văn", "Hồng", "Ngọc", "Đức", "Thu", "Minh", "Thị Ngọc", "Văn Quốc"]
ten = ["Thảo", "Lực", "Mẫn", "Vỹ", "Dương", "Hường", "Ẫn", "Đạt", "Nhung", "Tình", "Diễm"]
with open(out, "w", encoding="utf-8") as f:
    f.write("Họ và tên;Lớp;Số tiền\n")
    for i in range(n):
        name = "%s %s %s" % (rng.choice(ho), rng.choice(dem), rng.choice(ten))
        if i % 7 == 3:
            name = "%s %s" % (name, " ".join(rng.choice(dem) for _ in range(2 + i % 9)))
        amount = rng.randrange(1, 81) * 250000 + (rng.randrange(0, 10) * 500 if i % 11 == 0 else 0)
        f.write("%s;K%d%s;%s\n" % (name, rng.randrange(18, 23), rng.choice(["MN", "TH", "SP"]),
                                   "{:,}".format(amount).replace(",", ".")))
EOF
}

# The shipped list with the shipped scholarship example: one page, the sum
# 20.000.000 and its words as the issue writes them; check and proof too.
test_list_shipped() {
  vc ds-check check "$TPL_DS" "$EX_HB"
  want_rc 0
  vc ds render "$TPL_DS" "$EX_HB" -o "$D13L/ds.pdf"
  want_rc 0 || return
  want_pages "$D13L/ds.pdf" 1
  list_ok "$D13L/ds.pdf" "$EX_HB" "Hai mươi triệu đồng chẵn"
  pdftotext -layout "$D13L/ds.pdf" - | tr -s ' \n' '  ' |
    grep -q "Tổng cộng: 20.000.000 đ — Bằng chữ: Hai mươi triệu đồng chẵn." ||
    problem "ds.pdf lacks \"Tổng cộng: 20.000.000 đ — Bằng chữ: Hai mươi triệu đồng chẵn.\""
  local t
  for t in "UBND TỈNH LẠNG SƠN" "TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" \
    "Độc lập - Tự do - Hạnh phúc" "DANH SÁCH NHẬN HỌC BỔNG" "Lạng Sơn, ngày 19 tháng 12 năm 2024"; do
    pdftotext "$D13L/ds.pdf" - | grep -qF "$t" || problem "ds.pdf lacks \"$t\""
  done
  pdf_ok "$D13L/ds.pdf"
  vc ds-proof proof "$TPL_DS" -o "$D13L/proof.pdf"
  want_rc 0 || return
  pdftotext "$D13L/proof.pdf" - | grep -q "Tổng cộng: 5.000.000 đ" ||
    problem "the proof lacks the table's total for its sample row"
}

# 500 rows, long names wrapping: many pages, every check of list_check.py;
# the words of the total as the receipt template writes the same amount
# (vc_money_words_dong through another template).
test_list_500() {
  gen_list 500 "$D13L/l500.csv" || { problem "cannot make the 500-row list"; return; }
  vc l500 render "$TPL_DS" "$D13L/l500.csv" -o "$D13L/l500.pdf"
  want_rc 0 || return
  list_ok "$D13L/l500.pdf" "$D13L/l500.csv" || return
  local n total words
  n=$(pdfinfo "$D13L/l500.pdf" | sed -n 's/^Pages: *//p')
  [ "${n:-0}" -ge 18 ] || problem "500 rows on ${n:-no} pages: expected at least 18"
  total=$(printf '%s' "$LIST_OUT" | cut -f1) words=$(printf '%s' "$LIST_OUT" | cut -f2)
  printf 'Mã SV;Họ và tên;Lớp;Số tiền\n0000001;Vi Thị Ngọc Ẫn;K20SP;%s\n' "$total" >"$D13L/one.csv"
  vc l500-bn render "$TPL_BN" "$D13L/one.csv" -o "$D13L/bn.pdf"
  want_rc 0 || return
  pdftotext -layout "$D13L/bn.pdf" - | tr -s ' \n' '  ' | grep -qF "Bằng chữ: $words." ||
    problem "the list's words \"$words\" are not the receipt's for $total"
  pdf_ok "$D13L/l500.pdf"
  # byte for byte the same under a French locale (numbers with dots)
  LC_ALL=fr_FR.UTF-8 vc l500-fr render "$TPL_DS" "$D13L/l500.csv" -o "$D13L/l500-fr.pdf"
  want_rc 0 && { cmp -s "$D13L/l500.pdf" "$D13L/l500-fr.pdf" || problem "the list differs under LC_ALL=fr_FR.UTF-8"; }
}

# Totals whose words are written here by hand (notes/vietnamese-conventions.md).
test_list_words() {
  local amounts words a i=0
  while IFS='|' read -r amounts words; do
    i=$((i + 1))
    {
      printf 'Họ và tên;Lớp;Số tiền\n'
      for a in $amounts; do printf 'Nông Văn Dương;K20TH;%s\n' "$a"; done
    } >"$D13L/w$i.csv"
    vc "words$i" render "$TPL_DS" "$D13L/w$i.csv" -o "$D13L/w$i.pdf"
    want_rc 0 && list_ok "$D13L/w$i.pdf" "$D13L/w$i.csv" "$words"
  done <<'EOF'
5.000.000 5.000.000 5.000.000 5.000.000|Hai mươi triệu đồng chẵn
1.000.000 5.000|Một triệu không trăm linh năm nghìn đồng chẵn
2.000.000 50.000|Hai triệu không trăm năm mươi nghìn đồng chẵn
12.000.000 12.015.000|Hai mươi tư triệu không trăm mười lăm nghìn đồng chẵn
20.000.000 1.000.000 500|Hai mươi mốt triệu năm trăm đồng
100.000 5.000|Một trăm linh năm nghìn đồng chẵn
1.000.000.000 250.000.000 3.000.000|Một tỷ hai trăm năm mươi ba triệu đồng chẵn
EOF
}

# The end block is never alone: for every length around a page's capacity,
# the last page holds the last row(s), the totals and the signatures; where
# they would not fit below a full page, the last row moves with them.
test_list_keep_with() {
  local n moved=0 rows
  for n in $(seq 14 30); do
    gen_list "$n" "$D13L/k$n.csv" "$n"
    vc "keep$n" render "$TPL_DS" "$D13L/k$n.csv" -o "$D13L/k$n.pdf"
    want_rc 0 || continue
    list_ok "$D13L/k$n.pdf" "$D13L/k$n.csv" || continue
    rows=$(printf '%s' "$LIST_OUT" | cut -f3)
    [ "${rows:-0}" -ge 1 ] || problem "$n rows: no row on the signatures' page"
    [ "$rows" = 1 ] && moved=$((moved + 1))
  done
  [ "$moved" -ge 1 ] || problem "no length from 14 to 30 rows moved its last row to the signatures' page"
}

# The longest fields of the certificates' test (60-letter names, a class
# name that wraps in its column, amounts of 999.999.999): whole, in the
# list's boxes, the total exact.
test_list_long() {
  "$PY" - "$D13L/long.csv" <<'EOF'
import csv, sys
names = ["Tôn Nữ Hoàng Thị Minh Nguyệt Phương Thảo Ngọc Anh",
         "Mường Wừ Hòa Thị Mỹ Ưng Minh Nguyệt Phương Thảo Ngọc Mạnh Mơ",
         "Ưng Mừng Mường Mẫn Mỹ Mơ Wừ Mùa Minh Mạnh Mười Mịch Mộng Mưa",
         "Wừ Mường Mừng Mẫn Mỹ Mơ Wừ Mùa Mạnh Mười Mịch Mộng Mưa Mỡ Mẽ"]
w = csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n")
w.writerow(["ma_sv", "ho_ten", "lop", "so_tien"])
for i, n in enumerate(names):
    w.writerow(["DTC18548020100%02d" % i, n, "K21 Sư phạm Tiếng Anh - Tin học",
                "999.999.999" if i % 2 else "97.777.777"])
EOF
  vc long render "$TPL_DS" "$D13L/long.csv" -o "$D13L/long.pdf"
  want_rc 0 || return
  list_ok "$D13L/long.pdf" "$D13L/long.csv" \
    "Hai tỷ một trăm chín mươi lăm triệu năm trăm năm mươi lăm nghìn năm trăm năm mươi hai đồng"
  glyphs_ok "$D13L/long.pdf"
}

# --rows, --where and --sort choose and order the rows as for certificates;
# STT counts the rows printed.
test_list_select() {
  vc sel-rows render "$TPL_DS" "$EX_HB" --rows 2-3 -o "$D13L/rows.pdf"
  want_rc 0 || return
  sed -n '1p;3,4p' "$EX_HB" >"$D13L/rows.csv"
  list_ok "$D13L/rows.pdf" "$D13L/rows.csv" "Mười triệu đồng chẵn"
  vc sel-where render "$TPL_DS" "$EX_HB" --where lop=K20TH -o "$D13L/where.pdf"
  want_rc 0 || return
  sed -n '1p;3p' "$EX_HB" >"$D13L/where.csv"
  list_ok "$D13L/where.pdf" "$D13L/where.csv" "Năm triệu đồng chẵn"
  vc sel-sort render "$TPL_DS" "$EX_HB" --sort ten -o "$D13L/sort.pdf"
  want_rc 0 || return
  # given names: Diễm, Lực, Mẫn, Vỹ
  local l
  for l in 1 4 3 2 5; do sed -n "${l}p" "$EX_HB"; done >"$D13L/sort.csv"
  list_ok "$D13L/sort.pdf" "$D13L/sort.csv"
}

# Problems at file:line:column: an unknown column in a pattern (the
# template's line and column), a so_tien that is not an amount (the data's),
# a total over an undeclared field, a list split into files; --ledger does
# not apply (a warning, no ledger made).
test_list_errors() {
  sed 's/value: "{lop}"/value: "{lop} {ghi_chu}"/' "$TPL_DS" >"$D13L/unknown.yaml"
  local line
  line=$(grep -n '{ghi_chu}' "$D13L/unknown.yaml" | cut -d: -f1)
  vc err-unknown render "$D13L/unknown.yaml" "$EX_HB" -o "$D13L/unknown.pdf"
  want_rc 1
  want_err "unknown\.yaml:$line:[0-9]+: unknown placeholder \{ghi_chu\}" "the template's line:column of {ghi_chu}"
  absent "$D13L/unknown.pdf" "an unknown placeholder"
  printf 'Họ và tên;Lớp;Số tiền\nLăng Thị Mẫn;K19MN;5.000.000\nHứa Văn Vỹ;K21TH;năm triệu\n' >"$D13L/amount.csv"
  vc err-amount render "$TPL_DS" "$D13L/amount.csv" -o "$D13L/amount.pdf"
  want_rc 1
  want_err 'amount\.csv:3:3: "năm triệu" in column "Số tiền" is not an amount' "the data's line:column"
  absent "$D13L/amount.pdf" "a so_tien that is not an amount"
  vc err-amount-check check "$TPL_DS" "$D13L/amount.csv"
  want_rc 1
  want_err 'amount\.csv:3:3:' "check saying it too"
  sed 's/    field: so_tien/    field: lop/' "$TPL_DS" >"$D13L/total.yaml"
  line=$(grep -n 'field: lop' "$D13L/total.yaml" | cut -d: -f1)
  vc err-total check "$D13L/total.yaml" "$EX_HB"
  want_rc 1
  want_err "total\.yaml:$line:12: total: field 'lop' must be declared in the fields section with type: amount" \
    "the total's field at its line:column"
  sed 's/  top_next: 15 /  top_nxt: 15 /' "$TPL_DS" >"$D13L/key.yaml"
  vc err-key check "$D13L/key.yaml" "$EX_HB"
  want_rc 1
  want_err "unknown key 'top_nxt' in the list section; did you mean 'top_next'\?" "a misspelt key named"
  "$PY" -c 'print("Họ và tên;Lớp;Số tiền\nNguyễn Văn An;K1;5.000.000\n" + " ".join(["Nguyễn Thị Thu Thảo"] * 120) + ";K1;5.000.000\nLăng Văn 漢;K2;1.000")' >"$D13L/cells.csv"
  vc err-cells check "$TPL_DS" "$D13L/cells.csv"
  want_rc 1
  want_err 'cells\.csv:3:1: column "Họ và tên": "Nguyễn Thị Thu Thảo.*is more than 50 lines in its column' "a cell too long for a page"
  want_err "cells\.csv:4:1: column \"Họ và tên\": character U\+6F22 '漢' cannot be drawn" "a character no font draws"
  vc ledger-warn render "$TPL_DS" "$EX_HB" -o "$D13L/led.pdf" --ledger "$D13L/l.sqlite"
  want_rc 0
  want_err "warning: .*a list: it is not recorded in the issuance ledger" "--ledger said not to apply"
  absent "$D13L/l.sqlite" "a list rendered with --ledger"
  vc err-split render "$TPL_DS" "$EX_HB" --split "$D13L/split"
  want_rc 2
  want_err "a list: one document" "--split refused for a list"
  vc err-tsv render "$TPL_DS" "$EX_HB" -o "$D13L/tsv.pdf" --layout-tsv "$D13L/l.tsv"
  want_rc 2 && want_err "a list: one document.*--layout-tsv" "--layout-tsv refused for a list"
  absent "$D13L/l.tsv" "--layout-tsv of a list (it came out empty)"
  absent "$D13L/tsv.pdf" "a list refused for --layout-tsv"
}

t "list: the shipped danh-sach-ky-nhan with hoc-bong.csv (total, words, check, proof)" test_list_shipped
t "list: 500 rows, wrapped names: headers on every page, no row split, STT, Trang i/N, fr_FR" test_list_500
t "list: totals in words for several sums" test_list_words
t "list: the signatures never alone (14..30 rows)" test_list_keep_with
t "list: the longest names and classes" test_list_long
t "list: --rows, --where, --sort" test_list_select
t "list: errors at file:line:column" test_list_errors
