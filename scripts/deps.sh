#!/bin/sh
# Installs the Debian packages vncert needs, only those missing.
# Usage: scripts/deps.sh build|test|bench
# Runs apt-get as root, or through sudo; does nothing when all are present.
set -eu
BUILD="make gcc pkg-config libhpdf-dev libcsv-dev libutf8proc-dev libyaml-dev
 libfontconfig-dev libfreetype-dev libpng-dev zlib1g-dev fontconfig
 libzip-dev libexpat1-dev libcups2-dev libsqlite3-dev libpq-dev libsodium-dev
 libqrencode-dev libqpdf-dev libjansson-dev xxd libpoppler-glib-dev libcairo2-dev
 libmicrohttpd-dev gettext"
TEST="libcmocka-dev poppler-utils qpdf python3 python3-fonttools locales
 clang libclang-rt-14-dev libfuzzer-14-dev fonts-noto-core fonts-dejavu-core
 fonts-dejavu-extra fonts-ebgaramond fonts-lato libxlsxwriter-dev python3-openpyxl
 libreoffice-calc-nogui python3-uno cups cups-filters cups-client postgresql tzdata
 zbar-tools chromium glabels-data"
BENCH="python3-reportlab fonts-noto-core time libxlsxwriter-dev postgresql tzdata
 wrk curl cups cups-filters cups-client"
case "${1:-build}" in
  build) want="$BUILD" ;;
  test) want="$BUILD $TEST" ;;
  bench) want="$BUILD $BENCH" ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "vncert: installing Debian packages:$missing" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# EB Garamond as TrueType for the font tests: Debian 12 ships it only as CFF
# .otf (which libharu cannot embed); the upstream .ttf comes from npm.
if [ "${1:-build}" = test ] && [ ! -f .cache/test-fonts/EBGaramond-Regular.ttf ]; then
  command -v npm >/dev/null 2>&1 || {
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  }
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent @expo-google-fonts/eb-garamond@0.4.3 >/dev/null 2>&1 &&
      tar xzf expo-google-fonts-eb-garamond-0.4.3.tgz \
        package/400Regular/EBGaramond_400Regular.ttf package/700Bold/EBGaramond_700Bold.ttf); then
    mkdir -p .cache/test-fonts
    cp "$tmp/package/400Regular/EBGaramond_400Regular.ttf" .cache/test-fonts/EBGaramond-Regular.ttf
    cp "$tmp/package/700Bold/EBGaramond_700Bold.ttf" .cache/test-fonts/EBGaramond-Bold.ttf
  else
    echo "vncert: could not fetch EB Garamond (TrueType) from npm; its font test will fail" >&2
  fi
  rm -rf "$tmp"
fi
# The verification page's browser tests (tests/e2e/browser): node and npm
# from Debian only when the machine has none (a node of its own, from another
# packaging, conflicts with Debian's nodejs), then playwright-core as locked in
# package-lock.json (it downloads no browser: the tests drive Debian's chromium).
if [ "${1:-build}" = test ]; then
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  # Installed again when missing or not the locked version.
  want=$(cd tests/e2e/browser && node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")
  have=$(cd tests/e2e/browser && node -p "require('./node_modules/playwright-core/package.json').version" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    (cd tests/e2e/browser && npm ci --silent --no-audit --no-fund >/dev/null) ||
      echo "vncert: npm ci in tests/e2e/browser failed; the browser tests will fail" >&2
  fi
fi
# The locale test runs: Vietnamese (vi_VN: the messages in Vietnamese, and a
# decimal comma), one whose case rules differ from ASCII's (tr_TR: "i"
# upper-cases to "İ", "I" lower-cases to "ı"), and fr_FR (another decimal
# comma, for a test that compares PDFs across locales).
if [ "${1:-build}" = test ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  gen=false
  for loc in vi_VN fr_FR tr_TR; do
    locale -a 2>/dev/null | grep -qi "^$loc.utf-\?8\$" && continue
    $SUDO sed -i "s/^# *$loc.UTF-8 UTF-8/$loc.UTF-8 UTF-8/" /etc/locale.gen
    grep -q "^$loc.UTF-8 UTF-8" /etc/locale.gen || echo "$loc.UTF-8 UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
    gen=true
  done
  if $gen; then $SUDO locale-gen >/dev/null; fi
fi
exit 0
