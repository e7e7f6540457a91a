# shellcheck shell=bash
# End-to-end tests of issue 13, point 1 (label sheets): the geometry is
# computed by tests/e2e/sheet-check.py by hand from the product's gLabels
# XML (Debian's glabels-data, vncert's presets) or the custom grid's
# numbers, and each record's text is found with pdftotext -bbox inside its
# own label: products in pt, in, mm, round and CD labels, two layouts;
# --start, --label-copies, --copies-from, --order down, sheets after the
# first; errors; vncert sheets; the same PDF under fr_FR.  Sourced by
# tests/e2e/run.sh: uses its $BIN, $W, $PY, $ROOT, t, vc, want_rc,
# want_err, want_pages, problem, pdf_ok, absent.

D13="$W/d13"
mkdir -p "$D13"
GLX=/usr/share/libglabels-3.0/templates
PRESETS="$ROOT/templates/sheets/vncert-presets.xml"

# records CSV N [COUNTS]: N records whose text is R01..RNN, and a column so
# (each record's number of labels, from COUNTS "1,0,3", default 1).
records() {
  "$PY" -c 'import sys
n = int(sys.argv[2]); c = sys.argv[3].split(",") if sys.argv[3] else ["1"] * n
with open(sys.argv[1], "w") as f:
    f.write("ma;ten;so\n")
    for i in range(n): f.write("R%02d;Người %d;%s\n" % (i + 1, i + 1, c[i]))' "$1" "$2" "${3:-}"
}
# label_tpl FILE SHEET-YAML BOX: a template drawing {ma} in BOX ("x, y, w, h")
label_tpl() {
  cat >"$1" <<EOF
sheet: $2
fields:
  ma: {required: true}
elements:
  - text: "{ma}"
    box: [$3]
    size: 9
    min_size: 6
    align: center
    valign: middle
EOF
}
# sheet_ok TAG SHEET-YAML BOX N CHECK-ARGS... [-- RENDER-ARGS...]: renders
# N records and checks every label's place by sheet-check.py.
sheet_ok() {
  local tag=$1 sheet=$2 box=$3 n=$4 d="$D13/$1"
  shift 4
  local check=() opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do check+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  opts=("$@")
  mkdir -p "$d"
  label_tpl "$d/t.yaml" "$sheet" "$box"
  [ -f "$d/r.csv" ] || records "$d/r.csv" "$n"
  vc "$tag" render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" "${opts[@]}"
  want_rc 0 || return 1
  pdf_ok "$d/out.pdf"
  local bx
  bx=$(echo "$box" | tr -d ' ')
  "$PY" "$ROOT/tests/e2e/sheet-check.py" "$d/out.pdf" "$n" --box "$bx" "${check[@]}" >"$d/check.txt" ||
    problem "$tag: labels misplaced:"$'\n'"$(first "$d/check.txt" 8)"
}

need_glabels() {
  [ -f "$GLX/avery-iso-templates.xml" ] && return 0
  problem "glabels-data is not installed (scripts/deps.sh test installs it)"
  return 1
}

