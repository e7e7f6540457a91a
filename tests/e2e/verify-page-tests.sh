# shellcheck shell=bash
# End-to-end tests of `vncert verify-page` (issue 11, points 5 and 7): the page
# written (self-contained, a strict CSP, the keys as JSON), key files refused,
# and the page in a real browser: Debian's chromium driven by playwright-core
# (tests/e2e/browser, installed by scripts/deps.sh test), with every test vector
# of tests/data/verify-vectors.json (signed by tests/data/make-verify-vectors.py,
# an implementation apart from vncert's), Giấy khen rendered and signed by
# vncert (the shipped template, its DEMO key), a serial revoked with
# `vncert revoke`, and names with one letter changed, through
# WebCrypto's Ed25519 and through the bundled @noble/ed25519.  Screenshots are
# kept in $VP_SHOTS (printed); `vncert verify` is run on the same payloads and
# must agree.  Sourced by tests/e2e/run.sh: uses its $ROOT, $W,
# $BIN, $PY, $TPL_GK, $EX_GK, t, problem, first, vc, want_rc, want_err.  About 30 s
# (the browser cases 20 s).

VP_VEC="$ROOT/tests/data/verify-vectors.json"
VP_DIR="$ROOT/tests/e2e/browser"
VP_SHOTS="${VC_ARTEFACTS:-$ROOT/build/artefacts}/verify-page"

vp_keys() { # the vectors' public key files A.pub and B.pub in $W
  "$PY" -c '
import json, sys
for k in json.load(open(sys.argv[1]))["keys"]:
    open(k["id"] + ".pub", "w").write(k["public_file"])' "$VP_VEC"
}

vp_data() { # PAGE: the page's embedded JSON, pretty (fails if it is not JSON)
  "$PY" -c '
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<script type=\"application/json\" id=\"vc-data\">(.*?)</script>", html, re.S)
print(json.dumps(json.loads(m.group(1)), ensure_ascii=False, indent=1))' "$1"
}

test_vp_page() {
  vp_keys
  vc vp verify-page --keys A.pub,B.pub -o "$W/page.html" --school 'Trường CĐSP Lạng Sơn'
  want_rc 0 || return
  local p="$W/page.html" d
  # One file: no script, style, font or image from elsewhere; no request allowed.
  grep -Eiq '<(script|link|img|iframe)[^>]*(src|href)=' "$p" && problem "the page loads something from elsewhere"
  grep -Eiq "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" "$p" ||
    problem "no CSP of default-src 'none' and a script hash"
  grep -q "connect-src\|unsafe-inline\|unsafe-eval" "$p" && problem "the CSP allows more than its own script"
  d=$(vp_data "$p") || { problem "the embedded data is not JSON"; return; }
  for want in '"id": "6808c1d9"' '"id": "9f45eadf"' '"comment": "vncert test key A (DEMO)"' \
              '"school": "Trường CĐSP Lạng Sơn"' '"revoked": \[\]'; do
    printf '%s' "$d" | grep -q -- "$want" || problem "the page's data lacks $want"
  done
  # The same keys give the same page (the day it was made aside).
  vc vp2 verify-page --keys A.pub,B.pub -o "$W/page2.html" --school 'Trường CĐSP Lạng Sơn'
  cmp -s <(sed 's/"made":"[0-9-]*"//' "$p") <(sed 's/"made":"[0-9-]*"//' "$W/page2.html") ||
    problem "two pages from the same keys differ"
}

test_vp_refusals() {
  vp_keys
  printf 'vncert-ed25519-v1 00000000 %s\n' "$(cut -d' ' -f3 A.pub)" >badid.pub
  printf 'ssh-ed25519 AAAA\n' >ssh.pub
  vc bad verify-page --keys A.pub,badid.pub,ssh.pub -o "$W/bad.html"
  want_rc 1
  want_err 'badid.pub: the key id 00000000 .* is not that of its key' "a key id that is not the key's"
  want_err 'ssh.pub: is not a vncert key file' "a file that is not a vncert key"
  absent "$W/bad.html" "refused keys"
  vc none verify-page -o "$W/none.html"
  want_rc 2
  vc missing verify-page --keys nothing.pub -o "$W/none.html"
  want_rc 1
  want_err 'nothing.pub: cannot read' "a missing key file"
}

