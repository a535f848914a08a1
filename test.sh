#!/usr/bin/env bash
# Runs the whole OTP Dock test suite: native Rust tests, wasm tests in
# headless Chromium, the OTP corpus gate and the Playwright end-to-end tests
# of the built extension against the provider emulator.
set -euo pipefail
cd "$(dirname "$0")"

./build.sh

echo "== lint gates (formatting, clippy native + wasm32, generated files)"
scripts/lint.sh

cargo build --release -p otpdock-emulator

echo "== native tests"
cargo test --workspace

echo "== OTP extraction throughput (budget 1,000,000 SMS/s; fails under half of it)"
cargo bench --bench otp_throughput -- --check 500000

echo "== wasm tests in headless Chromium"
emu_log=$(mktemp)
target/release/otpdock-emulator --port 0 >"$emu_log" &
emu_pid=$!
trap 'kill $emu_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$emu_log" && break; sleep 0.1; done
export OTPDOCK_EMU=$(sed -n 's/^listening on //p' "$emu_log")
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --test wasm_browser
kill $emu_pid 2>/dev/null || true

echo "== end-to-end (Playwright + Chromium + dist/chrome)"
node --test --test-concurrency=1 e2e/
