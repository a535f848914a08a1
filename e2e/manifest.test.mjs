// The built packages: manifests per browser, CSP for wasm, least privilege,
// and size budgets of what is shipped.
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib.mjs";

const manifest = (b) => JSON.parse(readFileSync(join(ROOT, "dist", b, "manifest.json")));

test("chrome manifest: MV3 module service worker, wasm CSP, no broad host access by default", () => {
  const m = manifest("chrome");
  assert.equal(m.manifest_version, 3);
  assert.deepEqual(m.background, { service_worker: "background/main.js", type: "module" });
  assert.match(m.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
  assert.doesNotMatch(m.content_security_policy.extension_pages, /'unsafe-eval'|'unsafe-inline'/);
  assert.deepEqual(m.host_permissions, ["https://api.sms.online/*", "https://smspva.com/*"]);
  assert.deepEqual(m.optional_host_permissions, ["<all_urls>"]);
  assert.ok(!m.content_scripts, "content script is injected on demand only");
  for (const p of ["scripting", "activeTab", "storage", "alarms", "notifications"]) assert.ok(m.permissions.includes(p), p);
  assert.ok(!m.permissions.includes("tabs") && !m.permissions.includes("<all_urls>"));
});

test("firefox manifest: background scripts and a gecko id", () => {
  const m = manifest("firefox");
  assert.deepEqual(m.background, { scripts: ["background/main.js"], type: "module" });
  assert.ok(m.browser_specific_settings.gecko.id);
  assert.equal(m.manifest_version, 3);
});

test("every locale has every message the English one has", () => {
  const dir = join(ROOT, "dist/chrome/_locales");
  const en = Object.keys(JSON.parse(readFileSync(join(dir, "en/messages.json"))));
  for (const l of readdirSync(dir)) {
    const keys = Object.keys(JSON.parse(readFileSync(join(dir, l, "messages.json"))));
    assert.deepEqual(keys.sort(), [...en].sort(), l);
  }
  assert.deepEqual(readdirSync(dir).sort(), ["en", "fr", "pt", "ru", "uk"]);
});

test("the shipped wasm names no path of the machine that built it", () => {
  const text = readFileSync(join(ROOT, "dist/chrome/wasm/otpdock_bg.wasm")).toString("latin1");
  for (const p of [process.env.HOME, process.env.CARGO_HOME, "/.cargo/registry", "/.rustup/", ROOT].filter(Boolean)) {
    assert.equal(text.includes(p), false, `the wasm contains ${p}`);
  }
  // panics abort at once and carry no location (build.sh): no source file is named at all
  assert.equal(/[a-z_]+\.rs\b/.exec(text)?.[0], undefined, "a source file's name in the wasm");
});

test("size budgets: content script ≤ 12 KB, chip script ≤ 6 KB, wasm ≤ 383 KiB and ≤ 155 KiB gzip (regression guard, today + 2%; issue 10 asks 150 KB gzip: 151.8 KiB in Node's zlib, 149.98 KiB with gzip -9, 153,584 B)", () => {
  const cs = statSync(join(ROOT, "dist/chrome/content/fill.js")).size;
  const file = join(ROOT, "dist/chrome/wasm/otpdock_bg.wasm");
  const wasm = statSync(file).size;
  const gz = gzipSync(readFileSync(file), { level: 9 }).length;
  console.log(`content script ${cs} bytes, wasm ${wasm} bytes (${gz} gzip)`);
  assert.ok(cs <= 12 * 1024, `content script ${cs}`);
  // the inline chip (content/chip.js) has its own budget
  const chip = statSync(join(ROOT, "dist/chrome/content/chip.js")).size;
  console.log(`chip script ${chip} bytes`);
  assert.ok(chip <= 6 * 1024, `chip script ${chip}`);
  assert.ok(wasm <= 383 * 1024, `wasm ${wasm}`);
  assert.ok(gz <= 155 * 1024, `wasm gzip ${gz}`);
});

test("no innerHTML in extension pages and scripts", () => {
  const scripts = readdirSync(join(ROOT, "extension"), { recursive: true }).filter((f) => f.endsWith(".js"));
  for (const f of ["popup/popup.js", "options/options.js", "background/main.js", "content/fill.js", "content/chip.js", "shared/dom.js"])
    assert.ok(scripts.includes(f), f);
  for (const f of scripts) {
    assert.doesNotMatch(readFileSync(join(ROOT, "extension", f), "utf8"), /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, f);
  }
});
