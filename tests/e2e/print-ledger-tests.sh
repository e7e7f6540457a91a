# shellcheck shell=bash
# End-to-end tests of printing with the ledger and of big runs (issue 10,
# points 3 and 4), against the CUPS scheduler of print-tests.sh (which
# sources this file and runs these tests before stopping the server):
# each document's print job recorded (pending, then how it ended), every
# fault recording nothing as printed, --no-wait refreshed later, `log
# --unprinted` and `print --pending`, and --job-pages cutting a run (render
# --print, print FILE) into jobs that arrive whole and in order.
# Uses print-tests.sh's pr, pr_expect, pr_start, pr_jobs, pr_pages, $PR_OUT.

# pl_sql LEDGER SQL: the rows of a query, fields joined by '|' (python's
# sqlite3: the test reads the ledger as it is, asking CUPS nothing).
pl_sql() {
  "$PY" - "$1" "$2" <<'PYEOF'
import os, sqlite3, sys
if os.path.exists(sys.argv[1]):
    for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
        print("|".join("" if v is None else str(v) for v in row))
PYEOF
}
# The print events' states, one a line, oldest first.
pl_states() { pl_sql "$1" "SELECT job_state FROM events WHERE kind = 'print' ORDER BY id"; }
pl_printed() { pl_sql "$1" "SELECT count(*) FROM events WHERE kind = 'print' AND job_state = 'completed'"; }
# The newest job id on the test server's pdf queue, once its PDF is there.
pl_last_job() { find "$PR_OUT" -name 'job-*.pdf' -printf '%f\n' | sed 's/job-\([0-9]*\).pdf/\1/' | sort -n | tail -1; }
# pl_keys FILE...: the student ids the pages of PDFs show, in page order
# (CUPS's pdftopdf keeps the pages but not the order of text within one).
pl_keys() { for f in "$@"; do pdftotext "$f" - 2>/dev/null; done | grep -o 'Mã sinh viên: [0-9]*' | tr '\n' ' '; }
# A job that never ends on "slow", so that the next ones there stay pending.
pl_block_slow() {
  [ -f "$W/pl-block.pdf" ] || "$BIN" render "$TPL_GK" "$EX_GK" -r 1 -o "$W/pl-block.pdf" -q
  "$BIN" print "$W/pl-block.pdf" -P slow --no-wait -q >/dev/null 2>&1
}

# Three certificates printed: three print events, one job, completed.
test_print_ledger_recorded() {
  pr_start || return
  local L="$W/pl-rec.sqlite" id
  pr plrec render "$TPL_GK" "$EX_GK" -r 1-3 --ledger "$L" --print pdf -q
  [ "$RC" -eq 0 ] || { problem "render --ledger --print: exit $RC:"$'\n'"$(first "$W/pr-plrec.err")"; return; }
  id=$(pl_last_job)
  [ "$(pl_sql "$L" "SELECT count(*), min(queue), min(job_id), max(job_id), min(job_state), max(job_state) FROM events WHERE kind = 'print'")" = "3|pdf|$id|$id|completed|completed" ] ||
    problem "render --ledger --print: the print events are $(pl_sql "$L" "SELECT doc_id, queue, job_id, job_state FROM events WHERE kind = 'print'" | tr '\n' ' ')"
  pr plrec-log log --ledger "$L" --kind print
  grep -q "pdf job $id: completed" "$W/pr-plrec-log.out" || problem "log --kind print does not show the job: $(first "$W/pr-plrec-log.out" 3)"
  pr plrec-un log --ledger "$L" --unprinted
  [ "$RC" -eq 0 ] && [ "$(wc -l <"$W/pr-plrec-un.out")" -eq 1 ] ||
    problem "log --unprinted after a completed job: exit $RC, $(cat "$W/pr-plrec-un.out")"
  grep -q "every issued document has printed" "$W/pr-plrec-un.err" || problem "log --unprinted: $(first "$W/pr-plrec-un.err")"
}

