// Firefox harness: Debian's firefox-esr (headless) driven by geckodriver over
// plain WebDriver HTTP, with the built dist/firefox installed as a temporary
// add-on under a fixed moz-extension UUID. The provider emulator and the
// fixture web server are the Chromium suite's (e2e/lib.mjs).
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startEmulator, startFixtures, until as untilBase } from "../e2e/lib.mjs";

export { ROOT, startEmulator, startFixtures };

// e2e/lib.mjs's until, with 20 s by default: the machine running the suite may be loaded
export const until = (fn, opts = {}) => untilBase(fn, { timeout: 20000, ...opts });

export const ADDON_ID = "otpdock@otpdock.app";
// fixed, so extension pages have a known address: moz-extension://<UUID>/
export const UUID = "6f7d0c1e-2b3a-4c5d-9e8f-0a1b2c3d4e5f";
export const BASE = `moz-extension://${UUID}`;

// Every DOM assumption about the extension pages, in one place (the same ones e2e/ relies on).
export const SEL = {
  options: {
    provider: "#a-provider",
    key: "#a-key",
    base: "#a-base",
    save: "#a-save",
    status: "#a-status",
    accounts: "#accounts",
    shortcuts: "#shortcuts",
    shortcutRow: (name) => `#shortcuts [data-command="${name}"]`,
    shortcutsHow: "#shortcuts-how",
    shortcutsChange: "#shortcuts-change",
  },
  popup: {
    empty: "#empty:not([hidden])",
    rental: "#rentals li",
    number: "#rentals li .number",
    fillNumber: "#rentals li .fill-number",
    code: "mark.code",
    fillCode: "button.fill-code",
    status: "#status",
    refresh: "#refresh",
    newRental: "#new-rental summary",
    service: "#f-service",
    quote: "#quote",
    rent: "#rent",
    confirm: "#confirm-yes",
  },
};

export const FIREFOX = process.env.OTPDOCK_FIREFOX || "/usr/bin/firefox-esr";
export const GECKODRIVER = process.env.OTPDOCK_GECKODRIVER || findGeckodriver();

function findGeckodriver() {
  for (const p of [
    join(process.env.CARGO_HOME || join(process.env.HOME || "/root", ".cargo"), "bin/geckodriver"),
    "/usr/local/bin/geckodriver",
    "/usr/bin/geckodriver",
  ]) {
    if (existsSync(p)) return p;
  }
  return "geckodriver";
}

// Firefox MV3 treats host permissions as opt-in; a test cannot click the
// prompt, so the test copy of dist/firefox lists the loopback fixture and
// emulator host as a required host permission (as e2e/lib.mjs does for Chrome).
// Nothing else changes. `hosts`: more host permissions the user granted (e.g. "<all_urls>").
export function testExtensionDir({ hosts = [] } = {}) {
  const src = join(ROOT, "dist/firefox");
  if (!existsSync(join(src, "manifest.json"))) throw new Error("build first: ./build.sh");
  const dir = mkdtempSync(join(tmpdir(), "otpdock-ffext-"));
  cpSync(src, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, "manifest.json")));
  m.host_permissions = [...m.host_permissions, "http://127.0.0.1/*", ...hosts];
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(m, null, 2));
  return dir;
}

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

class WebDriverError extends Error {}

