#!/usr/bin/env bash
# Installs everything OTP Dock builds and tests with, idempotently: each tool
# is skipped when it is already there at the right version.
# The wasm32 target, wasm-bindgen-cli at the crate's exact version, Debian's
# Chromium and ChromeDriver, and the npm packages (binaryen's wasm-opt,
# playwright-core) exactly as package-lock.json pins them.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[toolchain] %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  if [ $apt_updated = 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# Rust target
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
# the standard library's source, of this very toolchain: build.sh compiles std for the wasm with
# the crate (-Zbuild-std), so that it is optimised for size and panics abort at once
if ! rustup component list --installed 2>/dev/null | grep -qx rust-src; then
  log "adding rust component rust-src"
  rustup component add rust-src
fi

# wasm-bindgen-cli, pinned to the crate's exact wasm-bindgen version
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WB_VERSION" ] || { echo "wasm-bindgen is not pinned with = in Cargo.toml" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked --force 2>/dev/null \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# wasm-pack runs the wasm tests in headless Chromium (with --mode no-install: Debian's
# chromedriver and the wasm-bindgen-cli above, nothing downloaded)
WP_VERSION=0.13.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WP_VERSION" ]; then
  log "installing wasm-pack $WP_VERSION"
  cargo install wasm-pack --version "$WP_VERSION" --locked --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi

# the Public Suffix List (Debian's maintained copy): build.sh ships it, tests/site_psl.rs reads it
if [ ! -f /usr/share/publicsuffix/public_suffix_list.dat ]; then
  apt_install publicsuffix
fi

# npm packages exactly as locked; reinstall only when the lockfile changed
stamp=node_modules/.otpdock-lock-sha
sum=$(sha256sum package-lock.json | awk '{print $1}')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$sum" > "$stamp"
fi