test_sheet_avery_pt() { # bare numbers are points; L7163 is equiv="7163"
  need_glabels || return
  sheet_ok l7163 '{product: "Avery L7163"}' '5, 5, 60, 10' 17 \
    --product "Avery L7163" --xml "$GLX/avery-iso-templates.xml"
}
test_sheet_avery_in() { # inches, US Letter, 3 x 10
  need_glabels || return
  sheet_ok a5160 '{product: "Avery 5160"}' '3, 3, 40, 8' 31 \
    --product "Avery 5160" --xml "$GLX/avery-us-templates.xml"
  [ "$(pdfinfo "$D13/a5160/out.pdf" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\).*/\1/p' | head -1)" = "612 x 792" ] ||
    problem "Avery 5160: the pages are not US Letter (612 x 792 pt)"
}
test_sheet_cd_mm() { # mm, CD labels, two layouts on one sheet
  need_glabels || return
  sheet_ok cd09 '{product: "Rayfilm CD09"}' '45, 52, 23, 9' 5 \
    --product "Rayfilm CD09" --xml "$GLX/rayfilm-templates.xml"
}
test_sheet_presets_round() { # vncert's presets: round labels, mm
  sheet_ok tron '{product: "Decal A4 tron-40"}' '8, 15, 24, 10' 26 \
    --product "Decal A4 tron-40" --xml "$PRESETS"
}
test_sheet_start() { # --start 5: labels 1-4 of the first sheet stay empty
  sheet_ok start '{product: "Decal A4 3x7"}' '3, 3, 40, 10' 20 \
    --product "Decal A4 3x7" --xml "$PRESETS" --start 5 -- --start 5
  "$PY" "$ROOT/tests/e2e/sheet-check.py" "$D13/start/out.pdf" 20 --product "Decal A4 3x7" \
    --xml "$PRESETS" >/dev/null && problem "--start 5: the labels are where --start 1 puts them"
}
test_sheet_copies() { # --label-copies 3: each record three times, in a row
  sheet_ok copies '{product: "Decal A4 2x7"}' '5, 5, 60, 10' 6 \
    --product "Decal A4 2x7" --xml "$PRESETS" --copies 3 -- --label-copies 3
  want_pages "$D13/copies/out.pdf" 2
}
test_sheet_copies_from() { # --copies-from so: 0 is no label
  mkdir -p "$D13/cfrom"
  records "$D13/cfrom/r.csv" 6 "2,0,1,5,0,3"
  sheet_ok cfrom '{product: "Decal A4 2x5"}' '5, 5, 60, 10' 6 \
    --product "Decal A4 2x5" --xml "$PRESETS" --counts 2,0,1,5,0,3 --start 3 -- \
    --copies-from so --start 3
}
test_sheet_zero_ledger() { # a record of 0 labels is not issued either
  local d="$D13/zled"
  mkdir -p "$d"
  records "$d/r.csv" 4 "2,0,1,0"
  label_tpl "$d/t.yaml" '{product: "Decal A4 2x5"}' '5, 5, 60, 10'
  sed -i '1i serial: "L-{seq:03}"' "$d/t.yaml"
  vc zled render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" --copies-from so --key ma --ledger "$d/l.sqlite"
  want_rc 0 || return
  [ "$(pdftotext "$d/out.pdf" - | grep -c '^R0')" = 3 ] || problem "not 3 labels (R01 twice, R03)"
  vc zled-log log --ledger "$d/l.sqlite" --csv
  want_rc 0 || return
  local keys
  keys=$("$PY" -c 'import csv, sys
print(",".join(r["key"] + "=" + r["serial"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$OUT")
  [ "$keys" = "R01=L-001,R03=L-002" ] || problem "the ledger holds $keys, expected R01=L-001,R03=L-002 (R02 and R04 have 0 labels)"
  records "$d/z.csv" 2 "0,0"
  vc zled-none render "$d/t.yaml" "$d/z.csv" -o "$d/none.pdf" --copies-from so --key ma --ledger "$d/l2.sqlite"
  want_rc 1 && want_err 'no labels to print' "0 labels"
  absent "$d/none.pdf" "a run of 0 labels"
  [ ! -e "$d/l2.sqlite" ] || [ -z "$("$BIN" log --ledger "$d/l2.sqlite" --csv 2>/dev/null | sed 1d)" ] ||
    problem "a run of 0 labels recorded something in its ledger"
}
test_sheet_down() { # --order down: column by column, --start counted down too
  sheet_ok down '{product: "Decal A4 3x8"}' '3, 3, 50, 10' 30 \
    --product "Decal A4 3x8" --xml "$PRESETS" --order down --start 2 -- --order down --start 2
}
test_sheet_custom() { # a custom grid on A5 landscape: margins, pitch, rounded
  local g='{label: [60, 30], grid: [3, 4], margins: [8, 6], pitch: [65, 34], shape: rounded, radius: 3}'
  mkdir -p "$D13/custom"
  sheet_ok custom "$g"$'\npage: {size: A5, orientation: landscape}' '2, 2, 50, 10' 13 \
    --grid 210,148,60,30,3,4,8,6,65,34 -- --outlines
  want_pages "$D13/custom/out.pdf" 2
}
test_sheet_own_products() { # products: a file of one's own, in mm; and no gLabels database
  local d="$D13/own"
  mkdir -p "$d"
  cat >"$d/mine.xml" <<'EOF'
<?xml version="1.0"?>
<Glabels-templates>
  <Template brand="Cua hang" part="NB-12" size="A4" _description="đo bằng thước">
    <Label-rectangle id="0" width="64mm" height="33.9mm" round="1mm">
      <Layout nx="3" ny="8" x0="6.5mm" y0="12.6mm" dx="66.5mm" dy="33.9mm"/>
    </Label-rectangle>
  </Template>
</Glabels-templates>
EOF
  records "$d/r.csv" 9
  label_tpl "$d/t.yaml" '{product: "Cua hang NB-12", products: mine.xml}' '2, 2, 40, 10'
  VNCERT_GLABELS_DIR="" vc own render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf"
  want_rc 0 || return
  "$PY" "$ROOT/tests/e2e/sheet-check.py" "$d/out.pdf" 9 --box 2,2,40,10 --product "Cua hang NB-12" \
    --xml "$d/mine.xml" >"$d/check.txt" || problem "own products: $(first "$d/check.txt" 6)"
  # without glabels-data the presets still work, and gLabels' products are unknown
  label_tpl "$d/p.yaml" '{product: "Decal A4 2x7"}' '2, 2, 40, 10'
  VNCERT_GLABELS_DIR="" vc own-p render "$d/p.yaml" "$d/r.csv" -o "$d/p.pdf"
  want_rc 0
  label_tpl "$d/g.yaml" '{product: "Avery L7163"}' '2, 2, 40, 10'
  VNCERT_GLABELS_DIR="" vc own-g render "$d/g.yaml" "$d/r.csv" -o "$d/g.pdf"
  want_rc 1 && want_err 'no label product "Avery L7163"' "the unknown product named"
}
test_sheet_unknown() { # an unknown product names the closest ones
  need_glabels || return
  local d="$D13/unknown"
  mkdir -p "$d"
  records "$d/r.csv" 2
  label_tpl "$d/t.yaml" '{product: "Avery L7136"}' '2, 2, 40, 10'
  vc unknown render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf"
  want_rc 1 || return
  want_err 't\.yaml:1:.*no label product "Avery L7136".*closest.*"Avery L7163"' "the closest products"
  want_err 'vncert sheets' "how to search the products"
  absent "$d/out.pdf" "an unknown product"
  label_tpl "$d/d.yaml" '{product: "decal a4 2X7"}' '2, 2, 40, 10'
  vc unknown-case render "$d/d.yaml" "$d/r.csv" -o "$d/d.pdf"
  want_rc 0 # case and spaces do not matter
}
test_sheet_errors() { # bad counts, options, a grid off the paper: exit 1 or 2, nothing written
  local d="$D13/err"
  mkdir -p "$d"
  records "$d/r.csv" 3 "1,x,2"
  label_tpl "$d/t.yaml" '{product: "Decal A4 2x7"}' '2, 2, 40, 10'
  vc err-count render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" --copies-from so
  want_rc 1 && want_err 'r\.csv:3:3: .*column "so": "x" is not a number of labels' "the bad count's line"
  absent "$d/out.pdf" "a bad count"
  vc err-check check "$d/t.yaml" "$d/r.csv" --copies-from so
  want_rc 1 && want_err 'r\.csv:3:3' "check finds the bad count"
  vc err-start render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" --start 15
  want_rc 2 && want_err 'labels 1 to 14' "the sheet's labels"
  vc err-col render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" --copies-from so_luong
  want_rc 2 && want_err 'no such column' "the missing column"
  vc err-order render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" --order sideways
  want_rc 2
  vc err-split render "$d/t.yaml" "$d/r.csv" --split "$d/split"
  want_rc 2 && want_err 'whole sheets' "--split refused for labels"
  label_tpl "$d/off.yaml" '{label: [100, 40], grid: [3, 7]}' '2, 2, 40, 10'
  vc err-off render "$d/off.yaml" "$d/r.csv" -o "$d/out.pdf"
  want_rc 1 && want_err 'does not fit its paper' "a grid wider than the paper"
  label_tpl "$d/big.yaml" '{product: "Decal A4 2x7"}' '2, 2, 120, 10'
  vc err-box render "$d/big.yaml" "$d/r.csv" -o "$d/out.pdf"
  want_rc 1 && want_err "past the label's right edge" "a box past the label"
  absent "$d/out.pdf" "refused runs"
  records "$d/z.csv" 2 "0,0"
  vc err-zero render "$d/t.yaml" "$d/z.csv" -o "$d/out.pdf" --copies-from so
  want_rc 1 && want_err 'no labels to print' "0 labels"
}
test_sheet_volumes() { # --volume-pages 2: files of 2 sheets, the labels carried on
  local d="$D13/vol"
  mkdir -p "$d"
  records "$d/r.csv" 18 "2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,1"
  label_tpl "$d/t.yaml" '{product: "Decal A4 2x5"}' '3, 3, 40, 10'
  vc vol render "$d/t.yaml" "$d/r.csv" -o "$d/out.pdf" --copies-from so --volume-pages 2
  want_rc 0 || return
  want_pages "$d/out-001.pdf" 2
  want_pages "$d/out-002.pdf" 2
  absent "$d/out-003.pdf" "35 labels, 4 sheets of 10 in volumes of 2"
  absent "$d/out.pdf" "volumes"
  qpdf --empty --pages "$d/out-001.pdf" "$d/out-002.pdf" -- "$d/all.pdf"
  "$PY" "$ROOT/tests/e2e/sheet-check.py" "$d/all.pdf" 18 --box 3,3,40,10 --product "Decal A4 2x5" \
    --xml "$PRESETS" --counts 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,1 >"$d/check.txt" ||
    problem "volumes: $(first "$d/check.txt" 6)"
}
test_sheets_cmd() { # vncert sheets TEXT
  vc sheets sheets decal 2x7
  want_rc 0 || return
  grep -q '^Decal A4 2x7	14 per sheet (2x7)	99.1 x 38.1 mm' "$OUT" ||
    problem "vncert sheets decal 2x7: $(first "$OUT" 3)"
  need_glabels || return
  vc sheets-g sheets l7163
  grep -q '^Avery L7163	14 per sheet' "$OUT" || problem "vncert sheets l7163 lacks Avery L7163"
  vc sheets-none sheets zzzqqq
  want_rc 1
}
test_sheet_shipped() { # templates/nhan-phong-bi.yaml on examples/hoc-bong.csv
  local d="$D13/shipped"
  mkdir -p "$d"
  vc shipped render nhan-phong-bi "$ROOT/examples/hoc-bong.csv" -o "$d/out.pdf" --outlines
  want_rc 0 || return
  pdf_ok "$d/out.pdf"
  want_pages "$d/out.pdf" 1
  pdftotext "$d/out.pdf" - | grep -q 'LĂNG THỊ MẪN' || problem "nhan-phong-bi: no LĂNG THỊ MẪN"
  [ "$(pdftotext "$d/out.pdf" - | grep -c 'Số tiền: 5.000.000 đ')" = 4 ] ||
    problem "nhan-phong-bi: not 4 amounts 5.000.000 đ"
}
test_sheet_long() { # the longest names, classes, IDs and amounts fit the shipped labels
  local d="$D13/long"
  mkdir -p "$d"
  "$PY" - "$d/long.csv" <<'EOF'
import csv, sys
names = ["Tôn Nữ Hoàng Thị Minh Nguyệt Phương Thảo Ngọc Anh",
         "Mường Wừ Hòa Thị Mỹ Ưng Minh Nguyệt Phương Thảo Ngọc Mạnh Mơ",
         "Ưng Mừng Mường Mẫn Mỹ Mơ Wừ Mùa Minh Mạnh Mười Mịch Mộng Mưa"]
w = csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n")
w.writerow(["ma_sv", "ho_ten", "lop", "so_tien"])
for i, n in enumerate(names):
    w.writerow(["DTC18548020100%02d" % i, n, "K21 Sư phạm Tiếng Anh - Tin học", "999.999.999"])
EOF
  vc long render nhan-phong-bi "$d/long.csv" -o "$d/out.pdf"
  want_rc 0 || return
  pdf_ok "$d/out.pdf"
  pdftotext "$d/out.pdf" - | tr '\n' ' ' >"$d/text.txt"
  for n in "TÔN NỮ HOÀNG THỊ MINH" "MƯỜNG WỪ HÒA" "MỘNG MƯA" "DTC1854802010002" "999.999.999 đ"; do
    grep -qF "$n" "$d/text.txt" || problem "nhan-phong-bi: \"$n\" not drawn whole"
  done
}
test_sheet_locale() { # the same bytes under fr_FR (decimal commas) and C
  local d="$D13/locale"
  mkdir -p "$d"
  records "$d/r.csv" 20
  label_tpl "$d/t.yaml" '{product: "Decal A4 3x7"}' '2.5, 2.5, 40.5, 10.25'
  LC_ALL=C.UTF-8 vc loc-c render "$d/t.yaml" "$d/r.csv" -o "$d/c.pdf" --outlines --start 3
  want_rc 0 || return
  LC_ALL=fr_FR.UTF-8 vc loc-fr render "$d/t.yaml" "$d/r.csv" -o "$d/fr.pdf" --outlines --start 3
  want_rc 0 || return
  cmp -s "$d/c.pdf" "$d/fr.pdf" || problem "the PDFs differ between C and fr_FR"
}

t "labels: Avery L7163 from glabels-data (points, equiv=) in its cells" test_sheet_avery_pt
t "labels: Avery 5160 (inches, US Letter), 2 sheets" test_sheet_avery_in
t "labels: Rayfilm CD09 (mm, CD labels, two layouts)" test_sheet_cd_mm
t "labels: vncert's presets, round labels" test_sheet_presets_round
t "labels: --start 5 leaves labels 1-4 empty" test_sheet_start
t "labels: --label-copies 3" test_sheet_copies
t "labels: --copies-from a column (0 = none)" test_sheet_copies_from
t "labels: a record of 0 labels is not issued in the ledger" test_sheet_zero_ledger
t "labels: --order down" test_sheet_down
t "labels: a custom grid (margins, pitch, rounded) with --outlines" test_sheet_custom
t "labels: a products file of one's own; presets without glabels-data" test_sheet_own_products
t "labels: an unknown product names the closest" test_sheet_unknown
t "labels: bad counts and options refused, nothing written" test_sheet_errors
t "labels: --volume-pages: files of whole sheets" test_sheet_volumes
t "labels: vncert sheets TEXT" test_sheets_cmd
t "labels: templates/nhan-phong-bi.yaml" test_sheet_shipped
t "labels: the longest values fit templates/nhan-phong-bi.yaml" test_sheet_long
t "labels: the same PDF under fr_FR" test_sheet_locale

# ---- printer calibration (issue 13, point 2) ----------------------------------
# moved_ok A.pdf B.pdf OX OY SX SY: every word of B is A's moved and scaled by
# the profile (mm offsets, from the page's top-left), to 0.05 pt.
moved_ok() {
  "$PY" - "$@" <<'PYEOF' || problem "calibration: $(basename "$2") is not $(basename "$1") moved by ($3, $4) mm and scaled by ($5, $6)"
import re, subprocess, sys
def words(p):
    t = subprocess.run(["pdftotext", "-bbox", p, "-"], capture_output=True, text=True).stdout
    return re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', t)
a, b = words(sys.argv[1]), words(sys.argv[2])
ox, oy, sx, sy = (float(v) for v in sys.argv[3:7])
mm = 72 / 25.4
bad = len(a) != len(b) or not a
for wa, wb in zip(a, b):
    want = (ox * mm + sx * float(wa[0]), oy * mm + sy * float(wa[1]),
            ox * mm + sx * float(wa[2]), oy * mm + sy * float(wa[3]))
    if wa[4] != wb[4] or any(abs(w - float(g)) > 0.05 for w, g in zip(want, wb[:4])):
        print(wa, wb, want); bad = True; break
sys.exit(1 if bad else 0)
PYEOF
}
test_calibration() {
  local d="$D13/calib"
  mkdir -p "$d"
  XDG_CONFIG_HOME="$d/xdg" vc cal-page calibrate -o "$d/page.pdf"
  want_rc 0 || return
  pdf_ok "$d/page.pdf"
  pdftotext "$d/page.pdf" - | grep -q 'A (20; 20 mm)' || problem "calibrate: no crosshair A on the page"
  # a printer 1.5 mm right, 1 mm down, 1 % wide: the profile undoes it
  XDG_CONFIG_HOME="$d/xdg" vc cal-save calibrate --save hp-1 --measured 21.7,21,193.4,278
  want_rc 0 || return
  grep -q '^offset_x: -1.4851 ' "$d/xdg/vncert/calibration/hp-1.yaml" &&
    grep -q '^scale_x: 0.9901 ' "$d/xdg/vncert/calibration/hp-1.yaml" ||
    problem "calibrate --save: $(cat "$d/xdg/vncert/calibration/hp-1.yaml")"
  vc cal-0 render giay-khen "$ROOT/examples/giay-khen.csv" --rows 1-2 -o "$d/plain.pdf"
  XDG_CONFIG_HOME="$d/xdg" vc cal-1 render giay-khen "$ROOT/examples/giay-khen.csv" --rows 1-2 \
    -o "$d/hp1.pdf" --calibration hp-1
  want_rc 0 || return
  moved_ok "$d/plain.pdf" "$d/hp1.pdf" -1.4851 -1 0.9901 1
  # a profile written by hand, by its path: labels move by exactly 10, 5 mm
  printf 'offset_x: 10   # mm\noffset_y: 5\n' >"$d/own.yaml"
  records "$d/r.csv" 16
  label_tpl "$d/t.yaml" '{product: "Decal A4 3x7"}' '3, 3, 40, 10'
  vc cal-l0 render "$d/t.yaml" "$d/r.csv" -o "$d/l0.pdf" --outlines
  vc cal-l1 render "$d/t.yaml" "$d/r.csv" -o "$d/l1.pdf" --outlines --calibration "$d/own.yaml"
  want_rc 0 || return
  moved_ok "$d/l0.pdf" "$d/l1.pdf" 10 5 1 1
  printf 'offset_x: 10\nscale_y: 1.5\n' >"$d/bad.yaml"
  vc cal-bad render "$d/t.yaml" "$d/r.csv" -o "$d/bad.pdf" --calibration "$d/bad.yaml"
  want_rc 1 && want_err 'bad\.yaml:2:10: scale_y: must be from 0\.9 to 1\.1' "the bad value's place"
  absent "$d/bad.pdf" "a bad profile"
  XDG_CONFIG_HOME="$d/xdg" vc cal-none render "$d/t.yaml" "$d/r.csv" -o "$d/bad.pdf" --calibration nobody
  want_rc 1 && want_err 'vncert calibrate --save makes one' "how to make a profile"
  # check --calibration: the profile found and read as render reads it
  XDG_CONFIG_HOME="$d/xdg" vc cal-chk check "$d/t.yaml" "$d/r.csv" --calibration hp-1
  want_rc 0
  vc cal-chk-own check "$d/t.yaml" "$d/r.csv" --calibration "$d/own.yaml"
  want_rc 0
  vc cal-chk-bad check "$d/t.yaml" "$d/r.csv" --calibration "$d/bad.yaml"
  want_rc 1 && want_err 'bad\.yaml:2:10: scale_y: must be from 0\.9 to 1\.1' "check: the bad value's place"
  XDG_CONFIG_HOME="$d/xdg" vc cal-chk-none check "$d/t.yaml" "$d/r.csv" --calibration nobody
  want_rc 1 && want_err 'vncert calibrate --save makes one' "check: how to make a profile"
  vc cal-usage calibrate --save x --measured 1,2,3
  want_rc 2
}
t "calibration: the page, a profile from measures, every word moved and scaled exactly" test_calibration

# form: (a pre-printed blank's scan): under the proof, never in a render, a
# print or the kiosk (the paper has it); calibration moves the names exactly.
images() { pdfimages -list "$1" 2>/dev/null | tail -n +3 | wc -l; }
test_form() {
  local d="$D13/form"
  mkdir -p "$d/scan"
  mk_photos "$d/scan" 1
  cat >"$d/gk.yaml" <<'EOF'
title: Giấy khen in sẵn
page: {size: A4, orientation: landscape}
form: scan/0000.png
fields:
  ho_ten: {required: true}
sample:
  ho_ten: Nguyễn Thị Thu Thảo
elements:
  - text: "{ho_ten}"
    box: [60, 95, 180, 14]
    size: 20
    align: center
EOF
  printf 'ho_ten\nĐặng Văn Bình\nLê Thị Hoa\n' >"$d/r.csv"
  vc form-proof proof "$d/gk.yaml" -o "$d/proof.pdf"
  want_rc 0 || return
  [ "$(images "$d/proof.pdf")" = 1 ] || problem "form: proof has $(images "$d/proof.pdf") images, not the scan"
  pdfimages -list "$d/proof.pdf" | tail -n +3 | awk '{exit !($4 == 8 && $5 == 8)}' ||
    problem "form: the proof's image is not the 8x8 scan"
  vc form-r0 render "$d/gk.yaml" "$d/r.csv" -o "$d/r0.pdf"
  want_rc 0 || return
  pdf_ok "$d/r0.pdf"
  [ "$(images "$d/r0.pdf")" = 0 ] || problem "form: render drew the form ($(images "$d/r0.pdf") images)"
  pdftotext "$d/r0.pdf" - | grep -q 'Lê Thị Hoa' || problem "form: a name is missing from the render"
  printf 'offset_x: -2\noffset_y: 1.5\nscale_x: 1.01\n' >"$d/hp.yaml"
  vc form-r1 render "$d/gk.yaml" "$d/r.csv" -o "$d/r1.pdf" --calibration "$d/hp.yaml"
  want_rc 0 || return
  [ "$(images "$d/r1.pdf")" = 0 ] || problem "form: a calibrated render drew the form"
  moved_ok "$d/r0.pdf" "$d/r1.pdf" -2 1.5 1.01 1
  # a missing scan, or a form on a sheet of labels: said at the line
  sed 's|scan/0000.png|scan/nope.png|' "$d/gk.yaml" >"$d/bad.yaml"
  vc form-bad check "$d/bad.yaml" "$d/r.csv"
  want_rc 1 && want_err 'bad\.yaml:3:.*form.*nope\.png' "the missing scan at its line"
  label_tpl "$d/sheet.yaml" '{product: "Decal A4 3x7"}' '3, 3, 40, 10'
  printf 'form: scan/0000.png\n' >>"$d/sheet.yaml"
  records "$d/s.csv" 3
  vc form-sheet check "$d/sheet.yaml" "$d/s.csv"
  want_rc 1 && want_err 'form: is the scan of a whole pre-printed page' "form with sheet refused"
}
t "form: the blank's scan under the proof, never rendered; calibrated names move exactly" test_form