# Every fault: exit 1 and nothing recorded as printed.
test_print_ledger_faults() {
  pr_start || return
  local q L
  for q in nosuch stopped rejecting; do
    L="$W/pl-f-$q.sqlite"
    pr "plf-$q" render "$TPL_GK" "$EX_GK" -r 1 --ledger "$L" --print "$q"
    [ "$RC" -eq 1 ] || problem "ledger + fault $q: exit $RC, not 1"
    [ "$(pl_printed "$L")" = "" ] || [ "$(pl_printed "$L")" = 0 ] || problem "fault $q: recorded as printed"
    [ -z "$(pl_states "$L")" ] || problem "fault $q (refused before sending): print events $(pl_states "$L" | tr '\n' ' ')"
  done
  L="$W/pl-f-down.sqlite"
  pr plf-down render "$TPL_GK" "$EX_GK" -r 1 --ledger "$L" --print pdf --server 127.0.0.1:1
  pr_expect plf-down 1 "is CUPS running?"
  [ -z "$(pl_states "$L")" ] || problem "CUPS down: print events $(pl_states "$L" | tr '\n' ' ')"
  # the device fails: the job is recorded, stopped, not printed
  L="$W/pl-f-broken.sqlite"
  # an earlier test stopped it, its job waiting: that job would stop it again
  cancel -a -h "$CUPS_SERVER" broken 2>/dev/null
  cupsenable -h "$CUPS_SERVER" broken 2>/dev/null
  pr plf-broken render "$TPL_GK" "$EX_GK" -r 1-2 --ledger "$L" --print broken
  pr_expect plf-broken 1 "printer 'broken' stopped"
  [ "$(pl_states "$L" | sort -u)" = stopped ] || problem "broken device: print events $(pl_states "$L" | tr '\n' ' '), not stopped"
  pr plf-broken-un log --ledger "$L" --unprinted
  [ "$(grep -c 'broken job [0-9]*: stopped' "$W/pr-plf-broken-un.out")" -eq 2 ] ||
    problem "log --unprinted after a broken device: $(cat "$W/pr-plf-broken-un.out")"
  # waiting past --timeout: timed-out
  pl_block_slow
  L="$W/pl-f-slow.sqlite"
  pr plf-slow render "$TPL_GK" "$EX_GK" -r 1 --ledger "$L" --print slow --timeout 1 -q
  pr_expect plf-slow 1 "without starting"
  [ "$(pl_states "$L")" = timed-out ] || problem "--timeout: print events $(pl_states "$L" | tr '\n' ' '), not timed-out"
}

# --no-wait records "pending"; a later log --unprinted asks CUPS.
test_print_ledger_no_wait() {
  pr_start || return
  local L="$W/pl-nw.sqlite" id i
  pr plnw render "$TPL_GK" "$EX_GK" -r 4 --ledger "$L" --print pdf --no-wait -q
  [ "$RC" -eq 0 ] || { problem "--no-wait with a ledger: exit $RC:"$'\n'"$(first "$W/pr-plnw.err")"; return; }
  id=$(cat "$W/pr-plnw.out")
  [ "$(pl_sql "$L" "SELECT job_id, job_state FROM events WHERE kind = 'print'")" = "$id|pending" ] ||
    problem "--no-wait: the print event is $(pl_sql "$L" "SELECT job_id, job_state FROM events WHERE kind = 'print'")"
  for i in $(seq 60); do [ -f "$PR_OUT/job-$id.title" ] && break; sleep 0.5; done
  sleep 1 # CUPS marks the job completed once the device ends
  pr plnw-un log --ledger "$L" --unprinted
  [ "$(pl_states "$L")" = completed ] || problem "log --unprinted did not learn that job $id completed: $(pl_states "$L")"
  [ "$(wc -l <"$W/pr-plnw-un.out")" -eq 1 ] || problem "log --unprinted still lists: $(cat "$W/pr-plnw-un.out")"
}

