# shellcheck shell=bash
# End-to-end tests of issue 9 (the issuance ledger) at the command level:
# serials on the page, kept on a re-render, new issues, reprints (the mark,
# refusals field by field, --force), the log (table, CSV with a BOM,
# totals), export/import, bad ledgers, kill -9 at random moments, runs at
# once, and the same commands on a real PostgreSQL (tests/tools/pg-server.sh).
# Sourced by tests/e2e/run.sh: uses its $BIN, $W, $PY, t, vc, want_rc,
# want_err, problem, absent, pdf_ok.  Every input is made here, in $W/d9.
# About 40 s (10 of them waiting out a locked ledger's busy timeout).

D9="$W/d9"
mkdir -p "$D9"
chmod 755 "$W" "$D9"
# The default ledger's place: never the tester's own home.
export XDG_DATA_HOME="$D9/xdg"
# A Giấy khen with a serial pattern printed beside the decision number.
TPL9="$D9/gk-serial.yaml"
sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "{year}/GK-{seq:04}"|' \
    -e 's|  - text: "Số: {so_qd}"|  - text: "Số: {so_qd}   Số hiệu: {serial}"|' \
    "$TPL_GK" >"$TPL9"
YEAR=$(date +%Y)

# serials_in PDF: the serials printed in it, one a line, in page order.
serials_in() { pdftotext "$1" - 2>/dev/null | grep -o "$YEAR/GK-[0-9]*"; }
# sql LEDGER QUERY: one SQLite query's rows (Python's sqlite3, read-only).
sql() {
  "$PY" - "$1" "$2" <<'PYEOF'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for r in c.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in r))
PYEOF
}
# big_list N FILE: N records of the Giấy khen's columns.
big_list() {
  "$PY" - "$1" "$2" <<'PYEOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as f:
    f.write("ma_sv,ho_ten,lop,thanh_tich,so_tien\n")
    for i in range(n):
        f.write("SV%05d,Nguyễn Văn Học %d,K19MN,Đạt thành tích tốt,500.000\n" % (i, i))
PYEOF
}

t9_serials() {
  vc r1 render "$TPL9" "$EX_GK" -o "$D9/a.pdf"
  want_rc 0 || return
  local def="$XDG_DATA_HOME/vncert/so-cap-phat-"
  ls "$def"*.sqlite >/dev/null 2>&1 || problem "no ledger at the default place ${def}YYYY-YYYY.sqlite"
  local a b n
  a=$(serials_in "$D9/a.pdf")
  n=$(printf '%s\n' "$a" | sort -u | grep -c .)
  [ "$n" = 10 ] || problem "10 records, $n different serials printed: $a"
  [ "$(printf '%s\n' "$a" | head -1)" = "$YEAR/GK-0001" ] || problem "first serial: $(printf '%s\n' "$a" | head -1)"
  pdf_ok "$D9/a.pdf"
  vc r2 render "$TPL9" "$EX_GK" -o "$D9/b.pdf"
  want_rc 0
  b=$(serials_in "$D9/b.pdf")
  [ "$a" = "$b" ] || problem "rendering again changed the serials"
  vc r3 render "$TPL9" "$EX_GK" --rows 2 -o "$D9/c.pdf" --new-issue
  want_rc 2 && want_err "--reason" "that a new issue needs a reason"
  absent "$D9/c.pdf" "--new-issue without --reason"
  vc r4 render "$TPL9" "$EX_GK" --rows 2 -o "$D9/c.pdf" --new-issue --reason "sai tên"
  want_rc 0
  [ "$(serials_in "$D9/c.pdf")" = "$YEAR/GK-0011" ] || problem "new issue: $(serials_in "$D9/c.pdf"), expected $YEAR/GK-0011"
  vc r5 log --kind new-issue
  want_rc 0
  grep -q "GK-0011.*sai tên" "$OUT" || problem "log --kind new-issue lacks the new issue:"$'\n'"$(first "$OUT" 4)"
  [ "$(grep -c GK- "$OUT")" = 1 ] || problem "log --kind new-issue lists other kinds"
}

t9_without() {
  # The shipped templates declare no serial: nothing of the ledger is made
  # or printed, the output is main's (byte for byte, tests/e2e output tests).
  local x="$D9/xdg-none"
  XDG_DATA_HOME=$x vc w1 render "$TPL_GK" "$EX_GK" -o "$D9/plain.pdf"
  want_rc 0
  [ -e "$x" ] && problem "a render without a ledger made $x"
  vc w2 check "$TPL9" "$EX_GK"
  want_rc 0
  vc w3 render "$TPL9" "$EX_GK" -o - --ledger "$D9/stdout.sqlite"
  want_rc 2 && want_err "standard output" "why a ledger needs a file"
}