// A minimal W3C WebDriver client over fetch.
export class Session {
  constructor(url, id) {
    this.url = url;
    this.id = id;
  }
  async cmd(method, path, body) {
    const res = await fetch(`${this.url}/session/${this.id}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "GET" || method === "DELETE" ? undefined : JSON.stringify(body ?? {}),
    });
    const j = await res.json();
    if (j.value?.error) throw new WebDriverError(`${method} ${path}: ${j.value.error}: ${j.value.message}`);
    return j.value;
  }
  goto(url) {
    return this.cmd("POST", "/url", { url });
  }
  currentUrl() {
    return this.cmd("GET", "/url");
  }
  // opens a new tab and switches to it; returns its window handle
  async newTab(url) {
    const { handle } = await this.cmd("POST", "/window/new", { type: "tab" });
    await this.switchTo(handle);
    if (url) await this.goto(url);
    return handle;
  }
  // opens a new browser window and switches to it; returns its window handle
  async newWindow(url) {
    const { handle } = await this.cmd("POST", "/window/new", { type: "window" });
    await this.switchTo(handle);
    if (url) await this.goto(url);
    return handle;
  }
  switchTo(handle) {
    return this.cmd("POST", "/window", { handle });
  }
  async closeTab(handle) {
    await this.switchTo(handle);
    const left = await this.cmd("DELETE", "/window");
    if (left.length) await this.switchTo(left[0]);
  }
  // runs `fn` (a function, serialised) in the current tab with `args`; awaits a returned promise
  async eval(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn}).apply(null, Array.from(arguments).slice(0, -1)))
        .then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ err: String(e && e.stack || e) }));`;
    const r = await this.cmd("POST", "/execute/async", { script, args });
    if (r && "err" in r) throw new Error("in page: " + r.err);
    return r?.ok;
  }
  async $(css) {
    try {
      const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
      return v[ELEMENT];
    } catch (e) {
      if (/no such element/.test(e.message)) return null;
      throw e;
    }
  }
  async waitFor(css, timeout = 20000) {
    return until(() => this.$(css), { timeout, what: css });
  }
  // Finds `css` and runs `act(elementId)`, again if the page re-rendered the element in
  // between (the popup redraws its list on every poll), like a Playwright locator.
  async withElement(css, act, timeout = 20000) {
    const end = Date.now() + timeout;
    for (;;) {
      const el = await this.waitFor(css, Math.max(1, end - Date.now()));
      try {
        return await act(el);
      } catch (e) {
        if (!/stale element reference|no such element/.test(e.message) || Date.now() > end) throw e;
      }
    }
  }
  click(css) {
    return this.withElement(css, (el) => this.cmd("POST", `/element/${el}/click`));
  }
  fill(css, text) {
    return this.withElement(css, async (el) => {
      await this.cmd("POST", `/element/${el}/clear`);
      if (text) await this.cmd("POST", `/element/${el}/value`, { text });
    });
  }
  async text(css) {
    for (let i = 0; ; i++) {
      const el = await this.$(css);
      if (!el) return null;
      try {
        return await this.cmd("GET", `/element/${el}/text`);
      } catch (e) {
        if (!/stale element reference/.test(e.message) || i > 20) throw e;
      }
    }
  }
  value(css) {
    return this.withElement(css, (el) => this.cmd("GET", `/element/${el}/property/value`));
  }
  // picks an <option> by value, as a user would with the list open
  async select(css, value) {
    await this.click(`${css} option[value="${value}"]`);
    await until(async () => (await this.value(css)) === value, { what: `${css} = ${value}` });
  }
  // Presses a chord such as "Alt+Shift+C" on the browser window showing the current tab, as
  // the user would. Keys sent in the content context never reach the browser's own key set
  // (where add-on shortcuts live), so the chord is dispatched in the chrome context
  // (geckodriver runs with --allow-system-access for this and for moz-extension navigation).
  async press(chord) {
    const KEYS = { Alt: "\uE00A", Shift: "\uE008", Ctrl: "\uE009", Control: "\uE009", Meta: "\uE03D" };
    const keys = chord.split("+").map((k) => KEYS[k] || k);
    const actions = [...keys.map((value) => ({ type: "keyDown", value })), ...[...keys].reverse().map((value) => ({ type: "keyUp", value }))];
    await this.cmd("POST", "/moz/context", { context: "chrome" });
    try {
      await this.cmd("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
      await this.cmd("DELETE", "/actions");
    } finally {
      await this.cmd("POST", "/moz/context", { context: "content" });
    }
  }
  // A real pointer click at viewport coordinates of the current tab (trusted events, as the
  // user's mouse makes them), for what WebDriver cannot find: a closed shadow root's content.
  async clickAt(x, y) {
    const actions = [
      { type: "pointerMove", duration: 0, origin: "viewport", x: Math.round(x), y: Math.round(y) },
      { type: "pointerDown", button: 0 },
      { type: "pointerUp", button: 0 },
    ];
    await this.cmd("POST", "/actions", { actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions }] });
    await this.cmd("DELETE", "/actions");
  }
  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }
}

async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