# print --pending: what did not print, drawn again from the ledger, once
# the job still in CUPS is cancelled; refused when the template changed.
test_print_ledger_pending() {
  pr_start || return
  local L="$W/pl-pend.sqlite" job id before
  pl_block_slow
  pr plp-slow render "$TPL_GK" "$EX_GK" -r 5-7 --ledger "$L" --print slow --timeout 1 -q
  [ "$RC" -eq 1 ] || problem "print --pending setup: exit $RC"
  job=$(pl_sql "$L" "SELECT max(job_id) FROM events WHERE kind = 'print'")
  before=$(pr_jobs)
  pr plp-wait print --pending --ledger "$L" -P pdf
  pr_expect plp-wait 1 "job $job on printer 'slow' is still in CUPS"
  [ "$(pr_jobs)" -eq "$before" ] || problem "print --pending printed documents whose job is still in CUPS"
  cancel -h "$CUPS_SERVER" "$job" || problem "cancel $job failed"
  pr plp log --ledger "$L" --unprinted
  [ "$(grep -c "slow job $job: cancelled" "$W/pr-plp.out")" -eq 3 ] || problem "log --unprinted after cancel: $(cat "$W/pr-plp.out")"
  pr plp-print print --pending --ledger "$L" -P pdf
  [ "$RC" -eq 0 ] || { problem "print --pending: exit $RC:"$'\n'"$(first "$W/pr-plp-print.err" 6)"; return; }
  id=$(pl_last_job)
  [ "$(pr_jobs)" -eq $((before + 1)) ] && [ "$(pr_pages "$PR_OUT/job-$id.pdf")" = 3 ] ||
    problem "print --pending: $(($(pr_jobs) - before)) jobs, $(pr_pages "$PR_OUT/job-$id.pdf") pages (not 1 job of 3)"
  "$BIN" render "$TPL_GK" "$EX_GK" -r 5-7 -o "$W/pl-57.pdf" -q
  [ "$(pl_keys "$W/pl-57.pdf" | wc -w)" -eq 12 ] || problem "records 5-7 rendered: ids $(pl_keys "$W/pl-57.pdf")"
  [ "$(pl_keys "$PR_OUT/job-$id.pdf")" = "$(pl_keys "$W/pl-57.pdf")" ] || problem "print --pending: the pages printed are not records 5-7 as rendered"
  [ "$(pl_sql "$L" "SELECT count(*) FROM events WHERE kind = 'print' AND job_id = '$id' AND job_state = 'completed'")" = 3 ] ||
    problem "print --pending: not recorded as completed: $(pl_states "$L" | tr '\n' ' ')"
  pr plp-again print --pending --ledger "$L" -P pdf
  pr_expect plp-again 0 "every issued document has printed"
  # the template changed since issue: refused, naming the document
  L="$W/pl-pend2.sqlite"
  cp "$TPL_GK" "$W/pl-gk.yaml"
  "$BIN" render "$W/pl-gk.yaml" "$EX_GK" -r 8 --ledger "$L" -o "$W/pl-8.pdf" -q
  echo "# changed" >>"$W/pl-gk.yaml"
  before=$(pr_jobs)
  pr plp-changed print --pending --ledger "$L" -P pdf
  pr_expect plp-changed 1 "the template changed since the document"
  grep -q "$(sed -n 9p "$EX_GK" | cut -d, -f1)" "$W/pr-plp-changed.err" || problem "print --pending: the changed template's document not named"
  [ "$(pr_jobs)" -eq "$before" ] || problem "print --pending sent a job with a changed template"
}