t9_proof() {
  # A proof opens no ledger: {serial} shows the first serial of the year as
  # the pattern prints it, and the page says it is a sample.
  local x="$D9/xdg-proof" txt
  XDG_DATA_HOME=$x vc p1 proof "$TPL9" -o "$D9/proof.pdf"
  want_rc 0 || return
  [ -e "$x" ] && problem "a proof made a ledger at $x"
  txt=$(pdftotext "$D9/proof.pdf" - 2>/dev/null)
  grep -q "Số hiệu: $YEAR/GK-0001" <<<"$txt" || problem "proof: no sample serial in its box: $(grep -i 'số hiệu' <<<"$txt")"
  grep -q "Số hiệu mẫu: $YEAR/GK-0001 .*{year}/GK-{seq:04}" <<<"$txt" || problem "proof: no note saying the serial is a sample"
  XDG_DATA_HOME=$x vc p2 proof "$TPL_GK" -o "$D9/proof-plain.pdf"
  want_rc 0 || return
  pdftotext "$D9/proof-plain.pdf" - | grep -q "Số hiệu mẫu" && problem "a template without serial: a sample note"
  pdf_ok "$D9/proof.pdf"
}

t9_reprint() {
  local L="$D9/bn.sqlite" s key
  vc p1 render "$TPL_BN" "$EX_HB" -o "$D9/bn.pdf" --ledger "$L" --operator "cô Lan"
  want_rc 0 || return
  key=$(sql "$L" "select record_key from documents order by id limit 1")
  vc p2 reprint "$TPL_BN" "$EX_HB" --ledger "$L" --key "$key" \
     --reason "mất bản gốc" -o "$D9/rp1.pdf"
  want_rc 0 || return
  pdftotext "$D9/rp1.pdf" - | grep -q "Bản in lại lần 1" || problem "the first reprint lacks 'Bản in lại lần 1'"
  pdftotext "$D9/bn.pdf" - | grep -q "Bản in lại" && problem "the first issue shows a reprint mark"
  vc p3 reprint "$TPL_BN" "$EX_HB" --ledger "$L" --key "$key" \
     --reason "lần nữa" -o "$D9/rp2.pdf"
  pdftotext "$D9/rp2.pdf" - | grep -q "Bản in lại lần 2" || problem "the second reprint lacks 'lần 2'"
  # the data changed: refused, field by field, nothing written
  local name new
  name=$(sql "$L" "select name from documents order by id limit 1")
  new="${name}x"
  sed "2s/$name/$new/" "$EX_HB" >"$D9/hb2.csv"
  vc p4 reprint "$TPL_BN" "$D9/hb2.csv" --ledger "$L" --match "$name" --all-matches --reason r -o "$D9/rp3.pdf"
  want_rc 2 # --all-matches is not an option of reprint
  vc p5 reprint "$TPL_BN" "$D9/hb2.csv" --ledger "$L" --key "$key" \
     --reason r -o "$D9/rp3.pdf"
  want_rc 1 && want_err "ho_ten changed .*$name.* → .*$new" "the changed field, old → new"
  absent "$D9/rp3.pdf" "a refused reprint"
  vc p6 reprint "$TPL_BN" "$D9/hb2.csv" --ledger "$L" --key "$key" \
     --reason "đổi tên" --force -o "$D9/rp3.pdf"
  want_rc 0
  pdftotext "$D9/rp3.pdf" - | grep -q "$new" || problem "--force did not print the new data"
  s=$(sql "$L" "select count(*) from events where kind='reprint'")
  [ "$s" = 3 ] || problem "3 reprints recorded expected, $s"
  sql "$L" "select reason from events where kind='reprint' order by id desc limit 1" | grep -q "forced" \
    || problem "the forced reprint is not recorded as forced"
  sql "$L" "select operator from events where kind='render' limit 1" | grep -q "cô Lan" \
    || problem "--operator not recorded"
  # by serial and by name on the serial template (issued here when this
  # test runs alone: rendering again changes nothing)
  vc p10 render "$TPL9" "$EX_GK" -o "$D9/a2.pdf"
  vc p7 reprint "$TPL9" "$EX_GK" --serial "$YEAR/GK-0003" --reason x -o "$D9/rp4.pdf"
  want_rc 0 && [ "$(serials_in "$D9/rp4.pdf")" = "$YEAR/GK-0003" ] || problem "reprint --serial: $(serials_in "$D9/rp4.pdf")"
  vc p8 reprint "$TPL9" "$EX_GK" --serial "$YEAR/GK-9999" --reason x -o "$D9/rp5.pdf"
  want_rc 1 && want_err "no document has the serial" "an unknown serial named"
  vc p9 reprint "$TPL9" "$EX_GK" --reason x -o "$D9/rp5.pdf"
  want_rc 2
}

