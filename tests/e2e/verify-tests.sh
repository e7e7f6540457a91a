# shellcheck shell=bash
# End-to-end tests of issue 11 (verifiable certificates, docs/verify.md):
# the shipped templates rendered, every page rasterised at 300 dpi
# (pdftoppm) and its QR code read by zbarimg (zbar-tools), each URL
# verified; verify on a PDF, on the test vectors' tampered, foreign and
# malformed payloads; keygen and key files; revoke through a ledger; a long
# award signed shortened.  Sourced by tests/e2e/run.sh: uses its $BIN, $W,
# $PY, $ROOT, t, vc, want_rc, want_err, problem, pdf_ok.

D11="$W/d11"
mkdir -p "$D11"
DEMO_PUB="$ROOT/examples/khoa-DEMO.pub"
VEC="$ROOT/tests/data/verify-vectors.json"

# scan PDF DIR: every page at 300 dpi, one zbarimg --raw line per page
# (its QR code's text) into DIR/codes.txt.
scan() {
  local pdf=$1 dir=$2 png
  mkdir -p "$dir"
  rm -f "$dir"/p-*.png "$dir/codes.txt"
  pdftoppm -r 300 -png "$pdf" "$dir/p" 2>/dev/null
  for png in "$dir"/p-*.png; do
    zbarimg --raw -q "$png" 2>/dev/null | head -1 >>"$dir/codes.txt"
    rm -f "$png"
  done
}
# vec NAME FIELD: a field of a test vector (tests/data/verify-vectors.json).
vec() {
  "$PY" -c 'import json,sys
d=json.load(open(sys.argv[1]))
if sys.argv[2] == "key": print(d["keys"][0]["public_file"], end="")
else: print([v for v in d["vectors"] if v["name"] == sys.argv[2]][0][sys.argv[3]])' "$VEC" "$@"
}

# The shipped templates' QR codes scan at their printed size and verify.
scan_shipped() { # TAG TEMPLATE CSV
  local tag=$1 d="$D11/$1" n i url name
  mkdir -p "$d"
  vc "$tag" render "$2" "$3" -o "$d/out.pdf"
  want_rc 0 || return
  pdf_ok "$d/out.pdf"
  n=$(pdfinfo "$d/out.pdf" | sed -n 's/^Pages: *//p')
  scan "$d/out.pdf" "$d"
  [ "$(grep -c '^https://truong.example/xac-minh#[0-9]*$' "$d/codes.txt")" = "$n" ] ||
    problem "$tag: $n pages, but zbarimg read $(grep -c . "$d/codes.txt") QR codes at 300 dpi"
  h column "$3" 1 >"$d/names.txt"
  i=0
  while IFS= read -r url; do
    i=$((i + 1))
    name=$(sed -n "${i}p" "$d/names.txt")
    vc "$tag-v$i" verify "$url" --keys "$DEMO_PUB"
    want_rc 0 || return
    grep -q "^Hợp lệ" "$OUT" || problem "$tag page $i: verify did not say Hợp lệ"
    grep -qF "Họ và tên:   $name" "$OUT" || problem "$tag page $i: the signed name is not $name"
    grep -q "Khóa ký: .*(DEMO" "$OUT" || problem "$tag page $i: verify does not say the key is the DEMO one"
    # version 10 at most (docs/verify.md section 6): 1,728 bits hold at
    # most about 420 digits after a URL of this length
    [ "${#url}" -le 460 ] || problem "$tag page $i: a URL of ${#url} characters"
  done <"$d/codes.txt"
  vc "$tag-pdf" verify "$d/out.pdf" --keys "$DEMO_PUB"
  want_rc 0
  [ "$(grep -c '^Hợp lệ' "$OUT")" = "$n" ] || problem "$tag: verify FILE.pdf found $(grep -c '^Hợp lệ' "$OUT") valid codes of $n"
}
t11_scan_gk() { scan_shipped gk11 "$TPL_GK" "$EX_GK"; }
t11_scan_hb() { scan_shipped hb11 "$TPL_BN" "$EX_HB"; }

