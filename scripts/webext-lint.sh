#!/usr/bin/env bash
# Mozilla's add-on linter (web-ext lint, pinned in package-lock.json) over the
# built Firefox package. Fails on any error or warning; notices are printed.
# Usage: scripts/webext-lint.sh [dir]   (default dist/firefox; run ./build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-dist/firefox}
[ -f "$dir/manifest.json" ] || { echo "webext-lint: no $dir/manifest.json (run ./build.sh)" >&2; exit 1; }
[ -x node_modules/.bin/web-ext ] || { echo "webext-lint: web-ext missing (npm ci)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# exit status is checked from the report itself (below), not trusted alone
node_modules/.bin/web-ext lint --source-dir "$dir" --output json --warnings-as-errors --no-config-discovery >"$out" 2>/dev/null || true
node - "$out" <<'JS'
const fs = require("node:fs");
let r;
try {
  r = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
} catch (e) {
  console.error("webext-lint: web-ext produced no JSON report: " + fs.readFileSync(process.argv[2], "utf8").slice(0, 2000));
  process.exit(1);
}
const show = (m) => `  ${m.code}: ${m.message}${m.file ? ` (${m.file}${m.line ? ":" + m.line : ""})` : ""}\n    ${String(m.description || "").replace(/\s+/g, " ").slice(0, 300)}`;
for (const m of r.notices || []) console.log("notice" + show(m).slice(1));
const bad = [...(r.errors || []).map((m) => ["error", m]), ...(r.warnings || []).map((m) => ["warning", m])];
for (const [k, m] of bad) console.error(k + show(m).slice(1));
console.log(`webext-lint: ${r.summary?.errors ?? 0} errors, ${r.summary?.warnings ?? 0} warnings, ${r.summary?.notices ?? 0} notices`);
if (bad.length || (r.summary && (r.summary.errors || r.summary.warnings))) process.exit(1);
JS
