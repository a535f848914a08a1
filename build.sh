#!/usr/bin/env bash
# Builds the OTP Dock extension into dist/chrome and dist/firefox.
# Installs its own toolchain first (idempotent; see scripts/toolchain.sh).
set -euo pipefail
cd "$(dirname "$0")"

scripts/toolchain.sh

out=target/wasm-out
# std is compiled with the crate (-Zbuild-std, from the toolchain's own rust-src) instead of
# linking the prebuilt one: at this profile's opt-level "z", and with panics that abort at once
# and carry no source location (-Cpanic=immediate-abort -Zlocation-detail=none). A panic already
# was a bare trap: there is no panic hook, and on wasm32-unknown-unknown std's default hook
# writes to nowhere. So nothing anyone sees changes; what leaves is the code that formatted the
# message for nowhere, 356 file/line records and with them every path of this machine:
# 184.3 -> 174.5 KB gzip. The flags are unstable, hence RUSTC_BOOTSTRAP=1. They are those of
# rustc 1.95, the machine's one toolchain (checked below), and rust-src is that toolchain's own.
# RUSTC_BOOTSTRAP reaches the dependencies' build scripts too: two of them probe for unstable
# APIs and, finding them, use them in this build (proc-macro2's proc_macro_span, at build time
# only; thiserror's error_generic_member_access, in gloo-net's error type). Cargo.lock pins both,
# the e2e tests run on exactly this build, and a probe that stopped compiling fails the build.
# RUSTC_BOOTSTRAP also makes rustc name symbols the nightly way (v0). The legacy names are kept:
# wasm-opt's by-name order below was tuned with them (v0: +1.2 KB gzip) and wasm-size.mjs reads them.
rustc_version=$(rustc --version)
case "$rustc_version" in
  "rustc 1.95."*) ;;
  *)
    echo "build.sh: the wasm is built with rustc 1.95's unstable flags (see above); this is $rustc_version." >&2
    echo "Check that -Zbuild-std, -Zbuild-std-features=optimize_for_size, -Cpanic=immediate-abort, -Zlocation-detail and -Csymbol-mangling-version still mean the same, then widen this check." >&2
    exit 1
    ;;
esac
# std's own size switch (-Zbuild-std-features=optimize_for_size: the small variants of its sorts,
# integer formatting, counting and escaping; same results) and LLVM's inliner at 10 instead of
# opt-level z's 5 (both thresholds and 0, 15 and 20 were measured: 10 is the smallest gzip):
# 169.0 -> 166.1 KB gzip.
RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Csymbol-mangling-version=legacy -Cllvm-args=-inline-threshold=10" \
  cargo build --release --target wasm32-unknown-unknown --lib -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/release/otpdock.wasm
# its declarations, where tsconfig.json (rootDirs) finds them for extension/background's
# "../wasm/otpdock.js": scripts/lint.sh type-checks the extension's JS against them
mkdir -p target/wasm-types/wasm && cp "$out/otpdock.d.ts" target/wasm-types/wasm/otpdock.d.ts
# binaryen's wasm-opt, pinned through package-lock.json (Debian's is too old for reference types).
# --zero-filled-memory: a fresh instance's memory is all zeros; --low-memory-unused: Rust's data
# and stack start at 1 MiB, nothing lives below 1024; --converge: repeat -Oz while it still shrinks.
# For the gzip size (what the budget counts and the store ships): functions of one caller are not
# inlined past 15 instructions (separate bodies repeat each other and compress better:
# 228.8 -> 215.7 KB gzip for +2.7 % raw) and the functions are ordered by name so that similar
# monomorphised code sits inside one deflate window (-> 212.1 KB); the names are stripped after,
# and so are the producers and target_features sections (nothing reads them at run time).
node_modules/.bin/wasm-opt --merge-similar-functions -Oz --converge --one-caller-inline-max-function-size=15 \
  --reorder-functions-by-name --zero-filled-memory --low-memory-unused --strip-debug --strip-producers --strip-target-features --enable-bulk-memory --enable-sign-ext \
  --enable-mutable-globals --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$out/otpdock_bg.wasm" -o "$out/otpdock_bg.opt.wasm"

for browser in chrome firefox; do
  d=dist/$browser
  rm -rf "$d" && mkdir -p "$d/wasm"
  cp -r extension/. "$d/"
  node scripts/manifest.mjs "$browser" > "$d/manifest.json"
  cp "$out/otpdock.js" "$d/wasm/otpdock.js"
  cp "$out/otpdock_bg.opt.wasm" "$d/wasm/otpdock_bg.wasm"
  # the Public Suffix List as data the background loads at start (Debian's publicsuffix, see toolchain.sh)
  mkdir -p "$d/psl" && cp /usr/share/publicsuffix/public_suffix_list.dat "$d/psl/public_suffix_list.dat"
done

printf 'built dist/chrome and dist/firefox (wasm %s bytes, content script %s bytes)\n' \
  "$(stat -c %s dist/chrome/wasm/otpdock_bg.wasm)" "$(stat -c %s dist/chrome/content/fill.js)"
