// End to end in Firefox: the built dist/firefox as a temporary add-on in
// headless firefox-esr, against the provider emulator and the fixture site.
// account (options) → rent (popup) → fill number → SMS → badge → auto-fill → code shown → Fill.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, startEmulator, startFixtures, tabIdOf, until, addAccount, rentals, BASE, SEL, ROOT, UUID } from "./lib.mjs";

let emu, fx, b, s, home;
before(async () => {
  emu = await startEmulator();
  fx = await startFixtures();
  b = await launch();
  s = b.s;
  home = (await s.cmd("GET", "/window/handles"))[0];
});
after(async () => {
  await b?.stop();
  emu?.stop();
  fx?.stop();
});

const P = SEL.popup;
// runs fn in a fresh extension page (privileged like the popup), then closes it
async function inExtensionPage(fn, ...args) {
  const h = await s.newTab(`${BASE}/options/options.html`);
  try {
    return await s.eval(fn, ...args);
  } finally {
    await s.closeTab(h);
  }
}

test("the add-on runs in Firefox under its fixed UUID with the built manifest", async () => {
  assert.match(b.version, /^\d+\./);
  const info = await inExtensionPage(async () => ({
    url: location.href,
    id: browser.runtime.id,
    name: browser.runtime.getManifest().name,
    gecko: browser.runtime.getManifest().browser_specific_settings.gecko,
    loopback: await browser.permissions.contains({ origins: ["http://127.0.0.1/*"] }),
    allSites: await browser.permissions.contains({ origins: ["<all_urls>"] }),
  }));
  assert.equal(info.url, `moz-extension://${UUID}/options/options.html`);
  assert.equal(info.id, "otpdock@otpdock.app");
  assert.equal(info.name, "OTP Dock", "the __MSG_extName__ placeholder is resolved from _locales");
  assert.deepEqual(info.gecko.data_collection_permissions.required, ["none"]);
  assert.equal(info.loopback, true, "the test copy's loopback host permission is granted");
  assert.equal(info.allSites, false, "all sites stay opt-in");
});

test("options list the keyboard shortcuts with their keys and open Firefox's shortcut settings", async () => {
  const o = SEL.options;
  const h = await s.newTab(`${BASE}/options/options.html`);
  await s.waitFor(o.shortcutRow("fill-number"));
  const rows = {};
  for (const name of ["_execute_action", "fill-code", "fill-number"]) rows[name] = await s.text(o.shortcutRow(name));
  assert.match(rows._execute_action, /Open OTP Dock\s+Alt\s*\+\s*Shift\s*\+\s*O/);
  assert.match(rows["fill-code"], /newest code.*\s+Alt\s*\+\s*Shift\s*\+\s*K/);
  assert.match(rows["fill-number"], /number.*\s+Alt\s*\+\s*Shift\s*\+\s*M/);
  // the rows are what the browser reports, not a copy of the manifest
  const live = await s.eval(async () => (await browser.commands.getAll()).map((c) => [c.name, c.shortcut]));
  assert.deepEqual(Object.fromEntries(live), { _execute_action: "Alt+Shift+O", "fill-code": "Alt+Shift+K", "fill-number": "Alt+Shift+M" });
  assert.match(await s.text(SEL.options.shortcutsHow), /about:addons.*Manage Extension Shortcuts/);
  // a changed shortcut is shown after a reload
  await s.eval(() => browser.commands.update({ name: "fill-code", shortcut: "Alt+Shift+Y" }));
  await s.goto(`${BASE}/options/options.html`);
  await until(async () => /Alt\s*\+\s*Shift\s*\+\s*Y/.test((await s.text(o.shortcutRow("fill-code"))) || ""), { what: "updated shortcut" });
  await s.eval(() => browser.commands.reset("fill-code"));
  const before = await s.cmd("GET", "/window/handles");
  await s.click(SEL.options.shortcutsChange);
  const opened = await until(async () => (await s.cmd("GET", "/window/handles")).find((x) => !before.includes(x)), { what: "shortcut settings tab" });
  await s.switchTo(opened);
  await until(async () => /^about:addons/.test(await s.currentUrl()), { what: "about:addons" });
  await s.closeTab(opened);
  await s.closeTab(h);
  await s.switchTo(home);
});

test("options validate keys with a live call and never show them back", async () => {
  assert.match(await addAccount(s, emu, "smsonline"), /Balance: 1000\.00/);
  const o = SEL.options;
  const h = await s.newTab(`${BASE}/options/options.html`);
  await s.fill(o.key, "wrong-key");
  await s.fill(o.base, emu.url + "/stubs/handler_api.php");
  await s.click(o.save);
  await until(async () => /rejected/.test((await s.text(o.status)) || ""), { what: "BAD_KEY message" });
  const list = await s.text(o.accounts);
  assert.match(list, /SMS\.online …-key/);
  assert.doesNotMatch(list, /test-key/);
  // what the background stored is the account that works, in the extension's IndexedDB (background/keys.js),
  // and no key is in storage.local, which content scripts can read on Firefox
  const accounts = await s.eval(
    () =>
      new Promise((res, rej) => {
        const r = indexedDB.open("otpdock-keys");
        r.onerror = () => rej(r.error);
        r.onsuccess = () => {
          const g = r.result.transaction("kv").objectStore("kv").get("accounts");
          g.onsuccess = () => res((g.result || []).map((a) => a.key));
        };
      }),
  );
  assert.deepEqual(accounts, ["test-key"]);
  assert.equal((await s.eval(async () => (await browser.storage.local.get("accounts")).accounts)) ?? null, null);
  await s.closeTab(h);
});