t9_log() {
  local L="$D9/bn.sqlite"
  vc l1 log --ledger "$L" --csv
  want_rc 0
  head -c 3 "$OUT" | od -An -tx1 | grep -q "ef bb bf" || problem "log --csv does not start with a UTF-8 BOM"
  "$PY" -c "import csv,sys; r=list(csv.reader(open(sys.argv[1],encoding='utf-8-sig',newline='')));
assert r[0][:3]==['time','kind','serial'], r[0]; assert len(r)>=5, len(r)" "$OUT" 2>"$D9/py.err" \
    || problem "log --csv is not the CSV expected: $(head -2 "$D9/py.err")"
  vc l2 log --ledger "$L" --totals --csv
  want_rc 0
  local want
  want=$("$PY" -c "import csv,sys
r=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig'),delimiter=';'))
print(sum(int(x['Số tiền'].replace('.','')) for x in r))" "$EX_HB")
  "$PY" -c "import csv,sys; r=list(csv.reader(open(sys.argv[1],encoding='utf-8-sig')))
t=sum(int(x[3].replace('.','')) for x in r[1:]); sys.exit(0 if t==int(sys.argv[2]) else 1)" "$OUT" "$want" \
    || problem "log --totals does not sum so_tien to $want:"$'\n'"$(first "$OUT" 4)"
  vc l3 log --ledger "$L" --from 2000-01-01 --to 2000-12-31
  want_rc 0
  [ "$(grep -c . "$OUT")" -le 1 ] || problem "--to 2000-12-31 listed events"
  vc l4 log --ledger "$L" --kind nonsense
  want_rc 2
  vc l5 log --ledger "$L" --match "$(sql "$L" "select name from documents order by id limit 1 offset 1")"
  want_rc 0 && [ "$(grep -c render "$OUT")" = 1 ] || problem "log --match: $(first "$OUT" 4)"
  for c in reprint log ledger; do
    vc h-$c "$c" --help
    want_rc 0
    grep -q -- "--ledger" "$OUT" || problem "$c --help lacks --ledger"
  done
}

t9_bad() {
  local pdf="$D9/bad.pdf" sum
  rm -f "$pdf"
  # not a ledger: the data file itself
  cp "$EX_GK" "$D9/notledger.csv"
  vc b1 render "$TPL9" "$EX_GK" -o "$pdf" --ledger "$D9/notledger.csv"
  want_rc 1 && want_err "not a vncert ledger" "not a ledger"
  absent "$pdf" "not a ledger"
  cmp -s "$EX_GK" "$D9/notledger.csv" || problem "the file given as a ledger was changed"
  # corrupt: a ledger's pages overwritten in the middle
  vc b0 render "$TPL9" "$EX_GK" -o "$D9/ok.pdf" --ledger "$D9/corrupt.sqlite"
  dd if=/dev/urandom of="$D9/corrupt.sqlite" bs=1024 seek=2 count=8 conv=notrunc status=none
  vc b2 render "$TPL9" "$EX_GK" -o "$pdf" --ledger "$D9/corrupt.sqlite"
  want_rc 1 && want_err "damaged|not a vncert ledger" "a damaged ledger"
  absent "$pdf" "a corrupt ledger"
  # newer schema
  vc b3 render "$TPL9" "$EX_GK" -o "$D9/ok2.pdf" --ledger "$D9/newer.sqlite"
  "$PY" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"update vncert_ledger set value='9' where name='schema'\"); c.commit()" "$D9/newer.sqlite" \
    || problem "cannot make a newer ledger"
  sum=$(md5sum <"$D9/newer.sqlite")
  rm -f "$pdf"
  vc b4 render "$TPL9" "$EX_GK" -o "$pdf" --ledger "$D9/newer.sqlite"
  want_rc 1 && want_err "newer vncert" "a newer schema"
  absent "$pdf" "a newer ledger"
  [ "$sum" = "$(md5sum <"$D9/newer.sqlite")" ] || problem "a newer ledger was changed"
  # read-only (as nobody: root writes anything)
  mkdir -p "$D9/ro" "$D9/ro-out" && chmod 777 "$D9/ro-out"
  vc b5 render "$TPL9" "$EX_GK" -o "$D9/ok3.pdf" --ledger "$D9/ro/l.sqlite"
  chmod 755 "$D9/ro" && chmod 644 "$D9/ro/l.sqlite" && chmod o+rx "$TPL9" "$D9"
  local as=""
  [ "$(id -u)" = 0 ] && as="runuser -u nobody --"
  $as "$BIN" render "$TPL9" "$EX_GK" -o "$D9/ro-out/x.pdf" --ledger "$D9/ro/l.sqlite" >/dev/null 2>"$D9/ro.err"
  RC=$? CMD="render with a read-only ledger" ERR="$D9/ro.err"
  vi_back "$ERR"
  want_rc 1 && want_err "cannot be written|read-only" "a read-only ledger"
  absent "$D9/ro-out/x.pdf" "a read-only ledger"
  # locked by another program past the busy timeout
  vc b6 render "$TPL9" "$EX_GK" -o "$D9/ok4.pdf" --ledger "$D9/locked.sqlite"
  "$PY" -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1],isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('held',flush=True); time.sleep(14)" "$D9/locked.sqlite" >"$D9/lock.out" &
  local holder=$!
  for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q held "$D9/lock.out" && break; sleep 0.2; done
  rm -f "$pdf"
  vc b7 render "$TPL9" "$EX_GK" -o "$pdf" --new-issue --reason x --ledger "$D9/locked.sqlite"
  want_rc 1 && want_err "locked" "a locked ledger"
  absent "$pdf" "a locked ledger"
  kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
  local n
  n=$(sql "$D9/locked.sqlite" "select count(*) from documents")
  [ "$n" = 10 ] || problem "the locked ledger holds $n documents, not 10 (half recorded?)"
}