# What verify says of payloads that are not valid: exit 1 and the reason.
t11_verify_refusals() {
  vec key >"$D11/a.pub"
  local name why
  for name in tampered-name:tampered unknown-key:unknown-key malformed-trailing:malformed \
              malformed-group-overflow:malformed; do
    why=${name#*:}
    vc "ref-${name%%:*}" verify "$(vec "${name%%:*}" digits)" --keys "$D11/a.pub"
    want_rc 1
    grep -q "Không hợp lệ ($why)" "$OUT" || problem "${name%%:*}: verify did not say $why: $(head -2 "$OUT")"
  done
  vc ref-valid verify "$(vec valid-giay-khen url)" --keys "$D11/a.pub"
  want_rc 0
  vc ref-nokeys verify "$(vec valid-giay-khen url)"
  want_rc 2
  printf 'vncert-ed25519-v1 00000000 AAAA\n' >"$D11/bad.pub"
  vc ref-badkey verify "$(vec valid-giay-khen url)" --keys "$D11/bad.pub"
  want_rc 1
  want_err "not a vncert key file" "a broken public key file named"
}

# keygen: a private key only its owner reads, never replaced; the school's
# key signs the template's codes; a key others can read is refused.
t11_keygen() {
  vc kg1 keygen -o "$D11/truong" --comment "THCS Lê Lợi 2026-2027"
  want_rc 0 || return
  grep -q "^fingerprint: [0-9a-f]\{64\}$" "$OUT" || problem "keygen printed no fingerprint"
  grep -q "vncert-ed25519-secret" "$OUT" "$ERR" && problem "keygen printed the private key"
  [ "$(stat -c %a "$D11/truong.key")" = 600 ] || problem "truong.key has mode $(stat -c %a "$D11/truong.key")"
  cp "$D11/truong.key" "$D11/copy.key"
  vc kg2 keygen -o "$D11/truong"
  want_rc 1
  want_err "never replaced" "the refusal to replace a key"
  cmp -s "$D11/truong.key" "$D11/copy.key" || problem "a second keygen changed truong.key"
  sed -e "s|key: DEMO|key: $D11/truong.key|" "$TPL_GK" >"$D11/gk-own.yaml"
  vc kg3 render "$D11/gk-own.yaml" "$EX_GK" --rows 1 -o "$D11/own.pdf"
  want_rc 0 || return
  grep -q "DEMO key" "$ERR" && problem "a render with the school's own key spoke of the DEMO key"
  # the shipped template (key: DEMO), and the DEMO key's file under another
  # name: said after the render, not under -q
  vc kg3b render "$TPL_GK" "$EX_GK" --rows 1 -o "$D11/demo.pdf"
  want_rc 0
  want_err "signed with vncert's public DEMO key" "the note on the DEMO key"
  cp "$ROOT/examples/khoa-DEMO.key" "$D11/renamed.key"
  chmod 600 "$D11/renamed.key"
  sed -e "s|key: DEMO|key: $D11/renamed.key|" "$TPL_GK" >"$D11/gk-renamed.yaml"
  vc kg3c render "$D11/gk-renamed.yaml" "$EX_GK" --rows 1 -o "$D11/demo2.pdf"
  want_rc 0
  want_err "public DEMO key" "the note on the DEMO key from its file"
  vc kg3d render "$TPL_GK" "$EX_GK" --rows 1 -o "$D11/demo3.pdf" -q
  want_rc 0
  [ -s "$ERR" ] && problem "render -q printed: $(head -c 200 "$ERR")"
  vc kg4 verify "$D11/own.pdf" --keys "$D11/truong.pub"
  want_rc 0
  grep -q "THCS Lê Lợi 2026-2027" "$OUT" || problem "verify did not name the key's comment"
  vc kg5 verify "$D11/own.pdf" --keys "$DEMO_PUB"
  want_rc 1
  grep -q "unknown-key" "$OUT" || problem "another school's key did not say unknown-key"
  vc kg6 verify "$D11/own.pdf" --keys "$DEMO_PUB,$D11/truong.pub"
  want_rc 0
  chmod 644 "$D11/truong.key"
  vc kg7 render "$D11/gk-own.yaml" "$EX_GK" --rows 1 -o "$D11/own2.pdf"
  want_rc 1
  want_err "chmod 600" "how to make the key private"
  [ -e "$D11/own2.pdf" ] && problem "a render with a readable private key wrote a PDF"
  chmod 600 "$D11/truong.key"
}

# revoke: the ledger's serial is signed; once revoked, verify --ledger
# refuses it with the reason, the others stay valid.
t11_revoke() {
  local tpl="$D11/gk-serial.yaml" led="$D11/so.sqlite" s1 s2
  sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "{year}/GK-{seq:04}"|' "$TPL_GK" >"$tpl"
  vc rv1 render "$tpl" "$EX_GK" --rows 1-2 --ledger "$led" -o "$D11/rv.pdf"
  want_rc 0 || return
  scan "$D11/rv.pdf" "$D11/rv"
  vc rv2 verify "$(sed -n 1p "$D11/rv/codes.txt")" --keys "$DEMO_PUB" --ledger "$led"
  want_rc 0
  s1=$(sed -n 's/^  Số hiệu: *//p' "$OUT")
  [ -n "$s1" ] || { problem "the code carries no serial"; return; }
  vc rv3 revoke "$s1" --reason "Cấp nhầm người nhận" --ledger "$led"
  want_rc 0
  vc rv4 verify "$(sed -n 1p "$D11/rv/codes.txt")" --keys "$DEMO_PUB" --ledger "$led"
  want_rc 1
  grep -q "thu hồi (revoked) on [0-9-]*: Cấp nhầm người nhận" "$OUT" || problem "revoked: $(head -1 "$OUT")"
  vc rv5 verify "$(sed -n 2p "$D11/rv/codes.txt")" --keys "$DEMO_PUB" --ledger "$led"
  want_rc 0
  # the ledger's reason reaches the terminal escaped, as the values do
  s2=$(sed -n 's/^  Số hiệu: *//p' "$OUT")
  vc rv5b revoke "$s2" --reason "$(printf 'Nhầm \u202egnờưrt\033[31m')" --ledger "$led"
  want_rc 0
  vc rv5c verify "$(sed -n 2p "$D11/rv/codes.txt")" --keys "$DEMO_PUB" --ledger "$led"
  want_rc 1
  grep -q 'Nhầm \\u{202E}gnờưrt' "$OUT" || problem "the reason not escaped: $(head -1 "$OUT")"
  ! grep -q "$(printf '\u202e')\|$(printf '\033')" "$OUT" || problem "a raw control in verify's output"
  vc rv6 revoke "$s1" --reason "lại" --ledger "$led"
  want_rc 1
  want_err "already revoked" "the second revocation refused"
  vc rv7 revoke "2099/GK-9999" --reason "x" --ledger "$led"
  want_rc 1
  want_err "no document with the serial" "an unknown serial refused"
  vc rv8 revoke "$s1" --ledger "$led"
  want_rc 2
  # the revoked certificate does not come back silently under a new serial
  local key
  key=$(sed -n 2p "$EX_GK" | cut -d, -f1)
  vc rv9 render "$tpl" "$EX_GK" --rows 1-2 --ledger "$led" -o "$D11/rv-again.pdf"
  want_rc 1
  want_err "refuses to issue record $key again: its certificate $s1 was revoked on [0-9]{4}-[0-9]{2}-[0-9]{2} \(Cấp nhầm người nhận\)" \
    "the revoked record named, with its serial, day and reason"
  absent "$D11/rv-again.pdf" "a render of a revoked record"
  vc rv10 render "$tpl" "$EX_GK" --rows 1-2 --ledger "$led" -o "$D11/rv-again.pdf" --new-issue --reason "Sửa tên"
  want_rc 0 || return
  [ "$("$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM documents n JOIN documents o ON o.id = n.replaces"
                " WHERE o.serial = ? AND o.state = ? AND n.state = ? AND n.reason = ?",
                (sys.argv[2], "revoked", "issued", "Sửa tên")).fetchone()[0])' "$led" "$s1")" = 1 ] ||
    problem "--new-issue after a revocation: no issued document replacing the revoked $s1"
}

