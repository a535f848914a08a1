#!/usr/bin/env bash
# The project's gates, run by test.sh before any test (after ./build.sh): formatting,
# lints, types and generated files. Each gate fails the run; none of them rewrites the tree.
# Fix Rust formatting with `cargo fmt --all`, JS/CSS/JSON with
# `node_modules/.bin/biome check --write .`, generated files with the command named.
# The JS tools are the ones package-lock.json pins (scripts/toolchain.sh runs npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '== lint: %s\n' "$*"; }

step "cargo fmt --all --check"
cargo fmt --all --check

step "cargo clippy (native, all targets)"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "cargo clippy (wasm32 library)"
cargo clippy --quiet --target wasm32-unknown-unknown --lib -- -D warnings

step "generated _locales match scripts/locales.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 scripts/locales.py "$tmp/_locales" >/dev/null
diff -r "$tmp/_locales" extension/_locales >/dev/null || {
  echo "extension/_locales differ from scripts/locales.py: run python3 scripts/locales.py and commit" >&2
  exit 1
}

[ -x node_modules/.bin/biome ] && [ -x node_modules/.bin/tsc ] || {
  echo "node_modules/.bin/biome or tsc missing: run scripts/toolchain.sh (npm ci)" >&2
  exit 1
}

step "biome ci (format and lint of extension/, e2e/, e2e-firefox/, scripts/*.mjs, JSON; biome.jsonc)"
node_modules/.bin/biome ci --colors=off --error-on-warnings .

step "tsc --noEmit (the extension's JS against its JSDoc types, @types/chrome and the wasm declarations)"
[ -f target/wasm-types/wasm/otpdock.d.ts ] || {
  echo "target/wasm-types/wasm/otpdock.d.ts missing: run ./build.sh first (wasm-bindgen writes it)" >&2
  exit 1
}
node_modules/.bin/tsc --noEmit -p .

step "built manifests match manifest.json through scripts/manifest.mjs"
for browser in chrome firefox; do
  [ -f "dist/$browser/manifest.json" ] || {
    echo "dist/$browser/manifest.json missing: run ./build.sh" >&2
    exit 1
  }
  node scripts/manifest.mjs "$browser" >"$tmp/manifest.$browser.json"
  diff -u "$tmp/manifest.$browser.json" "dist/$browser/manifest.json" >&2 || {
    echo "dist/$browser/manifest.json is not what scripts/manifest.mjs derives from manifest.json: run ./build.sh" >&2
    exit 1
  }
done

echo "lint: all gates passed"
