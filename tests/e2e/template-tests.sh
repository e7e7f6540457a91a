# shellcheck shell=bash
# End-to-end tests of issue 6 for templates: caps on text once placeholders
# are filled in, keywords under a Turkish locale, a template saved as UTF-16,
# print too small to read.  Sourced by tests/e2e/run.sh before its summary:
# uses its $BIN, $W, $PY, t, vc, want_rc, want_err, problem, absent.  Every
# input is made here, in $W/d6.

D6="$W/d6"
mkdir -p "$D6"

# The issue's case: 10,000 copies of {ho_ten} and a 63 KB name (it took
# seconds and 1.2 GB); refused by check and render alike, at the record's
# line and the column of ho_ten, naming the template line.
test_text_caps() {
  "$PY" - "$D6" <<'EOF'
import sys
d = sys.argv[1]
open(d + "/copies.yaml", "w").write(
    "elements:\n  - text: x\n    box: [10, 10, 50, 10]\n"
    "  - text: \"" + "{ho_ten}" * 10000 + "\"\n    box: [10, 30, 190, 100]\n"
    "    max_lines: 50\n    min_size: 4\n")
open(d + "/big.csv", "w", encoding="utf-8").write(
    "ma_sv,ho_ten\nSV1,Nguyễn Thị Thu Thảo\nSV2," + ("Nguyen Thi Thu Thao " * 3200)[:63000].strip() + "\n")
# five texts of 15,000 bytes each: each box is fine, the page is not
open(d + "/page.yaml", "w").write("page: {size: A3}\nelements:\n" + "".join(
    "  - text: \"{ghi_chu}\"\n    box: [10, %d, 250, 60]\n    max_lines: 50\n    min_size: 4\n"
    % (10 + 70 * i) for i in range(5)))
open(d + "/page.csv", "w").write("ma_sv,ghi_chu\nSV1," + "x" * 15000 + "\n")
EOF
  vc caps-check check "$D6/copies.yaml" "$D6/big.csv"
  want_rc 1
  want_err 'big\.csv:3:2: template line 4: once \{ho_ten\} is filled in \(62999 bytes for this record\), the text would be longer than 16384 bytes' \
    "the record's line:column, the template line and the cap"
  # the first record (a normal name, 10,000 times: 320 KB) is refused too
  want_err 'big\.csv:2:2: template line 4: once \{ho_ten\}' "the first record over the cap"
  vc caps-render render "$D6/copies.yaml" "$D6/big.csv" -o "$D6/copies.pdf"
  want_rc 1
  want_err 'big\.csv:3:2: template line 4' "render refusing as check does"
  absent "$D6/copies.pdf" "text over the cap"
  vc caps-page check "$D6/page.yaml" "$D6/page.csv"
  want_rc 1
  want_err 'page\.csv:2:2: template line 19: .*the texts of the page would be longer than 65536 bytes' \
    "the page cap at the fifth text"
}

# Under tr_TR.UTF-8 'I' does not fold to 'i': keywords written in capitals
# (valign: MIDDLE) were refused.
test_turkish_locale() {
  if ! locale -a 2>/dev/null | grep -qi '^tr_TR\.utf-\?8$'; then
    echo "skip: tr_TR.UTF-8 is not generated (add 'tr_TR.UTF-8 UTF-8' to /etc/locale.gen, run locale-gen)"
    return
  fi
  cat >"$D6/caps.yaml" <<'EOF'
page: {size: LETTER, orientation: LANDSCAPE}
elements:
  - text: "{ho_ten}"
    box: [20, 20, 200, 20]
    valign: MIDDLE
    align: RIGHT
    color: WHITE
    size: 14.5
  - rect: [10, 10, 30, 30]
    stroke: SILVER
    fill: NONE
EOF
  printf 'ho_ten\nNguyễn Thị Thu Thảo\n' >"$D6/one.csv"
  LC_ALL=tr_TR.UTF-8 vc tr-check check "$D6/caps.yaml" "$D6/one.csv"
  want_rc 0
  LC_ALL=tr_TR.UTF-8 vc tr-render render "$D6/caps.yaml" "$D6/one.csv" -o "$D6/tr.pdf"
  want_rc 0
  [ -s "$D6/tr.pdf" ] || problem "$CMD: no PDF"
  # numbers in messages keep their dot under a decimal-comma locale
  sed 's/size: 14.5/size: 14.5\n    min_size: 3.5/' "$D6/caps.yaml" >"$D6/small.yaml"
  LC_ALL=tr_TR.UTF-8 vc tr-small check "$D6/small.yaml" "$D6/one.csv"
  want_rc 1
  want_err 'small\.yaml:9:15: min_size: 3\.5 pt is too small' "3.5 written with a dot at its line:col"
}

test_utf16_template() {
  printf 'elements:\n  - text: "{ho_ten}"\n    box: [10, 10, 100, 20]\n' |
    iconv -f UTF-8 -t UTF-16 >"$D6/u16.yaml"
  printf 'ho_ten\nAn\n' >"$D6/an.csv"
  vc u16 check "$D6/u16.yaml" "$D6/an.csv"
  want_rc 1
  want_err 'u16\.yaml:1:1: the template is saved as UTF-16; save it as UTF-8' "one clear message"
  [ "$(grep -c 'u16\.yaml' "$ERR")" -eq 1 ] || problem "$CMD: more than one message:"$'\n'"$(first "$ERR" 6)"
}

test_min_size() {
  printf 'elements:\n  - text: "{ho_ten}"\n    box: [10, 10, 100, 20]\n    size: 12\n    min_size: 3\n' >"$D6/tiny.yaml"
  vc tiny check "$D6/tiny.yaml" "$D6/an.csv"
  want_rc 1
  want_err 'tiny\.yaml:5:15: min_size: 3 pt is too small to read on paper; the smallest is 4 pt' "file:line:col and the reason"
}

t "template: text caps per box and per page (check and render)" test_text_caps
t "template: keywords and numbers under tr_TR.UTF-8" test_turkish_locale
t "template: saved as UTF-16, one message" test_utf16_template
t "template: min_size below 4 pt refused" test_min_size