# --job-pages 3: 7 certificates as jobs of 3, 3 and 1 pages, in order,
# each recorded; print FILE cut the same way (qpdf).
test_print_job_pages() {
  pr_start || return
  local L="$W/pl-jp.sqlite" before ids f
  before=$(pr_jobs)
  pr pljp render "$TPL_GK" "$EX_GK" -r 1-7 -o "$W/pl-7.pdf" --ledger "$L" --print pdf --job-pages 3 -q
  [ "$RC" -eq 0 ] || { problem "--job-pages 3: exit $RC:"$'\n'"$(first "$W/pr-pljp.err")"; return; }
  ids=$(find "$PR_OUT" -name 'job-*.pdf' -printf '%f\n' | sed 's/job-\([0-9]*\).pdf/\1/' | sort -n | tail -3)
  [ "$(pr_jobs)" -eq $((before + 3)) ] || problem "--job-pages 3: $(($(pr_jobs) - before)) jobs, not 3"
  [ "$(for i in $ids; do pr_pages "$PR_OUT/job-$i.pdf"; done | tr '\n' ' ')" = "3 3 1 " ] ||
    problem "--job-pages 3: pages $(for i in $ids; do pr_pages "$PR_OUT/job-$i.pdf"; done | tr '\n' ' ')"
  [ "$(pl_keys "$W/pl-7.pdf" | wc -w)" -eq 28 ] || problem "7 records rendered: ids $(pl_keys "$W/pl-7.pdf")"
  f=$(for i in $ids; do echo "$PR_OUT/job-$i.pdf"; done)
  # shellcheck disable=SC2086
  [ "$(pl_keys $f)" = "$(pl_keys "$W/pl-7.pdf")" ] || problem "--job-pages 3: the pages did not arrive as rendered, in order"
  [ "$(pl_sql "$L" "SELECT group_concat(job_id || ':' || job_state, ' ') FROM (SELECT job_id, job_state FROM events WHERE kind = 'print' ORDER BY doc_id)")" = \
    "$(set -- $ids; echo "$1:completed $1:completed $1:completed $2:completed $2:completed $2:completed $3:completed")" ] ||
    problem "--job-pages 3: recorded $(pl_sql "$L" "SELECT doc_id, job_id, job_state FROM events WHERE kind = 'print'" | tr '\n' ' ')"
  before=$(pr_jobs)
  mkdir -p "$W/pl-tmp" # its own TMPDIR: other runs on this machine use /tmp
  TMPDIR="$W/pl-tmp" pr pljp-file print "$W/pl-7.pdf" -P pdf --job-pages 3 -q
  [ "$RC" -eq 0 ] || { problem "print FILE --job-pages 3: exit $RC:"$'\n'"$(first "$W/pr-pljp-file.err")"; return; }
  ids=$(find "$PR_OUT" -name 'job-*.pdf' -printf '%f\n' | sed 's/job-\([0-9]*\).pdf/\1/' | sort -n | tail -3)
  [ "$(pr_jobs)" -eq $((before + 3)) ] || problem "print FILE --job-pages 3: $(($(pr_jobs) - before)) jobs, not 3"
  f=$(for i in $ids; do echo "$PR_OUT/job-$i.pdf"; done)
  # shellcheck disable=SC2086
  [ "$(pl_keys $f)" = "$(pl_keys "$W/pl-7.pdf")" ] || problem "print FILE --job-pages 3: the pages did not arrive in order"
  [ "$(set -- $ids; cat "$PR_OUT/job-$3.title")" = "pl-7.pdf (3/3)" ] || problem "print FILE --job-pages 3: last job named '$(set -- $ids; cat "$PR_OUT/job-$3.title")'"
  [ -z "$(ls -A "$W/pl-tmp")" ] || problem "print FILE --job-pages left a temporary folder: $(ls "$W/pl-tmp")"
  pr pljp-bad print "$W/pl-7.pdf" -P pdf --job-pages 5001
  pr_expect pljp-bad 2 "--job-pages needs a whole number from 1 to 5000"
}

# pl_serials PDF...: the serials printed in them, in page order, on one line.
pl_serials() { local f; for f in "$@"; do pdftotext "$f" - 2>/dev/null; done | grep -o "$(date +%Y)/GK-[0-9]*" | tr '\n' ' '; }
# pl_jobs_pdfs N: the PDFs of the newest N jobs on the test server, oldest first.
pl_jobs_pdfs() { find "$PR_OUT" -name 'job-*.pdf' -printf '%f\n' | sed 's/job-\([0-9]*\).pdf/\1/' | sort -n | tail -"$1" | sed "s|.*|$PR_OUT/job-&.pdf|"; }

