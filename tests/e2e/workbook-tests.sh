# End-to-end tests of issue 7 inside the workbook readers: merged cells,
# formulas (saved results, none saved, errors), password-protected files,
# ZIP names with '\', dates in .ods.  The workbooks come from real writers:
# openpyxl (which writes formulas without results, merges, hidden rows and
# autofilters) and LibreOffice headless (which computes and saves results,
# and writes .ods merges and dates).  Sourced by tests/e2e/run.sh (uses its
# helpers: vc, want_rc, want_err, problem, t, $PY, $W).

WB_OPENPYXL=false
"$PY" -c 'import openpyxl' 2>/dev/null && WB_OPENPYXL=true
WB_SOFFICE=$(command -v soffice || true)

# The school's list, as openpyxl writes it: WB/list.xlsx (class merged over
# its students, a total that was never computed, a hidden row, an autofilter)
# and WB/dates.xlsx (a date style with and without hours).
wb_make() {
  WB="$W/wb"
  [ -f "$WB/list.xlsx" ] && return 0
  mkdir -p "$WB"
  "$PY" - "$WB" <<'EOF'
import datetime, sys
import openpyxl
d = sys.argv[1]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Danh sách"
ws.append(["Mã SV", "Họ và tên", "Lớp", "Số tiền"])
for r in [("0210456", "Nguyễn Văn An", "10A1", 5000000), ("0210457", "Trần Thị Bình", None, 3000000),
          ("0210458", "Lê Văn Cường", None, 2000000), ("0210459", "Phạm Thị Dung", "10A2", 1000000),
          ("0210460", "Hoàng Văn Em", None, 500000)]:
    ws.append(list(r))
ws.merge_cells("C2:C4")
ws.merge_cells("C5:C6")
ws["E1"] = "Ghi chú"
ws["E2"] = "=D2/1000"
ws.row_dimensions[3].hidden = True
ws.auto_filter.ref = "A1:E6"
wb.save(d + "/list.xlsx")

wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Mã SV", "Ngày", "Lúc"])
for i, (day, t) in enumerate([((2024, 12, 19), (0, 0)), ((2024, 12, 20), (10, 30))]):
    v = datetime.datetime(*day, *t)
    ws.append(["SV%d" % i, v, v])
    ws.cell(row=i + 2, column=2).number_format = "dd/mm/yyyy"
    ws.cell(row=i + 2, column=3).number_format = "dd/mm/yyyy hh:mm"
ws.append(["SV9", "=1/0", None])
wb.save(d + "/dates.xlsx")
EOF
}

# LibreOffice's copies: WB/lo-ods/*.ods, WB/lo-xlsx/*.xlsx (formulas
# computed and saved by Calc).
wb_lo() {
  [ -f "$WB/lo-ods/list.ods" ] && return 0
  local prof="$W/lo-profile"
  mkdir -p "$prof"
  for f in ods xlsx; do
    HOME="$prof" timeout 120 "$WB_SOFFICE" --headless --norestore \
      -env:UserInstallation="file://$prof" --convert-to "$f" --outdir "$WB/lo-$f" \
      "$WB/list.xlsx" "$WB/dates.xlsx" >"$W/lo-$f.log" 2>&1
  done
}

# The records vncert data printed, without the CSV line ends' CR.
wb_out() { tr -d '\r' <"$OUT"; }

wb_skip() { # TOOL: a clear line, counted as passing
  echo "skip $1 is not installed (scripts/deps.sh test installs it)"
}

test_wb_merged_openpyxl() {
  $WB_OPENPYXL || { wb_skip python3-openpyxl; return 0; }
  wb_make
  # streamed (vncert data) and through the table (--sort): the same classes
  for opt in "" "--sort ma_sv"; do
    # shellcheck disable=SC2086
    vc wb-merged data "$WB/list.xlsx" $opt
    want_rc 1
    # row 2 has the formula with no result: an error, not printed
    [ "$(wb_out | cut -d, -f4 | tr '\n' ' ')" = "Lớp 10A1 10A1 10A2 10A2 " ] ||
      problem "$CMD: the merged class is not in every row:"$'\n'"$(cat "$OUT")"
    want_err 'list.xlsx:2:5: sheet "Danh sách", cell E2: the cell holds a formula with no saved result.*open it in Excel or LibreOffice, save it' \
      "the formula without a saved result, named"
  done
}

test_wb_libreoffice() {
  $WB_OPENPYXL || { wb_skip python3-openpyxl; return 0; }
  [ -n "$WB_SOFFICE" ] || { wb_skip "LibreOffice (libreoffice-calc-nogui)"; return 0; }
  wb_make
  wb_lo
  for f in lo-xlsx/list.xlsx lo-ods/list.ods; do
    [ -f "$WB/$f" ] || { problem "LibreOffice did not write $f: $(cat "$W"/lo-*.log)"; continue; }
    vc wb-lo data "$WB/$f"
    want_rc 0
    [ "$(wb_out | cut -d, -f4,6 | tr '\n' ' ')" = "Lớp,Ghi chú 10A1,5000 10A1, 10A1, 10A2, 10A2, " ] ||
      problem "$CMD: merged class or the saved formula result wrong:"$'\n'"$(cat "$OUT")"
  done
  # dates as the style shows them; an error result names its cell
  for f in dates.xlsx lo-xlsx/dates.xlsx lo-ods/dates.ods; do
    [ -f "$WB/$f" ] || continue
    vc wb-dates data "$WB/$f"
    want_rc 1
    wb_out | grep -qx '2,SV0,19/12/2024,19/12/2024 00:00' &&
      wb_out | grep -qx '3,SV1,20/12/2024,20/12/2024 10:30' ||
      problem "$CMD: dates not as their styles show them:"$'\n'"$(cat "$OUT")"
    case $f in
    dates.xlsx) want_err 'cell B4: the cell holds a formula with no saved result' "no saved result" ;;
    *.xlsx) want_err 'cell B4: the cell shows the Excel error #DIV/0!' "the error, named" ;;
    *) want_err 'cell B4: the cell shows an error \(#DIV/0!\)' "the error, named" ;;
    esac
  done
}