# kill_check LEDGER PDF: every serial the ledger calls issued is printed in
# the PDF, and no serial is in the ledger twice.
kill_check() {
  local issued printed
  issued=$(sql "$1" "select serial from documents where state='issued' order by serial")
  printed=$(serials_in "$2" 2>/dev/null | sort)
  local missing
  missing=$(comm -23 <(printf '%s\n' "$issued" | grep .) <(printf '%s\n' "$printed" | sort -u))
  [ -z "$missing" ] || problem "issued without their document: $(printf '%s' "$missing" | head -3 | tr '\n' ' ')"
  [ -z "$(sql "$1" "select serial from documents group by serial having count(*)>1")" ] \
    || problem "a serial is in the ledger twice"
  [ -z "$(printf '%s\n' "$printed" | uniq -d)" ] || problem "a serial printed twice"
}

t9_kill() {
  local L="$D9/kill.sqlite" pdf="$D9/kill.pdf" csv="$D9/big.csv" i pid
  big_list 300 "$csv"
  for i in 1 2 3 4 5 6 7 8; do
    "$BIN" render "$TPL9" "$csv" -o "$pdf" --ledger "$L" -q 2>/dev/null &
    pid=$!
    sleep "0.$(( (RANDOM % 18) + 1 ))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ -e "$L" ] && kill_check "$L" "$pdf"
  done
  vc k1 render "$TPL9" "$csv" -o "$pdf" --ledger "$L"
  want_rc 0 || return
  kill_check "$L" "$pdf"
  local n
  n=$(sql "$L" "select count(*) from documents where state='issued'")
  [ "$n" = 300 ] || problem "after the rerun $n documents issued, not 300"
  [ "$(serials_in "$pdf" | sort -u | grep -c .)" = 300 ] || problem "the rerun's PDF lacks serials"
  [ "$(sql "$L" "select count(*) from documents where state='pending'")" = 0 ] || problem "pending documents left after the rerun"
}

