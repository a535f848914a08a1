#!/usr/bin/env bash
# Installs what the Firefox checks need, idempotently (each tool is skipped when
# it is already there at the right version):
#   - Debian's firefox-esr (apt; the e2e-firefox/ tests run it headless)
#   - geckodriver, pinned, from crates.io (cargo install --locked)
#   - web-ext, pinned in package-lock.json (installed by scripts/toolchain.sh's npm ci)
set -euo pipefail
cd "$(dirname "$0")/.."

GECKODRIVER_VERSION=0.37.1
# firefox-esr releases older than this lack what the tests and the manifest rely on
# (data_collection_permissions, commands.openShortcutSettings)
FIREFOX_MIN_MAJOR=140

log() { printf '[firefox-toolchain] %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
ff_major() { firefox-esr --version 2>/dev/null | sed -n 's/^Mozilla Firefox \([0-9]*\).*/\1/p'; }
if ! command -v firefox-esr >/dev/null || [ "$(ff_major)" -lt "$FIREFOX_MIN_MAJOR" ]; then
  log "apt-get install firefox-esr"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq firefox-esr >/dev/null
fi
[ "$(ff_major)" -ge "$FIREFOX_MIN_MAJOR" ] || { echo "firefox-esr $(ff_major) is older than $FIREFOX_MIN_MAJOR" >&2; exit 1; }

gd=${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver
if [ "$("$gd" --version 2>/dev/null | awk 'NR==1{print $2}')" != "$GECKODRIVER_VERSION" ]; then
  log "installing geckodriver $GECKODRIVER_VERSION"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
fi

[ -x node_modules/.bin/web-ext ] || { echo "web-ext missing: run scripts/toolchain.sh (npm ci)" >&2; exit 1; }
log "firefox-esr $(ff_major), geckodriver $GECKODRIVER_VERSION, web-ext $(node_modules/.bin/web-ext --version)"