test_wb_protected() {
  # an .xlsx with a password to open is an OLE2 compound file holding
  # EncryptionInfo and EncryptedPackage (built here: no Debian tool writes
  # one headless); an .xls is one without them
  "$PY" - "$W" <<'EOF'
import struct, sys
def cfb(path, names):
    hdr = bytearray(512)
    hdr[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<III", hdr, 44, 1, 0, 0)
    hdr[76:512] = b"\xff" * 436
    struct.pack_into("<I", hdr, 76, 1)            # the FAT is sector 1
    dirs = bytearray(512)
    for i, n in enumerate(["Root Entry"] + names):
        e = n.encode("utf-16-le")
        dirs[128 * i:128 * i + len(e)] = e
        struct.pack_into("<HB", dirs, 128 * i + 64, len(e) + 2, 5 if i == 0 else 2)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFE, 0xFFFFFFFD)
    open(path, "wb").write(hdr + dirs + fat)
cfb(sys.argv[1] + "/locked.xlsx", ["EncryptionInfo", "EncryptedPackage"])
cfb(sys.argv[1] + "/old.xls", ["Workbook"])
EOF
  vc wb-locked data "$W/locked.xlsx"
  want_rc 1
  want_err 'locked.xlsx: this workbook is password-protected \(encrypted\).*clear the password' \
    "password-protected, how to remove it"
  grep -q '97-2003' "$ERR" && problem "$CMD: an encrypted .xlsx called an .xls"
  vc wb-xls data "$W/old.xls"
  want_rc 1
  want_err 'Excel 97-2003 workbook \(.xls\)' "an .xls still named as one"
}

test_wb_protected_ods() {
  $WB_OPENPYXL || { wb_skip python3-openpyxl; return 0; }
  [ -n "$WB_SOFFICE" ] || { wb_skip "LibreOffice (libreoffice-calc-nogui)"; return 0; }
  "$PY" -c 'import uno' 2>/dev/null || { wb_skip "python3-uno"; return 0; }
  wb_make
  # LibreOffice saves it with a password, through UNO (--convert-to takes
  # none headless).  Its .xlsx export ignores the password this way, so the
  # encrypted .xlsx is the compound file of test_wb_protected.
  local prof="$W/lo-uno"
  mkdir -p "$prof"
  HOME="$prof" timeout 120 "$PY" - "$WB/list.xlsx" "$W/locked.ods" "$prof" <<'EOF' >"$W/uno.log" 2>&1
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
def prop(n, v):
    p = PropertyValue()
    p.Name, p.Value = n, v
    return p
src, out, prof = sys.argv[1:4]
pipe = "vncert%d" % os.getpid()
proc = subprocess.Popen(["soffice", "--headless", "--norestore", "--nologo",
                         "-env:UserInstallation=file://" + prof, "--accept=pipe,name=%s;urp;" % pipe],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    ctx = uno.getComponentContext()
    res = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
    for _ in range(200):
        try:
            rctx = res.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.3)
    desk = rctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", rctx)
    doc = desk.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "calc8"), prop("Password", "abc")))
    doc.close(True)
    try:
        desk.terminate()
    except Exception:
        pass
finally:
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
EOF
  [ -f "$W/locked.ods" ] || { problem "LibreOffice did not write locked.ods: $(tail -3 "$W/uno.log")"; return; }
  vc wb-locked-ods data "$W/locked.ods"
  want_rc 1
  want_err 'locked.ods: the workbook is password-protected \(encrypted\).*untick "Save with password"' \
    "password-protected, how to remove it"
  grep -q 'damaged' "$ERR" && problem "$CMD: an encrypted .ods called damaged"
}

test_wb_backslash() {
  $WB_OPENPYXL || { wb_skip python3-openpyxl; return 0; }
  wb_make
  # the same workbook with '\' in its entry names, as some Windows tools write
  "$PY" - "$WB/list.xlsx" "$W/bs.xlsx" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as a, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as b:
    for i in a.infolist():
        b.writestr(i.filename.replace("/", "\\"), a.read(i))
EOF
  vc wb-bs data "$W/bs.xlsx"
  want_rc 1
  wb_out | grep -qx '3,0210457,Trần Thị Bình,10A1,3000000,' ||
    problem "$CMD: not read like the original:"$'\n'"$(cat "$OUT")"$'\n'"$(cat "$ERR")"
}

t "workbook: openpyxl list, class merged over its students in every row, formula never computed" test_wb_merged_openpyxl
t "workbook: LibreOffice .xlsx/.ods: merges, saved formula results, dates as shown, error cells" test_wb_libreoffice
t "workbook: password-protected .xlsx named, .xls still an .xls" test_wb_protected
t "workbook: password-protected .ods (LibreOffice, through UNO) named" test_wb_protected_ods
t "workbook: ZIP entry names with backslashes" test_wb_backslash
