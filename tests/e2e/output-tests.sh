# End-to-end tests of issue 6 (hardening), what vncert writes: per-record
# photos, files that appear whole or not at all (interrupted runs, full
# disks, volumes), the paths of images from the data, and output options.
# Sourced by tests/e2e/run.sh (uses its helpers: vc, want_rc, problem...).

# PNG files of one colour each: mk_photos DIR N -> DIR/NNNN.png, colour
# (i % 256, i / 256, 77), 8 x 8 pixels.
mk_photos() {
  "$PY" - "$1" "$2" <<'EOF'
import os, struct, sys, zlib
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
for i in range(n):
    raw = b"".join(b"\0" + bytes([i % 256, i // 256, 77]) * 8 for _ in range(8))
    with open(os.path.join(d, "%04d.png" % i), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
EOF
}

# A small template with a per-record photo, and N records using photos
# anh/0000.png ...: mk_photo_job DIR N
mk_photo_job() {
  mkdir -p "$1"
  cat >"$1/the.yaml" <<'EOF'
title: Thẻ
page: {size: A6, orientation: landscape}
fields:
  ma_sv: {required: true}
  ho_ten: {required: true}
elements:
  - text: "{ho_ten}"
    box: [8, 8, 100, 12]
    size: 12
  - image: "{anh}"
    box: [112, 8, 24, 32]
EOF
  mk_photos "$1/anh" "$2"
  "$PY" -c '
import sys
n = int(sys.argv[1])
print("ma_sv,ho_ten,anh")
for i in range(n):
    print("SV%04d,Nguyễn Văn Số %d,anh/%04d.png" % (i, i, i))' "$2" >"$1/ds.csv"
}

# The colour of the first image of PDF as "r g b" (pdfimages + python).
first_image_rgb() {
  rm -f "$W"/img-*
  pdfimages -png -f 1 -l 1 "$1" "$W/img" 2>/dev/null
  "$PY" - "$W/img-000.png" <<'EOF'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
i, idat, w = 8, b"", 0
while i < len(b):
    n, t = struct.unpack(">I", b[i:i + 4])[0], b[i + 4:i + 8]
    if t == b"IHDR": w = struct.unpack(">I", b[i + 8:i + 12])[0]
    if t == b"IDAT": idat += b[i + 8:i + 8 + n]
    i += 12 + n
raw = zlib.decompress(idat)
print(raw[1], raw[2], raw[3])
EOF
}

test_photos_many() {
  local d="$W/photos" n=3000 k got
  mk_photo_job "$d" $n
  vc photos check "$d/the.yaml" "$d/ds.csv"
  want_rc 0
  vc photos-o render "$d/the.yaml" "$d/ds.csv" -o "$d/all.pdf"
  want_rc 0 || return
  want_pages "$d/all.pdf" $n
  got=$(pdfimages -list "$d/all.pdf" | tail -n +3 | awk '{print $11}' | sort -u | wc -l)
  [ "$got" = $n ] || problem "all.pdf holds $got different image objects, expected $n"
  qpdf_clean "$d/all.pdf"
  vc photos-split render "$d/the.yaml" "$d/ds.csv" --split "$d/one"
  want_rc 0 || return
  got=$(ls "$d/one" | wc -l)
  [ "$got" = $n ] || problem "--split wrote $got files, expected $n"
  for k in 0 1 63 64 65 999 1000 2047 2999; do
    local f
    f="$d/one/SV$(printf %04d $k).pdf"
    got=$(pdfimages -list "$f" 2>/dev/null | tail -n +3 | wc -l)
    [ "$got" = 1 ] || { problem "$f holds $got images, expected its own photo only"; continue; }
    got=$(first_image_rgb "$f")
    [ "$got" = "$((k % 256)) $((k / 256)) 77" ] ||
      problem "$f holds the photo coloured ($got), expected record $k's ($((k % 256)) $((k / 256)) 77)"
  done
}

# Whatever render refuses, check reports first, with the data line.
test_check_agrees() {
  local d="$W/agree"
  mk_photo_job "$d" 3
  printf 'not a picture\n' >"$d/anh/0001.png"
  vc agree1 check "$d/the.yaml" "$d/ds.csv"
  want_rc 1
  want_err 'ds\.csv:3:3: .*anh/0001\.png.*not a PNG or JPEG' "the bad photo at its data line"
  vc agree2 render "$d/the.yaml" "$d/ds.csv" -o "$d/x.pdf"
  want_rc 1
  want_err 'ds\.csv:3:3: .*anh/0001\.png.*not a PNG or JPEG' "the same message from render"
  [ "$(grep -c 'anh/0001' "$ERR")" = 1 ] || problem "render: the bad photo reported $(grep -c 'anh/0001' "$ERR") times, expected once"
  absent "$d/x.pdf" "render with a bad photo"
  # the largest page the template reference allows renders
  sed 's/size: A6, orientation: landscape/size: [5080, 5080]/' "$d/the.yaml" >"$d/big.yaml"
  printf 'ma_sv,ho_ten,anh\nA1,Một,\n' >"$d/one.csv"
  vc agree3 check "$d/big.yaml" "$d/one.csv"
  want_rc 0
  vc agree4 render "$d/big.yaml" "$d/one.csv" -o "$d/big.pdf"
  want_rc 0
  pdfinfo "$d/big.pdf" 2>/dev/null | grep -q 'Page size: *14400 x 14400' ||
    problem "big.pdf: $(pdfinfo "$d/big.pdf" 2>&1 | grep 'Page size'), expected 14400 x 14400 pts"
}

# Paths of images from the data stay in the data's folder (or --images).
test_image_paths() {
  local d="$W/imgpath"
  mk_photo_job "$d" 2
  mkdir -p "$d/other" "$d/sub"
  cp "$d/anh/0000.png" "$d/outside.png"
  cp "$d/anh/0001.png" "$d/other/x.png"
  mv "$d/ds.csv" "$d/sub/"
  ln -s ../outside.png "$d/sub/link.png"
  mkdir -p "$d/sub/anh"
  cp "$d/anh/0000.png" "$d/sub/anh/ok.png"
  printf 'ma_sv,ho_ten,anh\nA1,Một,/etc/passwd\nA2,Hai,../outside.png\nA3,Ba,link.png\nA4,Bốn,missing.png\nA5,Năm,anh\nA6,Sáu,anh/ok.png\nA7,Bảy,x.png\n' >"$d/sub/ds.csv"
  vc ipath check "$d/the.yaml" "$d/sub/ds.csv"
  want_rc 1
  want_err 'ds\.csv:2:3: .*/etc/passwd.* not a path inside' "an absolute path refused"
  want_err 'ds\.csv:3:3: .*\.\./outside\.png.*leads out' "a path out through .. refused"
  want_err 'ds\.csv:4:3: .*link\.png.*leads out' "a link out of the folder refused"
  want_err 'ds\.csv:5:3: .*missing\.png.*not found' "a missing file"
  want_err 'ds\.csv:6:3: .*"anh" is not a file' "a folder"
  want_err 'ds\.csv:8:3: .*x\.png.*not found' "a file outside the folder without --images"
  grep -q ':7:' "$ERR" && problem "the good photo (line 7) was reported"
  grep -qi 'root:' "$ERR" && problem "/etc/passwd was read"
  printf 'ma_sv,ho_ten,anh\nA6,Sáu,anh/ok.png\nA7,Bảy,x.png\n' >"$d/sub/ok.csv"
  vc ipath2 render "$d/the.yaml" "$d/sub/ok.csv" --images "$d/other" -o "$d/ok.pdf"
  want_rc 0
  want_pages "$d/ok.pdf" 2
  vc ipath3 render "$d/the.yaml" "$d/sub/ok.csv" --images "$d/nowhere" -o "$d/no.pdf"
  want_rc 2
}

# A run stopped by Ctrl-C or SIGTERM removes what it wrote; after SIGKILL,
# -o leaves nothing (an unnamed file) and a later run removes what --split
# left.  bg_start LABEL ARGS... runs vncert in the background (PID).
bg_start() {
  local label=$1
  shift
  "$BIN" "$@" >"$W/$label.out" 2>"$W/$label.err" &
  PID=$!
}
# Waits (up to 60 s) until the command in the background has written
# something: a hidden folder in DIR, or an open file of DIR.
wait_writing() { # DIR
  local i
  for i in $(seq 600); do
    ls -A "$1" 2>/dev/null | grep -q '^\.vncert-' && return 0
    ls -l /proc/$PID/fd 2>/dev/null | grep -q "$1" && return 0
    kill -0 $PID 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
test_interrupted() {
  local d="$W/intr" sig rc
  mkdir -p "$d/o" "$d/s"
  "$PY" -c '
print("ma_sv,ho_ten,lop,thanh_tich,so_tien")
for i in range(200000):
    print("S%06d,Nguyễn Thị Thu Thảo %d,K19,Thành tích xuất sắc,5000000" % (i, i))' >"$d/big.csv"
  for sig in INT TERM; do
    bg_start intr-o render "$TPL_GK" "$d/big.csv" -o "$d/o/out.pdf"
    wait_writing "$d/o" || { problem "SIG$sig: render -o ended before it could be interrupted"; continue; }
    kill -$sig $PID
    wait $PID
    rc=$?
    [ $rc -gt 128 ] || problem "render -o after SIG$sig: exit $rc, expected death by the signal"
    CMD="render -o, SIG$sig" vi_back "$W/intr-o.err" "$W/intr-o.out"
    same_list "$d/o" "" "render -o after SIG$sig"
    grep -qi 'interrupted' "$W/intr-o.err" || problem "render -o after SIG$sig does not say it was interrupted"
  done
  bg_start intr-s render "$TPL_GK" "$d/big.csv" --split "$d/s"
  wait_writing "$d/s" || problem "render --split ended before it could be interrupted"
  sleep 0.5
  kill -INT $PID
  wait $PID
  same_list "$d/s" "" "render --split after SIGINT"
  # SIGKILL: nothing the process can do
  bg_start kill-o render "$TPL_GK" "$d/big.csv" -o "$d/o/out.pdf"
  wait_writing "$d/o" && sleep 0.3
  kill -KILL $PID
  wait $PID 2>/dev/null
  same_list "$d/o" "" "render -o after SIGKILL (an unnamed temporary file)"
  bg_start kill-s render "$TPL_GK" "$d/big.csv" --split "$d/s"
  # the folder is open before the check pass ends (longer under ASan, and
  # with the QR codes' checks): wait for the hidden folder itself
  local i
  for i in $(seq 600); do
    ls -A "$d/s" 2>/dev/null | grep -q '^\.vncert-' && break
    kill -0 $PID 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.5
  kill -KILL $PID
  wait $PID 2>/dev/null
  ls -A "$d/s" | grep -q '^\.vncert-' || problem "--split after SIGKILL left no hidden folder: the test proves nothing"
  vc intr-again render "$TPL_GK" "$EX_GK" --split "$d/s"
  want_rc 0
  want_err 'removed [0-9]+ temporary file' "the note that stale temporaries were removed"
  [ -z "$(ls -A "$d/s" | grep '^\.')" ] || problem "--split: stale temporaries remain: $(ls -A "$d/s" | grep '^\.' | head -3)"
  [ "$(ls "$d/s" | wc -l)" = 10 ] || problem "--split after clean-up: $(ls "$d/s" | wc -l) files, expected 10"
}

# Volumes: all or nothing; stale ones of an earlier run named; never over
# an input file.
test_volumes_hardened() {
  local d="$W/volh" rc
  mkdir -p "$d"
  # a disk that fills up during the third volume (a file size limit of 40
  # KiB: the first two volumes take 37 KB each, the third, with every
  # Vietnamese letter in it, 46 KB)
  "$PY" - "$W/volh.csv" <<'EOF'
import sys
v = "ẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴĐắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵđ"
rows = ["ma_sv,ho_ten,lop,thanh_tich,so_tien"]
rows += ["A%d,Ha Van An,K1,Tot,5000000" % i for i in range(6)]
rows += ["B%d,Nguyễn Thị Thu Thảo,K2,%s,5000000" % (i, " ".join(v[j:j + 6] for j in range(0, len(v), 6))) for i in range(3)]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
EOF
  (trap '' XFSZ; ulimit -f 40; exec "$BIN" render "$TPL_GK" "$W/volh.csv" -o "$d/v.pdf" --volume-pages 3 \
    >"$d/full.out" 2>"$d/full.err")
  rc=$?
  [ $rc = 1 ] || problem "volumes on a full disk: exit $rc, expected 1"
  same_list "$d" "full.err
full.out" "volumes on a full disk"
  CMD="volumes on a full disk" vi_back "$d/full.err" "$d/full.out"
  grep -qi 'nothing was written' "$d/full.err" || problem "volumes on a full disk: no 'nothing was written':"$'\n'"$(first "$d/full.err" 5)"
  grep -Eqi '[0-9]+ of the [0-9]+ files were written' "$d/full.err" && problem "volumes on a full disk: says files were written"
  rm -f "$d"/full.*
  vc volh1 render "$TPL_GK" "$EX_GK" -o "$d/v.pdf" --volume-pages 2
  want_rc 0
  vc volh2 render "$TPL_GK" "$EX_GK" -o "$d/v.pdf" --volume-pages 2 --rows 1-5
  want_rc 0
  want_pages "$d/v-003.pdf" 1
  want_err 'v-004\.pdf.*earlier run' "v-004.pdf named as left from an earlier run"
  want_err 'v-005\.pdf.*earlier run' "v-005.pdf named as left from an earlier run"
  grep -q 'v-00[123].pdf.*earlier' "$ERR" && problem "a volume of this run named as stale"
  # a volume name that is the data file
  cp "$EX_GK" "$d/ds-001.pdf"
  cp "$EX_GK" "$d/keep.csv"
  vc volh3 render "$TPL_GK" "$d/ds-001.pdf" -o "$d/ds.pdf" --volume-pages 100
  want_rc 2
  want_err 'ds-001\.pdf.*data file' "the volume that would be the data file"
  same_file "$d/ds-001.pdf" "$d/keep.csv" "the data file named like a volume"
}

# Smaller ones of point 12, and output errors.
test_output_options() {
  local d="$W/outopt" long
  mkdir -p "$d"
  long=$(printf 'n%.0s' $(seq 250)).pdf # 254 bytes
  vc oo1 render "$TPL_GK" "$EX_GK" -o "$d/$long"
  want_rc 0
  want_pages "$d/$long" 10
  # --layout-tsv only when something was rendered
  printf '%s\n%s\n' "$HDR" "0210001,,K20MN,x,abc" >"$d/bad.csv"
  vc oo2 render "$TPL_GK" "$d/bad.csv" -o "$d/bad.pdf" --layout-tsv "$d/bad.tsv"
  want_rc 1
  absent "$d/bad.tsv" "--layout-tsv of a render that wrote nothing"
  # --split folder only when something is written
  vc oo3 render "$TPL_GK" "$d/bad.csv" --split "$d/newdir"
  want_rc 1
  absent "$d/newdir" "--split of a render that wrote nothing"
  # usage errors
  local args
  for args in "--split ''" "-o ''" "-o $d/a.pdf --overwrite" "-o $d/a.pdf --ascii" \
    "--split $d/s2 --volume-pages 3" "-o - --volume-pages 3"; do
    eval "vc oo4 render \"\$TPL_GK\" \"\$EX_GK\" $args"
    want_rc 2
  done
  absent "$d/s2" "a usage error"
  # -o - : the PDF on standard output
  vc oo5 render "$TPL_GK" "$EX_GK" -o -
  want_rc 0
  want_pages "$OUT" 10
  qpdf_clean "$OUT"
  # a write error on standard output is an error
  timeout 60 "$BIN" render "$TPL_GK" "$EX_GK" -o - >/dev/full 2>"$d/full.err"
  [ $? = 1 ] || problem "render -o - >/dev/full: exit $?, expected 1"
  CMD="render -o - >/dev/full" vi_back "$d/full.err"
  grep -Eqi 'cannot write|no space' "$d/full.err" || problem "render -o - >/dev/full: no message:"$'\n'"$(first "$d/full.err" 4)"
  # -o onto a link writes through to its target; the link stays
  mkdir -p "$d/real"
  echo old >"$d/real/target.pdf"
  ln -s real/target.pdf "$d/link.pdf"
  vc oo6 render "$TPL_BN" "$EX_HB" -o "$d/link.pdf"
  want_rc 0
  [ -L "$d/link.pdf" ] || problem "-o onto a link replaced the link"
  want_pages "$d/real/target.pdf" 4
  same_list "$d/real" "target.pdf" "-o through a link"
  ln -s nowhere/x.pdf "$d/dangling.pdf"
  vc oo7 render "$TPL_BN" "$EX_HB" -o "$d/dangling.pdf"
  want_rc 1
  want_err 'link' "a link to nothing refused"
}

t "hardening: 3,000 photos, -o and --split, each file its own photo" test_photos_many
t "hardening: check reports what render refuses (images, largest page)" test_check_agrees
t "hardening: image paths from the data stay in its folder (or --images)" test_image_paths
t "hardening: interrupted runs leave nothing behind" test_interrupted
t "hardening: volumes all or nothing, stale ones named, never over an input" test_volumes_hardened
t "hardening: output options, -o -, links, long names, usage errors" test_output_options

# Issue 14, point 4: the language of the messages never reaches a PDF.  Every
# shipped template with its example (certificates, receipts, the signed list,
# envelope labels) and a proof, in English (C.UTF-8) and in Vietnamese
# (LANG=vi_VN.UTF-8, and LANGUAGE=vi over a French locale): the same bytes.
test_same_pdf_any_language() {
  local d="$W/lang" tpl ex name
  mkdir -p "$d"
  for job in "giay-khen:$EX_GK" "bien-nhan-hoc-bong:$EX_HB" "danh-sach-ky-nhan:$EX_HB" \
             "nhan-phong-bi:$EX_HB"; do
    name=${job%%:*} ex=${job#*:} tpl="$ROOT/templates/$name.yaml"
    env -u LC_ALL -u LANGUAGE LANG=C.UTF-8 "$BIN" render "$tpl" "$ex" -o "$d/$name-en.pdf" -q 2>"$d/$name-en.err" ||
      { problem "render $name in English failed:"$'\n'"$(first "$d/$name-en.err" 4)"; continue; }
    env -u LC_ALL -u LANGUAGE LANG=vi_VN.UTF-8 "$BIN" render "$tpl" "$ex" -o "$d/$name-vi.pdf" -q 2>"$d/$name-vi.err" ||
      { problem "render $name in Vietnamese failed:"$'\n'"$(first "$d/$name-vi.err" 4)"; continue; }
    env -u LC_ALL LANG=fr_FR.UTF-8 LANGUAGE=vi "$BIN" render "$tpl" "$ex" -o "$d/$name-vi2.pdf" -q 2>/dev/null
    cmp -s "$d/$name-en.pdf" "$d/$name-vi.pdf" || problem "$name: the PDF differs between C.UTF-8 and vi_VN.UTF-8"
    cmp -s "$d/$name-en.pdf" "$d/$name-vi2.pdf" || problem "$name: the PDF differs between C.UTF-8 and LANGUAGE=vi"
  done
  env -u LC_ALL -u LANGUAGE LANG=C.UTF-8 "$BIN" proof "$TPL_GK" -o "$d/proof-en.pdf" -q 2>/dev/null
  env -u LC_ALL -u LANGUAGE LANG=vi_VN.UTF-8 "$BIN" proof "$TPL_GK" -o "$d/proof-vi.pdf" -q 2>/dev/null
  cmp -s "$d/proof-en.pdf" "$d/proof-vi.pdf" || problem "the proof differs between C.UTF-8 and vi_VN.UTF-8"
  # and the Vietnamese run did speak Vietnamese: a missing data file
  env -u LC_ALL -u LANGUAGE LANG=vi_VN.UTF-8 "$BIN" render "$TPL_GK" "$d/none.csv" -o "$d/x.pdf" 2>"$d/none-vi.err"
  env -u LC_ALL -u LANGUAGE LANG=C.UTF-8 "$BIN" render "$TPL_GK" "$d/none.csv" -o "$d/x.pdf" 2>"$d/none-en.err"
  cmp -s "$d/none-vi.err" "$d/none-en.err" && problem "the same message in English and Vietnamese:"$'\n'"$(first "$d/none-vi.err" 3)"
  grep -q 'none\.csv' "$d/none-vi.err" || problem "the Vietnamese message lost the file name:"$'\n'"$(first "$d/none-vi.err" 3)"
}
t "messages: the same PDFs in English and Vietnamese" test_same_pdf_any_language
