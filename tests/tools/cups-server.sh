#!/bin/sh
# A real CUPS scheduler for the print tests, in a folder of its own, on a
# loopback port; the system's CUPS (if any) is never touched.
#
#   tests/tools/cups-server.sh start DIR [OWNER_PID]
#       DIR must not exist; prints CUPS_SERVER=HOST:PORT.  With OWNER_PID (the
#       test's process), a watcher stops cupsd and removes DIR when that
#       process ends without stopping it (a crashed test leaves nothing running).
#   tests/tools/cups-server.sh stop DIR    # stops the cupsd started in DIR (by its pid)
#
# Queues (all with the Generic PDF driver, so the real pdftopdf filter runs):
#   pdf        prints: each job's PDF lands in DIR/out/job-ID.pdf (its title in
#              job-ID.title), written by a test backend (DIR/bin/backend/vctest)
#   stopped    stopped with cupsdisable (reason given), still accepting
#   rejecting  refuses jobs (cupsreject)
#   broken     its device fails (the backend exits with an error); the
#              scheduler then stops the queue, as it does for a real printer
#   slow       its device never finishes (until the scheduler stops it):
#              jobs stay processing, the next ones pending
# The recipe is ../shared/notes/cups-test-server.md; why a test backend rather
# than file: URIs: a file: queue overwrites one file per job, and a run of
# several jobs must be checked job by job, in order.
# Needs root (cupsd runs jobs as user lp) and packages cups, cups-filters,
# cups-client, python3 (to find a free port).
set -eu

die() { echo "cups-server.sh: $*" >&2; exit 1; }

start() {
  dir=$1
  [ ! -e "$dir" ] || die "$dir exists (give a new folder)"
  command -v cupsd >/dev/null 2>&1 || command -v /usr/sbin/cupsd >/dev/null 2>&1 ||
    die "cupsd not found (apt-get install cups cups-filters cups-client)"
  ppd=/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd
  [ -f "$ppd" ] || die "$ppd not found (apt-get install cups-filters)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # lp must reach the spool, the PPDs and the output folder (mktemp makes 0700
  # folders, and then pdftopdf fails with an empty output).
  chmod 755 "$dir"
  mkdir -p "$dir/spool/tmp" "$dir/cache" "$dir/state" "$dir/log" "$dir/etc" "$dir/out" \
           "$dir/bin/backend"
  chmod 755 "$dir/spool" "$dir/cache" "$dir/state" "$dir/log" "$dir/etc" "$dir/bin" \
            "$dir/bin/backend"
  chmod 1777 "$dir/out" "$dir/spool/tmp"
  # ServerBin: the system's filters, our backend beside the system's.
  for d in /usr/lib/cups/*; do
    [ "$(basename "$d")" = backend ] || ln -s "$d" "$dir/bin/$(basename "$d")"
  done
  for b in /usr/lib/cups/backend/*; do ln -s "$b" "$dir/bin/backend/$(basename "$b")"; done
  cat > "$dir/bin/backend/vctest" <<EOF
#!/bin/sh
# vctest:/ok writes the job; vctest:/fail fails; vctest:/hang never ends.
[ \$# -eq 0 ] && { echo 'direct vctest "Unknown" "vncert test backend"'; exit 0; }
case "\$DEVICE_URI" in
  vctest:/fail) echo "ERROR: the test printer's device failed (vctest:/fail)" >&2; exit 1 ;;
  vctest:/hang) echo "STATE: +media-empty-warning" >&2; while :; do sleep 1; done ;;
esac
printf '%s' "\$3" > "$dir/out/job-\$1.title.tmp"
if [ \$# -ge 6 ]; then cat "\$6"; else cat; fi > "$dir/out/job-\$1.pdf.tmp"
mv "$dir/out/job-\$1.title.tmp" "$dir/out/job-\$1.title"
mv "$dir/out/job-\$1.pdf.tmp" "$dir/out/job-\$1.pdf"
exit 0
EOF
  chmod 755 "$dir/bin/backend/vctest"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$dir/etc/cupsd.conf" <<EOF
Listen 127.0.0.1:$port
WebInterface No
DefaultAuthType None
LogLevel info
ErrorPolicy stop-printer
JobRetryInterval 1
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
EOF
  cat > "$dir/etc/cups-files.conf" <<EOF
FileDevice Yes
User lp
Group lp
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
ServerBin $dir/bin
DataDir /usr/share/cups
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
EOF
  cupsd=$(command -v cupsd || echo /usr/sbin/cupsd)
  "$cupsd" -t -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" >"$dir/log/check" 2>&1 ||
    die "cupsd refused the configuration: $(cat "$dir/log/check")"
  # Its own session, so stopping the test's process group leaves it alone and
  # the stop below (by pid) is the one way it ends.
  setsid "$cupsd" -f -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" \
    </dev/null >"$dir/log/cupsd.out" 2>&1 &
  echo $! > "$dir/cupsd.pid"
  export CUPS_SERVER=127.0.0.1:$port
  n=0
  until lpstat -r >/dev/null 2>&1; do
    n=$((n + 1))
    if [ $n -gt 100 ] || ! kill -0 "$(cat "$dir/cupsd.pid")" 2>/dev/null; then
      stop "$dir"; die "cupsd did not start: $(tail -5 "$dir/log/error_log" 2>/dev/null)"
    fi
    sleep 0.1
  done
  q() { lpadmin -p "$1" -E -v "$2" -m lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd 2>/dev/null ||
          lpadmin -p "$1" -E -v "$2" -P "$ppd"; }
  # A busy machine (two test passes at once) sometimes has lpadmin's
  # connection fail ("Bad file descriptor") just after cupsd answered: the
  # queues are made again (the same commands: nothing is doubled) a few times.
  n=0
  until { q pdf vctest:/ok && q stopped vctest:/ok && q rejecting vctest:/ok &&
          q broken vctest:/fail && q slow vctest:/hang &&
          cupsdisable -r "paused by the test" stopped &&
          cupsreject -r "closed by the test" rejecting; } >"$dir/log/lpadmin" 2>&1; do
    n=$((n + 1))
    if [ $n -ge 5 ]; then stop "$dir"; die "could not make the queues: $(cat "$dir/log/lpadmin")"; fi
    sleep 0.5
  done
  if [ -n "$owner" ]; then
    pid=$(cat "$dir/cupsd.pid")
    # Detached, its output nowhere: the caller reads ours until it closes.
    setsid sh -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
      if kill -0 "$2" 2>/dev/null; then "$3" stop "$4"; rm -rf "$4"; fi' \
      watcher "$owner" "$pid" "$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  echo "CUPS_SERVER=$CUPS_SERVER"
}

stop() {
  dir=$1
  [ -f "$dir/cupsd.pid" ] || return 0
  pid=$(cat "$dir/cupsd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    n=0
    while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/cupsd.pid"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: $0 start DIR [OWNER_PID]"
         owner=${3:-}; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
