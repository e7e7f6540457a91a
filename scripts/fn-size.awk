# fn-size.awk - lists the C functions longer than MAX lines (default 80),
# "LINES FILE:LINE NAME", counted from the first line of the signature to
# the closing brace.  For `make lint-size` (docs/HACKING.md: functions stay
# under ~80 lines).  Reads C as text: comments, strings and character
# constants are blanked first, then braces are counted; a function is a
# block opened at the top level after a declaration holding "(" and no "=".
#
# Usage: awk -v MAX=80 -f scripts/fn-size.awk FILE.c...
BEGIN { if (MAX == "") MAX = 80 }
FNR == 1 { depth = 0; incomment = 0; sig = ""; start = 0 }
{
  s = $0
  out = ""
  # blank comments, strings and character constants, keeping the code
  while (s != "") {
    if (incomment) {
      i = index(s, "*/")
      if (!i) { s = ""; break }
      s = substr(s, i + 2); incomment = 0; continue
    }
    if (match(s, /\/\*|\/\/|"|'/) == 0) { out = out s; break }
    out = out substr(s, 1, RSTART - 1)
    tok = substr(s, RSTART, RLENGTH)
    s = substr(s, RSTART + RLENGTH)
    if (tok == "/*") { incomment = 1; out = out " " }
    else if (tok == "//") { s = "" }
    else { # a literal: up to the same quote not escaped
      while (s != "") {
        c = substr(s, 1, 1)
        if (c == "\\") { s = substr(s, 3); continue }
        s = substr(s, 2)
        if (c == tok) break
      }
      out = out tok tok
    }
  }
  if (depth == 0 && out ~ /^#/) next
  if (depth == 0 && !start && out ~ /^[A-Za-z_]/) start = FNR
  for (k = 1; k <= length(out); k++) {
    c = substr(out, k, 1)
    if (depth == 0 && start) sig = sig c
    if (c == "{") {
      if (depth == 0) isfn = (sig ~ /\(/ && sig !~ /=/)
      depth++
    } else if (c == "}") {
      depth--
      if (depth == 0) {
        if (isfn && FNR - start + 1 > MAX) {
          name = sig
          sub(/[ \t]*\(.*/, "", name)
          sub(/.*[ *\t]/, "", name)
          printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name
        }
        isfn = 0; start = 0; sig = ""
      }
    } else if (c == ";" && depth == 0) {
      start = 0; sig = ""
    }
  }
  if (depth == 0 && start) sig = sig " "
}