vp_signed() { # PDF LIST OUT.json: the QR codes' payloads vncert signed (the URIs of
  # the PDF's links, read with qpdf), with the records' names, in page order
  qpdf --json "$1" | "$PY" -c '
import csv, json, re, sys
uris = re.findall(r"\"/URI\": \"u:[^\"#]*#([0-9]+)\"", sys.stdin.read())
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
json.dump([{"digits": d, "name": r["ho_ten"], "serial": "2026/GK-%04d" % (i + 1)}
           for i, (d, r) in enumerate(zip(uris, rows))], open(sys.argv[2], "w"), ensure_ascii=False)
print(len(uris))' "$2" "$3"
}

test_vp_browser() {
  if [ ! -d "$VP_DIR/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
    problem "playwright-core or node missing: run scripts/deps.sh test"
    return
  fi
  vp_keys
  cp "$ROOT/examples/khoa-DEMO.pub" DEMO.pub
  # Three Giấy khen signed by vncert (the shipped template's qr: and DEMO key, a
  # serial pattern added), issued in a ledger; 2026/GK-0003 (the vectors'
  # revoked serial too) then revoked there.
  sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "2026/GK-{seq:04}"|' "$TPL_GK" >vp-serial.yaml
  head -4 "$EX_GK" >vp-list.csv
  vc vpr render vp-serial.yaml vp-list.csv -o "$W/vp.pdf" --ledger "$W/vp-ledger.sqlite"
  want_rc 0 || return
  [ "$(vp_signed "$W/vp.pdf" vp-list.csv "$W/signed.json")" = 3 ] ||
    { problem "the rendered PDF does not hold 3 QR links"; return; }
  vc vprv revoke 2026/GK-0003 --reason 'Cấp nhầm người nhận' --ledger "$W/vp-ledger.sqlite"
  want_rc 0 || return
  vc vpa verify-page --keys A.pub --ledger "$W/vp-ledger.sqlite" -o "$W/page-a.html" \
    --school 'THCS Lê Lợi'
  want_rc 0 || return
  want_err '1 key, 1 revocation' "the revocation counted"
  vc vpab verify-page --keys A.pub,B.pub -o "$W/page-ab.html"
  want_rc 0 || return
  vc vpd verify-page --keys DEMO.pub --ledger "$W/vp-ledger.sqlite" -o "$W/page-demo.html"
  want_rc 0 || return
  want_err 'warning: key 77a7f0ed is a DEMO key, which anyone can sign with' "the DEMO key warned of"
  node "$VP_DIR/cases.mjs" "$VP_VEC" "$W/page-a.html" "$W/page-ab.html" \
    "$ROOT/docs/verify-dict-v1.txt" "$W/signed.json" "$W/page-demo.html" >"$W/cases.json" ||
    { problem "cases.mjs failed"; return; }
  # vncert verify, on the same payloads with the same keys and ledger, says
  # what the page is expected to say: the C and the JavaScript verifiers agree.
  local name keys kind digits got checked=0
  while IFS=$'\t' read -r name keys kind digits; do
    checked=$((checked + 1))
    "$BIN" verify "$digits" --keys "$keys" --ledger "$W/vp-ledger.sqlite" >"$W/vp-v.txt" 2>&1
    got=$(vi_cat "$W/vp-v.txt" | head -1) # in English in a Vietnamese run
    case $kind in
      valid) [ "$got" = "Hợp lệ (valid)" ] ;;
      *) case $got in *"($kind)"*) true ;; *) false ;; esac ;;
    esac || problem "vncert verify on $name says '$got', the page is expected to say $kind"
  done < <(node -e '
const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).cases;
for (const x of c) if (!x.lacks && x.fragment !== "")
  console.log([x.name, x.keys, x.kind, x.fragment].join("\t"));
' "$W/cases.json")
  [ "$checked" -ge 20 ] || problem "vncert verify ran on $checked payloads only"
  rm -rf "$VP_SHOTS"
  (cd "$VP_DIR" && timeout 120 node verify-page.mjs "$W/cases.json" "$VP_SHOTS") >"$W/browser.out" 2>&1
  local rc=$?
  grep -q '^ok ' "$W/browser.out" || problem "no case passed:"$'\n'"$(first "$W/browser.out" 6)"
  while IFS= read -r line; do problem "$line"; done < <(grep -v '^ok ' "$W/browser.out")
  [ $rc -eq 0 ] || [ -n "$ERRS" ] || problem "verify-page.mjs: exit $rc"
  echo "     ($(grep -c '^ok ' "$W/browser.out") browser cases; screenshots in $VP_SHOTS)"
}

t "verify-page: one self-contained page, strict CSP, keys as JSON" test_vp_page
t "verify-page: key files refused (id not the key's, not a key, missing)" test_vp_refusals
t "verify-page in chromium: vectors, vncert-signed Giấy khen, revoked, one letter changed, WebCrypto and noble" test_vp_browser
