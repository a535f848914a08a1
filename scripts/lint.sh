#!/usr/bin/env bash
# The project's gates, run by test.sh before any test: formatting, lints and
# generated files. Each gate fails the run; none of them rewrites the tree.
# Fix formatting with `cargo fmt --all`, generated files with the command named.
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
echo "lint: all gates passed"