test("rent in the popup → fill number → SMS → badge → auto-fill → code shown → Fill", async () => {
  const site = await s.newTab(fx.url + "/signup.html");
  const popup = await s.newTab(`${BASE}/options/options.html`);
  const tabId = await tabIdOf(s, fx.url);
  assert.ok(Number.isInteger(tabId), "fixture tab id");
  await s.goto(`${BASE}/popup/popup.html?tab=${tabId}`);
  await s.waitFor(P.empty);

  // new rental through the popup's form
  await s.click(P.newRental);
  await s.select(P.service, "tg");
  await until(async () => /Available: 25/.test((await s.text(P.quote)) || ""), { what: "quote" });
  await s.click(P.rent);
  await s.click(P.confirm);
  await s.waitFor(P.rental);
  const number = (await until(() => s.text(P.number), { what: "number" })).trim();
  assert.match(number, /^\+7909\d{7}$/);
  const state = await emu.control("state");
  assert.equal(state.rents.length, 1);
  assert.equal(state.balances["test-key"], 950);

  // fill the number into the signup page (binds the rental to that tab)
  await s.click(P.fillNumber);
  await until(async () => /Filled 1/.test((await s.text(P.status)) || ""), { what: "number fill status" });
  await s.switchTo(site);
  assert.equal(await s.value("#phone"), number);
  assert.equal(await s.value("#email"), "");
  await s.switchTo(popup);
  assert.deepEqual(
    (await rentals(s)).map((r) => [r.number, r.boundHost]),
    [[number, "127.0.0.1"]],
    "the rental is bound to the site",
  );

  // the SMS arrives at the provider; the background polls it in, badges and auto-fills the bound tab
  await emu.control(`sms?id=${state.rents[0].id}&from=Telegram&text=${encodeURIComponent("Telegram code: 48213. Do not give this code to anyone")}`);
  await until(async () => (await s.eval(() => browser.action.getBadgeText({}))) === "1", { timeout: 30000, what: "badge 1" });
  await s.switchTo(site);
  await until(async () => (await s.value("#otp")) === "48213", { what: "auto-filled code" });
  assert.ok((await s.eval(() => window.wrappedJSObject?.events ?? window.events)).includes("otp:48213"), "the page's own input listener saw the code");
  await s.fill("#otp", "");
  assert.equal(await s.value("#otp"), "");

  // the popup shows the code; Fill puts it in again
  await s.switchTo(popup);
  await until(async () => (await s.text(P.code)) === "48213", { what: "code in popup" });
  await s.click(P.fillCode);
  await until(async () => /Filled 1/.test((await s.text(P.status)) || ""), { what: "code fill status" });
  await s.switchTo(site);
  assert.equal(await s.value("#otp"), "48213");

  mkdirSync(join(ROOT, "target/e2e"), { recursive: true });
  await s.switchTo(popup);
  writeFileSync(join(ROOT, "target/e2e/firefox-popup.png"), await s.screenshot());
  await s.closeTab(popup);
  await s.closeTab(site);
  await s.switchTo(home);
});