// Starts geckodriver and a headless Firefox with the test copy of dist/firefox
// installed as a temporary add-on. Returns { s: Session, ext, stop }.
export async function launch({ prefs = {}, hosts = [] } = {}) {
  const ext = testExtensionDir({ hosts });
  if (!existsSync(FIREFOX)) throw new Error(`no Firefox at ${FIREFOX}: run scripts/firefox-toolchain.sh`);
  const port = await freePort();
  const gd = spawn(GECKODRIVER, ["--port", String(port), "--binary", FIREFOX, "--allow-system-access"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (d) => {
    log = (log + d).slice(-20000);
    if (process.env.OTPDOCK_FF_LOG) process.stderr.write(d);
  };
  gd.stdout.on("data", keep);
  gd.stderr.on("data", keep);
  const exited = new Promise((r) => gd.on("exit", r));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () =>
      (
        await fetch(url + "/status")
          .then((r) => r.json())
          .catch(() => null)
      )?.value?.ready,
    { timeout: 10000, what: "geckodriver" },
  );
  const caps = {
    capabilities: {
      alwaysMatch: {
        browserName: "firefox",
        acceptInsecureCerts: true,
        "moz:firefoxOptions": {
          binary: FIREFOX,
          args: ["-headless"],
          prefs: {
            "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }),
            // the loopback test host is listed as a required host permission in the test copy;
            // grant required host permissions at install like a user accepting the prompt
            "extensions.originControls.grantByDefault": true,
            "datareporting.policy.dataSubmissionEnabled": false,
            "browser.shell.checkDefaultBrowser": false,
            "browser.startup.homepage_override.mstone": "ignore",
            "app.update.disabledForTesting": true,
            ...prefs,
          },
        },
      },
    },
  };
  const res = await fetch(url + "/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(caps) }).then((r) =>
    r.json(),
  );
  if (!res.value?.sessionId) {
    gd.kill();
    throw new Error("no Firefox session: " + JSON.stringify(res.value) + "\n" + log);
  }
  const s = new Session(url, res.value.sessionId);
  const version = res.value.capabilities?.browserVersion;
  const addon = await s.cmd("POST", "/moz/addon/install", { path: ext, temporary: true });
  if (addon !== ADDON_ID) throw new Error(`installed ${addon}, expected ${ADDON_ID}`);
  const stop = async () => {
    await s.cmd("DELETE", "").catch(() => {});
    gd.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    rmSync(ext, { recursive: true, force: true });
  };
  return { s, ext, version, log: () => log, stop };
}

// Runs `script` (a function body) in the browser's chrome context (allowed by --allow-system-access).
export async function inChrome(s, script, args = []) {
  await s.cmd("POST", "/moz/context", { context: "chrome" });
  try {
    return await s.cmd("POST", "/execute/sync", { script, args });
  } finally {
    await s.cmd("POST", "/moz/context", { context: "content" });
  }
}

// The add-on's background state as Firefox tracks it: "starting", "running", "suspending" or "stopped".
export const backgroundState = (s) => inChrome(s, `return WebExtensionPolicy.getByID(arguments[0]).extension.backgroundState`, [ADDON_ID]);

// The id of the first tab whose URL starts with `prefix`, asked from an extension page
// (the current tab must be one: options.html or popup.html).
export async function tabIdOf(s, prefix) {
  return s.eval(async (p) => {
    const tabs = await browser.tabs.query({});
    return tabs.find((t) => (t.url || "").startsWith(p))?.id ?? null;
  }, prefix);
}

// Adds a provider account through the options page, like a user would; returns the status text.
export async function addAccount(s, emu, provider, key = "test-key") {
  const o = SEL.options;
  const h = await s.newTab(`${BASE}/options/options.html`);
  await s.select(o.provider, provider);
  await s.fill(o.key, key);
  await s.fill(o.base, emu.url + (provider === "smsonline" ? "/stubs/handler_api.php" : "/api/rent.php"));
  await s.click(o.save);
  await until(async () => /Key works|rejected|reach/.test((await s.text(o.status)) || ""), { what: "key check " + provider });
  const st = await s.text(o.status);
  await s.closeTab(h);
  return st;
}

// The rentals as the background reports them to its pages ({type: "view"} or "refresh"), in
// one shape: [{ key, number: "+…", codes: [newest first], boundHost }]. Asked from the current
// tab, which must be an extension page. This is the one place that knows the view's layout:
// today's {store: {records}} and the rewritten engine's {view: {rentals}} are both read.
export async function rentals(s, type = "view") {
  const r = await s.eval((t) => browser.runtime.sendMessage({ type: t }), type);
  if (!r?.ok) throw new Error(`${type}: ${JSON.stringify(r?.error)}`);
  if (r.view?.rentals) {
    return r.view.rentals.map((x) => ({
      key: x.key,
      number: "+" + x.number.replace(/^\+/, ""),
      codes: x.sms.map((m) => m.code).filter(Boolean),
      boundHost: x.bound_host ?? null,
    }));
  }
  return Object.entries(r.store?.records || {}).map(([key, x]) => ({
    key,
    number: "+" + x.rental.number.replace(/^\+/, ""),
    codes: x.sms
      .filter((m) => !m.other)
      .map((m) => m.code)
      .filter(Boolean),
    boundHost: x.tab_id != null ? (x.tab_host ?? null) : null,
  }));
}

// The add-on's global badge text, read in the browser itself (this wakes nothing in the add-on).
export const badgeText = (s) =>
  inChrome(
    s,
    `const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
     const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
     return ExtensionParent.apiManager.global.browserActionFor(ext).action.getProperty(null, "badgeText") ?? "";`,
    [ADDON_ID],
  );

// Rents an SMS.online "tg" number through the popup's form (in a tab of its own, closed
// afterwards); returns the number shown.
export async function rentViaPopup(s, service = "tg") {
  const P = SEL.popup;
  const h = await s.newTab(`${BASE}/popup/popup.html`);
  await s.click(P.newRental);
  await s.select(P.service, service);
  await s.click(P.rent);
  await s.click(P.confirm);
  await s.waitFor(P.rental);
  const number = (await until(() => s.text(P.number), { what: "number" })).trim();
  await s.closeTab(h);
  return number;
}