# render -o with --job-pages: the -o file is cut, not rendered again (that
# issued or recorded every document twice): one render event a document,
# the serials printed are those of the -o file, and with --new-issue the
# print events go to the new documents; with --volume-pages the volumes
# are cut the same way.
test_print_job_pages_ledger() {
  pr_start || return
  local L="$W/pl-jps.sqlite" T="$W/pl-gk-serial.yaml"
  sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "{year}/GK-{seq:04}"|' \
      -e 's|  - text: "Số: {so_qd}"|  - text: "Số: {so_qd}   Số hiệu: {serial}"|' "$TPL_GK" >"$T"
  local run
  for run in first new; do
    if [ $run = first ]; then
      pr pljps render "$T" "$EX_GK" -r 1-7 -o "$W/pl-jps.pdf" --ledger "$L" --print pdf --job-pages 3 -q
    else
      pr pljps render "$T" "$EX_GK" -r 1-7 -o "$W/pl-jps.pdf" --ledger "$L" --print pdf --job-pages 3 -q \
        --new-issue --reason "in lại"
    fi
    [ "$RC" -eq 0 ] || { problem "--job-pages 3 ($run): exit $RC:"$'\n'"$(first "$W/pr-pljps.err")"; return; }
    # shellcheck disable=SC2046
    [ "$(pl_serials $(pl_jobs_pdfs 3))" = "$(pl_serials "$W/pl-jps.pdf")" ] && [ "$(pl_serials "$W/pl-jps.pdf" | wc -w)" -eq 7 ] ||
      problem "--job-pages 3 ($run): printed serials $(pl_serials $(pl_jobs_pdfs 3)), -o has $(pl_serials "$W/pl-jps.pdf")"
  done
  [ "$(pl_sql "$L" "SELECT kind, count(*), count(DISTINCT doc_id) FROM events WHERE kind != 'print' GROUP BY kind ORDER BY kind" | tr '\n' ' ')" = "new-issue|7|7 render|7|7 " ] ||
    problem "--job-pages 3 twice: events (kind, count, documents) $(pl_sql "$L" "SELECT kind, count(*), count(DISTINCT doc_id) FROM events WHERE kind != 'print' GROUP BY kind" | tr '\n' ' ')"
  [ "$(pl_sql "$L" "SELECT state, count(*) FROM documents GROUP BY state ORDER BY state" | tr '\n' ' ')" = "issued|7 replaced|7 " ] ||
    problem "--job-pages 3 then --new-issue: documents $(pl_sql "$L" "SELECT state, count(*) FROM documents GROUP BY state" | tr '\n' ' ')"
  [ "$(pl_sql "$L" "SELECT d.state, count(*) FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.kind = 'print' GROUP BY d.state ORDER BY d.state" | tr '\n' ' ')" = "issued|7 replaced|7 " ] ||
    problem "--job-pages 3: print events by the document's state: $(pl_sql "$L" "SELECT d.state, count(*) FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.kind = 'print' GROUP BY d.state" | tr '\n' ' ')"
  # the volumes of --volume-pages 2 (2 2 2 1 pages), each a job: the same documents
  L="$W/pl-jpv.sqlite"
  pr pljpv render "$T" "$EX_GK" -r 1-7 -o "$W/pl-jpv.pdf" --volume-pages 2 --ledger "$L" --print pdf --job-pages 3 -q
  [ "$RC" -eq 0 ] || { problem "--volume-pages 2 --job-pages 3: exit $RC:"$'\n'"$(first "$W/pr-pljpv.err")"; return; }
  # shellcheck disable=SC2046
  [ "$(pl_serials $(pl_jobs_pdfs 4))" = "$(pl_serials "$W"/pl-jpv-00[1-4].pdf)" ] ||
    problem "--volume-pages 2 --job-pages 3: printed $(pl_serials $(pl_jobs_pdfs 4)), volumes have $(pl_serials "$W"/pl-jpv-00[1-4].pdf)"
  [ "$(pl_sql "$L" "SELECT count(*) FROM events WHERE kind = 'render'")|$(pl_sql "$L" "SELECT count(*), count(DISTINCT job_id) FROM events WHERE kind = 'print' AND job_state = 'completed'")" = "7|7|4" ] ||
    problem "--volume-pages 2 --job-pages 3: render events, print events, jobs: $(pl_sql "$L" "SELECT kind, count(*), count(DISTINCT job_id) FROM events GROUP BY kind" | tr '\n' ' ')"
  # each print event's job holds its document's serial
  local bad=0 job serial
  while IFS='|' read -r job serial; do
    pdftotext "$PR_OUT/job-$job.pdf" - 2>/dev/null | grep -q "$serial" || bad=$((bad + 1))
  done < <(pl_sql "$L" "SELECT e.job_id, d.serial FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.kind = 'print'")
  [ "$bad" -eq 0 ] || problem "--volume-pages 2 --job-pages 3: $bad print events name a job without their document"
}