// The shortcuts are pressed on the browser window (chrome context), like a user's keystroke.
// The page is served as http://localhost:…, a host the test copy has no permission for, so
// only the activeTab grant that a shortcut gives lets OTP Dock fill it.
test("keyboard: Alt+Shift+M and Alt+Shift+K fill the bound rental's number and newest code, through activeTab only", async () => {
  const siteUrl = fx.url.replace("127.0.0.1", "localhost") + "/signup.html";
  const site = await s.newTab(siteUrl);
  const page = await s.newTab(`${BASE}/options/options.html`);
  const send = (m) => s.eval((x) => browser.runtime.sendMessage(x), m);
  // the tab just before this one is the site; without access to it, its URL is not even visible
  const tab = await s.eval(async () => {
    const me = await browser.tabs.getCurrent();
    const t = (await browser.tabs.query({ windowId: me.windowId })).find((x) => x.index === me.index - 1);
    return { id: t.id, url: t.url ?? null };
  });
  assert.equal(tab.url, null, "no host access to localhost");
  const refused = await send({ type: "fill-code", tabId: tab.id, code: "111111" });
  assert.equal(refused.ok, false);
  assert.equal(refused.error.code, "NO_ACCESS", "without a shortcut the page cannot be filled");

  // auto-fill off, so that only the shortcut can put a code in
  assert.equal((await send({ type: "settings", settings: { autoFill: false } })).autoFill, false);
  const [{ key, number, codes }] = await rentals(s);
  assert.equal(codes[0], "48213", "the rental from the previous test has its code");
  assert.deepEqual(await send({ type: "bind-tab", record: key, tabId: tab.id, host: "localhost" }), { ok: true });
  assert.equal((await rentals(s))[0].boundHost, "localhost");

  await s.switchTo(site);
  await s.click("#email");
  await s.press("Alt+Shift+M");
  await until(async () => (await s.value("#phone")) === number, { what: "number filled by Alt+Shift+M" });
  assert.equal(await s.value("#otp"), "");
  await s.press("Alt+Shift+K");
  await until(async () => (await s.value("#otp")) === "48213", { what: "code filled by Alt+Shift+K" });

  // a newer SMS: the shortcut fills the newest code
  const [rent] = (await emu.control("state")).rents;
  await emu.control(`sms?id=${rent.id}&from=Telegram&text=${encodeURIComponent("Telegram code: 99887")}`);
  await s.switchTo(page);
  await until(async () => (await rentals(s, "refresh"))[0].codes[0] === "99887", { what: "new SMS polled" });
  await s.switchTo(site);
  assert.equal(await s.value("#otp"), "48213", "auto-fill is off");
  await s.press("Alt+Shift+K");
  await until(async () => (await s.value("#otp")) === "99887", { what: "newest code filled by Alt+Shift+K" });

  // a tab no rental is bound to gets nothing
  const other = await s.newTab(siteUrl);
  await s.click("#email");
  await s.press("Alt+Shift+K");
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await s.value("#otp"), "");

  await s.switchTo(page);
  assert.equal((await send({ type: "settings", settings: { autoFill: true } })).autoFill, true);
  await s.closeTab(other);
  await s.closeTab(page);
  await s.closeTab(site);
  await s.switchTo(home);
});

test("keyboard: Alt+Shift+O opens the popup on the current tab; its Fill code fills that tab", async () => {
  const siteUrl = fx.url.replace("127.0.0.1", "localhost") + "/signup.html";
  const site = await s.newTab(siteUrl);
  // the extension page that reads the popup is in another window, so the site stays the active tab
  const page = await s.newWindow(`${BASE}/options/options.html`);
  await s.switchTo(site);
  await s.click("#email");
  await s.press("Alt+Shift+O");
  await s.switchTo(page);
  // the popup is a panel of the browser window, not a WebDriver window: read it as a view of the add-on
  const popupState = () =>
    s.eval((P) => {
      const d = browser.extension.getViews({ type: "popup" })[0]?.document;
      const code = d?.querySelector(P.code);
      return code ? { number: d.querySelector(P.number).textContent.trim(), code: code.textContent, status: d.querySelector(P.status).textContent } : null;
    }, P);
  const got = await until(popupState, { what: "popup with the rental's code" });
  assert.deepEqual([got.number, got.code], [(await rentals(s))[0].number, "99887"]);
  // the popup acts on the tab it was opened over (no ?tab=), reachable through the shortcut's activeTab
  await s.eval((P) => browser.extension.getViews({ type: "popup" })[0].document.querySelector(P.fillCode).click(), P);
  const status = await until(async () => ((await popupState())?.status || "").trim(), { what: "popup fill status" });
  assert.match(status, /Filled 1/);
  await s.switchTo(site);
  assert.equal(await s.value("#otp"), "99887");
  await s.switchTo(page);
  await s.eval(() => browser.extension.getViews({ type: "popup" })[0]?.close());
  await s.closeTab(page);
  await s.closeTab(site);
  await s.switchTo(home);
});

test("fill-code / fill-phone message contract in Firefox", async () => {
  const site = await s.newTab(fx.url + "/signup.html");
  const page = await s.newTab(`${BASE}/options/options.html`);
  const tabId = await tabIdOf(s, fx.url + "/signup.html");
  const send = (m) => s.eval((x) => browser.runtime.sendMessage(x), m);
  assert.deepEqual(await send({ type: "fill-code", tabId, code: "654321" }), { ok: true, filled: 1 });
  assert.deepEqual(await send({ type: "fill-phone", tabId, phone: "+79096037108" }), { ok: true, filled: 1 });
  const gone = await send({ type: "fill-code", tabId: 987654, code: "1" });
  assert.equal(gone.ok, false);
  assert.equal(gone.error.code, "NO_TAB");
  await s.switchTo(site);
  assert.equal(await s.value("#otp"), "654321");
  assert.equal(await s.value("#phone"), "+79096037108");
  await s.closeTab(page);
  await s.closeTab(site);
  await s.switchTo(home);
});

test("an SMSPVA key is checked with a live call and listed without the key", async () => {
  assert.match(await addAccount(s, emu, "smspva"), /Key works\. Open rentals: 0/);
  const h = await s.newTab(`${BASE}/options/options.html`);
  await until(async () => /SMSPVA …-key/.test((await s.text(SEL.options.accounts)) || ""), { what: "SMSPVA account listed" });
  assert.doesNotMatch(await s.text(SEL.options.accounts), /test-key/);
  await s.closeTab(h);
  await s.switchTo(home);
});