t9_together() {
  local L="$D9/together.sqlite" csv="$D9/big2.csv"
  big_list 200 "$csv"
  vc c0 render "$TPL9" "$csv" --rows 1 -o "$D9/c0.pdf" --ledger "$L"
  "$BIN" render "$TPL9" "$csv" --rows 1-120 -o "$D9/c1.pdf" --ledger "$L" -q 2>"$D9/c1.err" &
  local p1=$!
  "$BIN" render "$TPL9" "$csv" --rows 80-200 -o "$D9/c2.pdf" --ledger "$L" -q 2>"$D9/c2.err" &
  local p2=$!
  "$BIN" reprint "$TPL9" "$csv" --key SV00000 --reason "cùng lúc" -o "$D9/c3.pdf" --ledger "$L" -q 2>"$D9/c3.err" &
  local p3=$!
  wait $p1 || problem "render 1-120 at once failed: $(head -3 "$D9/c1.err")"
  wait $p2 || problem "render 80-200 at once failed: $(head -3 "$D9/c2.err")"
  wait $p3 || problem "the reprint at once failed: $(head -3 "$D9/c3.err")"
  [ "$(sql "$L" "select count(*) from documents where state='issued'")" = 200 ] || problem "not 200 documents issued"
  [ "$(sql "$L" "select count(*) from events where kind='render'")" = 242 ] || problem "not 242 render events: $(sql "$L" "select count(*) from events where kind='render'")"
  [ "$(sql "$L" "select count(*) from events where kind='reprint'")" = 1 ] || problem "the reprint not recorded"
  local a b
  a=$(serials_in "$D9/c1.pdf" | sed -n 80,120p)
  b=$(serials_in "$D9/c2.pdf" | sed -n 1,41p)
  [ "$a" = "$b" ] || problem "records 80-120 got different serials in the two runs"
}

t9_move_pg() {
  local PGD="$W/pg" conn
  conn=$("$ROOT/tests/tools/pg-server.sh" start "$PGD" 2>"$D9/pg.err") || {
    problem "PostgreSQL test server: $(head -3 "$D9/pg.err")"
    return
  }
  vc m1 ledger export "$D9/bn.csv" --ledger "$D9/bn.sqlite"
  want_rc 0
  vc m2 ledger import "$D9/bn.csv" --ledger "$conn"
  want_rc 0
  vc m3 ledger export "$D9/bn-pg.csv" --ledger "$conn"
  want_rc 0
  cmp -s "$D9/bn.csv" "$D9/bn-pg.csv" || problem "SQLite -> PostgreSQL -> CSV is not the same CSV"
  vc m4 ledger import "$D9/bn.csv" --ledger "$conn"
  want_rc 1
  # the commands on PostgreSQL: render, again, a reprint, the log
  local pgl="$conn dbname=postgres"
  vc g1 render "$TPL9" "$EX_GK" -o "$D9/pg1.pdf" --ledger "$conn"
  want_rc 0
  vc g2 render "$TPL9" "$EX_GK" -o "$D9/pg2.pdf" --ledger "$conn"
  want_rc 0
  [ "$(serials_in "$D9/pg1.pdf")" = "$(serials_in "$D9/pg2.pdf")" ] || problem "PostgreSQL: serials changed on a re-render"
  [ "$(serials_in "$D9/pg1.pdf" | head -1)" = "$YEAR/GK-0001" ] || problem "PostgreSQL: first serial $(serials_in "$D9/pg1.pdf" | head -1)"
  vc g3 reprint "$TPL9" "$EX_GK" --serial "$YEAR/GK-0002" --reason pg -o "$D9/pg3.pdf" --ledger "$conn"
  want_rc 0
  vc g4 log --ledger "$conn" --kind reprint --csv
  want_rc 0 && grep -q "GK-0002" "$OUT" || problem "PostgreSQL log lacks the reprint"
  "$BIN" render "$TPL9" "$D9/big.csv" -o "$D9/pgk.pdf" --ledger "$conn" -q 2>/dev/null &
  local pid=$!
  sleep 0.7; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  vc g5 render "$TPL9" "$D9/big.csv" -o "$D9/pgk.pdf" --ledger "$conn"
  want_rc 0
  [ "$(serials_in "$D9/pgk.pdf" | sort -u | grep -c .)" = 300 ] || problem "PostgreSQL: the rerun after kill -9 lacks serials"
  vc g6 ledger export "$D9/pg-all.csv" --ledger "$conn"
  grep -c '^"\{0,1\}document' "$D9/pg-all.csv" | grep -q '^3[0-9][0-9]$' || problem "PostgreSQL export: $(grep -c document "$D9/pg-all.csv") documents"
  : "$pgl"
  "$ROOT/tests/tools/pg-server.sh" stop "$PGD"
}

t "ledger: serials printed, kept, new issue" t9_serials
t "ledger: none without serial: or --ledger" t9_without
t "ledger: a proof shows a sample serial, said so" t9_proof
t "ledger: reprint, its mark, refusals, --force" t9_reprint
t "ledger: log table, CSV, totals, help" t9_log
t "ledger: bad ledgers refused, nothing written" t9_bad
t "ledger: kill -9 at random moments, rerun" t9_kill
t "ledger: two renders and a reprint at once" t9_together
t "ledger: export/import, the commands on PostgreSQL" t9_move_pg
unset XDG_DATA_HOME
