#!/bin/sh
# Makes the fontconfig configuration every font-dependent test uses, so the
# tests see the same fonts on any machine whatever else is installed there
# (another EB Garamond, Liberation, all of Noto...).
#
# Usage: tests/tools/test-fonts.sh DIR
# Writes DIR/fonts/ (links to the exact font files listed below), DIR/fonts.conf
# (that directory only: no system fonts, no user fonts, none of the system's
# rules) with its cache in DIR/cache/, and prints the absolute path of
# fonts.conf.  Point FONTCONFIG_FILE at it: vncert, fc-list and fc-match then
# see only these fonts.  Cheap when nothing changed (the links are remade only
# when the list differs, so fontconfig's cache stays valid).
#
# The fonts are those scripts/deps.sh test installs, file by file as dpkg
# lists them for their package (a file another package put in the same
# directory is not taken).  The bundled fonts/ are not here: vncert adds them
# itself.  .cache/test-fonts (EB Garamond as TrueType, from npm) is not here
# either on purpose: the tests name those files by path, and listing them
# would give the family "EB Garamond" a TrueType face, which is exactly what
# the tests of a CFF-only family must not see.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
mkdir -p "$1"
DIR=$(cd "$1" && pwd)

# package: the files of it (a grep -E pattern on the path) the tests use
LIST="fonts-dejavu-core:\\.ttf$
fonts-dejavu-extra:\\.ttf$
fonts-ebgaramond:\\.otf$
fonts-lato:\\.ttf$
fonts-noto-core:/Noto(Serif|Sans)-(Regular|Bold|Italic|BoldItalic)\\.ttf$"

want=$(printf '%s\n' "$LIST" | while IFS=: read -r pkg re; do
  files=$(dpkg-query -L "$pkg" 2>/dev/null | grep -E "$re" || true)
  if [ -z "$files" ]; then
    echo "test-fonts: the Debian package $pkg is not installed (run scripts/deps.sh test)" >&2
    echo "MISSING"
  fi
  printf '%s\n' "$files"
done | sed '/^$/d' | LC_ALL=C sort)
case $want in *MISSING*) exit 1 ;; esac

if [ ! -f "$DIR/files.txt" ] || [ "$(cat "$DIR/files.txt")" != "$want" ] ||
  [ ! -f "$DIR/fonts.conf" ]; then
  rm -rf "$DIR/fonts" "$DIR/cache"
  mkdir -p "$DIR/fonts" "$DIR/cache"
  printf '%s\n' "$want" | while IFS= read -r f; do
    [ -f "$f" ] || { echo "test-fonts: $f is missing" >&2; exit 1; }
    ln -s "$f" "$DIR/fonts/$(basename "$f")"
  done
  cat >"$DIR/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- made by tests/tools/test-fonts.sh: the fonts the tests use, and only them -->
<fontconfig>
  <dir>$DIR/fonts</dir>
  <cachedir>$DIR/cache</cachedir>
</fontconfig>
EOF
  printf '%s\n' "$want" >"$DIR/files.txt"
fi
echo "$DIR/fonts.conf"
