# shellcheck shell=bash
# The ceremony-day kiosk (issue 12, point 7) in a real browser: a CUPS
# scheduler of the test's own (tests/tools/cups-server.sh, its test queue
# `pdf` writes each job to job-ID.pdf), `vncert kiosk` on a free loopback port
# with a fresh SQLite ledger and a PIN file made by `vncert kiosk-pin`, and
# Debian's chromium driven by playwright-core (tests/e2e/browser/kiosk.mjs) at
# 1280x800: on-screen keys, keyboard, scanner, preview, print, the PDF that
# arrives, the PIN reprint (then `vncert log` shows it with its reason), the
# staff page (confirm mode, a stopped printer, retry), then the kiosk
# restarted with --idle 10 (its least) on the same ledger.  Screenshots in $KB_SHOTS
# (printed).  Sourced by tests/e2e/run.sh: uses its $ROOT, $W, $BIN, $TPL_GK,
# $EX_GK, t, problem, first.  About 50 s.

KB_DIR="$ROOT/tests/e2e/browser"
KB_SHOTS="${VC_ARTEFACTS:-$ROOT/build/artefacts}/kiosk"
KB_PIN=2468
KB_PID=""

kb_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

kb_start() { # LABEL PORT ARGS...: starts the kiosk, waits until it answers
  local label=$1 port=$2 n=0
  shift 2
  "$BIN" kiosk "$W/kb.yaml" "$EX_GK" --printer pdf --port "$port" --ledger "$W/kb-ledger.sqlite" \
    --pin-file "$W/kb-pin" "$@" >"$W/kb-$label.out" 2>"$W/kb-$label.err" &
  KB_PID=$! KB_LABEL=$label
  until curl -sf "http://127.0.0.1:$port/api/session" >/dev/null 2>&1; do
    n=$((n + 1))
    if [ $n -gt 150 ] || ! kill -0 "$KB_PID" 2>/dev/null; then
      problem "vncert kiosk ($label) did not answer on port $port:"$'\n'"$(first "$W/kb-$label.err" 6)"
      kb_stop
      return 1
    fi
    sleep 0.1
  done
}

kb_stop() { # stops the kiosk started last (by its pid); its exit status in RC
  RC=0
  [ -n "$KB_PID" ] || return 0
  kill -TERM "$KB_PID" 2>/dev/null
  wait "$KB_PID"
  RC=$?
  KB_PID=""
  CMD="vncert kiosk" vi_back "$W/kb-$KB_LABEL.out" "$W/kb-$KB_LABEL.err"
}

kb_node() { # PHASE PORT [IDLE]: kiosk.mjs; its lines become this test's problems
  local out="$W/kb-$1.node"
  printf '{"phase": "%s", "base": "http://127.0.0.1:%s", "pin": "%s", "queue": "pdf", "out": "%s", "shots": "%s", "idle": %s}\n' \
    "$1" "$2" "$KB_PIN" "$KB_CUPS/out" "$KB_SHOTS" "${3:-0}" >"$W/kb-$1.json"
  (cd "$KB_DIR" && timeout 120 node kiosk.mjs "$W/kb-$1.json") >"$out" 2>&1
  local rc=$?
  grep -q '^ok ' "$out" || problem "kiosk.mjs $1: no check passed:"$'\n'"$(first "$out" 6)"
  while IFS= read -r line; do problem "$line"; done < <(grep -v '^ok ' "$out")
  [ $rc -eq 0 ] || [ -n "$ERRS" ] || problem "kiosk.mjs $1: exit $rc"
  KB_CHECKS=$((KB_CHECKS + $(grep -c '^ok ' "$out")))
}

kb_run() { # the two phases; the kiosk and CUPS are stopped by the caller
  local port
  # The shipped Giấy khen with a serial pattern (the kiosk issues serials),
  # the serial and the reprint mark printed (templates/README.md says how).
  sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "2026/GK-{seq:04}"|' "$TPL_GK" >"$W/kb.yaml"
  printf '%s\n' '  - text: "Số hiệu: {serial}"' '    box: [22, 186, 100, 5]' '    font: serif' '    size: 10' \
    '  - text: "{reprint_mark}"' '    box: [165, 191, 110, 5]' '    font: serif-italic' '    size: 10' \
    '    align: center' >>"$W/kb.yaml"
  printf '%s\n' "$KB_PIN" | "$BIN" kiosk-pin "$W/kb-pin" >"$W/kb-pin.out" 2>&1 ||
    { problem "vncert kiosk-pin: $(first "$W/kb-pin.out" 3)"; return; }
  port=$(kb_port)
  kb_start main "$port" || return
  grep -q "chromium --kiosk http://127.0.0.1:$port/" "$W/kb-main.out" "$W/kb-main.err" ||
    problem "vncert kiosk does not print the address to open:"$'\n'"$(first "$W/kb-main.out" 6)"
  kb_node main "$port"
  kb_stop
  [ "$RC" -eq 0 ] || problem "vncert kiosk: exit $RC on SIGTERM:"$'\n'"$(first "$W/kb-main.err" 6)"
  "$BIN" log --ledger "$W/kb-ledger.sqlite" >"$W/kb-log.out" 2>&1 ||
    problem "vncert log: $(first "$W/kb-log.out" 3)"
  CMD="vncert log" vi_back "$W/kb-log.out"
  local why
  for why in 'Bị mất' 'Bị hỏng khi in'; do # at the kiosk, from the staff page
    grep -i 'reprint' "$W/kb-log.out" | grep -q "$why" ||
      problem "vncert log does not show the reprint with its reason '$why':"$'\n'"$(first "$W/kb-log.out" 12)"
  done
  # Restarted on the same ledger, with a short idle time.
  port=$(kb_port)
  kb_start idle "$port" --idle 10 || return
  kb_node idle "$port" 10
  kb_stop
}

test_kiosk_browser() {
  if [ ! -d "$KB_DIR/node_modules/playwright-core" ] || ! command -v node >/dev/null; then
    problem "playwright-core or node missing: run scripts/deps.sh test"
    return
  fi
  # Not under $W: cupsd's filters run as user lp, who must reach the folder.
  local base o old=${CUPS_SERVER-}
  base=$(mktemp -d "${TMPDIR:-/tmp}/vncert-e2e-kiosk.XXXXXX") && chmod 755 "$base"
  KB_CUPS="$base/cups"
  if ! o=$("$ROOT/tests/tools/cups-server.sh" start "$KB_CUPS" "$$" 2>&1); then
    problem "cups-server.sh start failed: $o"
    rm -rf "$base"
    return
  fi
  export CUPS_SERVER=${o#CUPS_SERVER=}
  rm -rf "$KB_SHOTS"
  mkdir -p "$KB_SHOTS"
  KB_CHECKS=0
  kb_run
  kb_stop
  "$ROOT/tests/tools/cups-server.sh" stop "$KB_CUPS"
  rm -rf "$base"
  if [ -n "$old" ]; then CUPS_SERVER=$old; else unset CUPS_SERVER; fi
  echo "     ($KB_CHECKS browser checks; screenshots in $KB_SHOTS)"
}

t "kiosk in chromium: search by keys/keyboard/scanner, preview, print through CUPS, PIN reprint, staff page, stopped printer, idle" test_kiosk_browser