# A long award is signed shortened by the rule, and the render says so.
t11_shorten() {
  local long
  long=$("$PY" -c 'print(" ".join(["Đã có thành tích xuất sắc trong phong trào"] * 5))')
  printf 'ma_sv,ho_ten,lop,thanh_tich\n0210001,Lê Văn An,K19MN,%s\n' "$long" >"$D11/long.csv"
  vc sh1 render "$TPL_GK" "$D11/long.csv" -o "$D11/long.pdf"
  want_rc 0 || return
  want_err "signs the award shortened to 160 characters" "the warning of a shortened award"
  vc sh2 verify "$D11/long.pdf" --keys "$DEMO_PUB"
  want_rc 0
  grep -q "Nội dung: .*…$" "$OUT" || problem "the signed award does not end with …: $(grep Nội "$OUT")"
}

# A QR code with modules under 0.3 mm: one warning for the job, not one per
# page (10,000 pages would say it 10,000 times).
t11_small_once() {
  sed 's/- qr: \[22, 150, 26\]/- qr: [22, 150, 20]/' "$TPL_GK" >"$D11/small.yaml"
  grep -q 'qr: \[22, 150, 20\]' "$D11/small.yaml" || { problem "the shipped qr: line moved"; return; }
  # awards of ~150 characters: version 11, 0.29 mm modules at 20 mm
  "$PY" -c '
print("ma_sv,ho_ten,lop,thanh_tich")
for i in range(30):
    print("S%d,Nguyễn Thị Thu Thảo Châu Ngọc Bảo Trâm %d,K19,Vô địch giải cờ vua nhanh dành cho "
          "lứa tuổi thiếu niên toàn quốc tại Đà Nẵng và giải cờ tướng mở rộng khu vực duyên "
          "hải miền Trung lần thứ %d" % (i, i, i))' >"$D11/small.csv"
  vc sm1 render "$D11/small.yaml" "$D11/small.csv" -o "$D11/small.pdf"
  want_rc 0 || return
  local n
  n=$(grep -c "too small to scan well" "$ERR")
  [ "$n" = 1 ] || problem "30 pages of too small QR codes: $n warnings, expected 1"
}

