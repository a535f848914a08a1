// Shared harness: the provider emulator, a fixture web server, and Chromium
// with the unpacked extension loaded.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./bench/serve.mjs";

export const ROOT = resolve(new URL("..", import.meta.url).pathname);

export async function startEmulator() {
  const bin = join(ROOT, "target/release/otpdock-emulator");
  if (!existsSync(bin)) throw new Error("build the emulator first: cargo build --release -p otpdock-emulator");
  const p = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((res, rej) => {
    let buf = "";
    p.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/listening on (\S+)/);
      if (m) res(m[1]);
    });
    p.on("exit", (c) => rej(new Error("emulator exited " + c)));
  });
  const control = async (q) => (await fetch(`${url}/_emu/${q}`)).json();
  return { url, control, stop: () => p.kill() };
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json" };

// Serves e2e/fixtures and node_modules (for the real framework builds used by fixture pages).
export async function startFixtures() {
  const { buildFixtures } = await import("./build-fixtures.mjs");
  await buildFixtures();
  const server = createServer((req, res) => {
    const u = new URL(req.url, "http://x");
    const path = decodeURIComponent(u.pathname);
    const base = path.startsWith("/node_modules/") ? ROOT : join(ROOT, "e2e/fixtures");
    const file = join(base, path.replace(/^\/+/, ""));
    if (!file.startsWith(ROOT) || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, stop: () => server.close() };
}

// Chrome cannot grant an optional host permission without a user prompt, and
// automation cannot answer that prompt; the test copy of dist/chrome therefore
// lists the loopback fixture host as a required host permission. Nothing else changes.
export function testExtensionDir() {
  const src = join(ROOT, "dist/chrome");
  const dir = mkdtempSync(join(tmpdir(), "otpdock-ext-"));
  cpSync(src, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, "manifest.json")));
  m.host_permissions = [...m.host_permissions, "http://127.0.0.1/*"];
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(m, null, 2));
  return dir;
}

export async function launch() {
  return launchWith();
}

export async function tabIdOf(sw, urlPrefix) {
  return sw.evaluate(async (p) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => (t.url || "").startsWith(p))?.id ?? null;
  }, urlPrefix);
}

export async function until(fn, { timeout = 30000, every = 100, what = "condition" } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

// Adds a provider account through the options page, like a user would.
export async function addAccount(b, emu, provider, key = "test-key") {
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/options/options.html`);
  await page.selectOption("#a-provider", provider);
  await page.fill("#a-key", key);
  await page.fill("#a-base", emu.url + (provider === "smsonline" ? "/stubs/handler_api.php" : "/api/rent.php"));
  await page.click("#a-save");
  await until(async () => /Key works|rejected|reach/.test(await page.textContent("#a-status")), { what: "key check " + provider });
  const st = await page.textContent("#a-status");
  await page.close();
  return st;
}

/**
 * The common set-up of the money, engine, dialect and timing tests: the emulator, the extension
 * with an SMSPVA and an SMS.online account (both keys checked, added in `providers` order), and
 * a popup page not bound to a tab.
 */
export async function withBothAccounts(providers = ["smspva", "smsonline"]) {
  const emu = await startEmulator();
  let b;
  try {
    b = await launch();
    for (const provider of providers) {
      const said = await addAccount(b, emu, provider);
      if (!/Key works/.test(said)) throw new Error(`${provider} account: ${said}`);
    }
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
    return { emu, b, popup };
  } catch (e) {
    // the caller's after() never saw these: stop them here
    await b?.context.close();
    emu.stop();
    throw e;
  }
}

// launch() with extra Chromium arguments and extra host permissions in the test copy
// (the safety tests map look-alike hosts such as a.github.io or bank.co.uk to loopback
// with --host-resolver-rules and let the extension reach them as "every site" would).
export async function launchWith({ args = [], hosts = [] } = {}) {
  const ext = testExtensionDir();
  const mf = join(ext, "manifest.json");
  const m = JSON.parse(readFileSync(mf));
  m.host_permissions = [...m.host_permissions, ...hosts];
  writeFileSync(mf, JSON.stringify(m, null, 2));
  const profile = mkdtempSync(join(tmpdir(), "otpdock-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    ignoreDefaultArgs: ["--disable-extensions", "--disable-component-extensions-with-background-pages"],
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...args],
    viewport: { width: 900, height: 700 },
  });
  let [sw] = context.serviceWorkers();
  if (!sw) sw = await context.waitForEvent("serviceworker", { timeout: 15000 });
  const id = new URL(sw.url()).host;
  return { context, sw, id, ext };
}

// The engine's records as stored (one `r:<key>` JSON string each, see src/engine/persist.rs).
export async function storedRecords(ctx) {
  return (await storedState(ctx)).records;
}

// Records plus the meta (errors, balances, failures) as stored.
export async function storedState(ctx) {
  const all = await ctx.evaluate(() => chrome.storage.local.get(null));
  const records = {};
  const parse = (v) => {
    try {
      return typeof v === "string" ? JSON.parse(v) : null;
    } catch {
      return null; // an unreadable value (the engine keeps it aside)
    }
  };
  for (const [k, v] of Object.entries(all)) if (k.startsWith("r:") && parse(v)?.rental) records[k.slice(2)] = parse(v);
  return { ...(parse(all.meta) || {}), records };
}

// The popup's view model, as the background answers it.
export async function viewOf(ctx) {
  // a view request that meets the worker still stopping reaches no one: asked again, as the popup does
  for (let i = 0; ; i++) {
    try {
      const r = await ctx.evaluate(() => chrome.runtime.sendMessage({ type: "view" }));
      return r.view;
    } catch (e) {
      if (i >= 3 || !/Receiving end does not exist/.test(String(e))) throw e;
      await new Promise((res) => setTimeout(res, 200 * (i + 1)));
    }
  }
}