# --split: each file (cut from a batch by pdf-split.c) keeps its page's link.
t11_split() {
  vc sp1 render "$TPL_GK" "$EX_GK" --split "$D11/split"
  want_rc 0 || return
  local f n=0
  for f in "$D11"/split/*.pdf; do
    vc sp2 verify "$f" --keys "$DEMO_PUB"
    want_rc 0 && n=$((n + 1))
    [ "$(grep -c '^Hợp lệ' "$OUT")" = 1 ] || problem "$(basename "$f"): not one valid code"
  done
  [ "$n" = 10 ] || problem "--split: $n files of 10 verified"
}

# 10,000 certificates with QR codes in bounded memory: each page's link is
# freed once written (pdf-stream.c), as its content is.  Not under ASan.
t11_memory() {
  ldd "$BIN" 2>/dev/null | grep -q libasan && return 0
  [ -x /usr/bin/time ] || { problem "/usr/bin/time is missing (Debian package time)"; return; }
  "$PY" -c '
print("ma_sv,ho_ten,lop,thanh_tich")
for i in range(10000):
    print("S%06d,Nguyễn Thị Thu Thảo %d,K19,Đã có thành tích xuất sắc trong học tập" % (i, i))' >"$D11/big.csv"
  timeout 120 /usr/bin/time -f '%M' -o "$D11/big.kb" "$BIN" render "$TPL_GK" "$D11/big.csv" \
    -o "$D11/big.pdf" -q 2>"$D11/big.err"
  local rc=$? peak
  peak=$(tail -1 "$D11/big.kb")
  [ $rc -eq 0 ] || { problem "render of 10,000 records: exit $rc: $(head -2 "$D11/big.err")"; return; }
  [ "$peak" -lt 48000 ] || problem "render of 10,000 QR codes: peak $((peak / 1024)) MB (over 47 MB: links kept?)"
  vc mem-v verify "$D11/big.pdf" --keys "$DEMO_PUB"
  want_rc 0
  [ "$(grep -c '^Hợp lệ' "$OUT")" = 10000 ] || problem "verify found $(grep -c '^Hợp lệ' "$OUT") valid codes of 10,000"
  rm -f "$D11/big.pdf" "$D11/big.csv"
}

t "verify: the shipped Giấy khen's QR codes scan at 300 dpi and verify" t11_scan_gk
t "verify: 10,000 certificates with QR codes render in bounded memory" t11_memory
t "verify: every --split file keeps its own QR code's link" t11_split
t "verify: the shipped receipt's QR codes scan at 300 dpi and verify" t11_scan_hb
t "verify: tampered, unknown key, malformed payloads and bad keys refused" t11_verify_refusals
t "verify: keygen, the school's own key, a readable private key refused, the DEMO key said" t11_keygen
t "verify: revoke through the ledger; verify --ledger refuses it" t11_revoke
t "verify: a long award signed shortened, with a warning" t11_shorten
t "verify: a QR code too small to scan is said once per job, not per page" t11_small_once
