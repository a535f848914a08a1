// Safety (issue 11), attacked on the built extension in Chromium:
// a bound tab that navigates to a look-alike host, cross-site frames on
// public-suffix hosts (github.io, co.uk) and IPs, a content script reading
// chrome.storage.local, and a provider that echoes the request URL (key included).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { launchWith, startEmulator, until, ROOT, addAccount, storedState } from "./lib.mjs";

const DIR = join(ROOT, "e2e/fixtures/safety");
let emu, b, ctl, port;
const servers = [];

// the fixture pages on 127.0.0.1 and 127.1.0.1 (same port); look-alike host names map to 127.0.0.1
async function serve() {
  const handler = (req, res) => {
    const file = join(DIR, new URL(req.url, "http://x").pathname.replace(/^\/+/, ""));
    if (!file.startsWith(DIR + "/") || !existsSync(file)) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(readFileSync(file));
  };
  const a = createServer(handler);
  await new Promise((r) => a.listen(0, "127.0.0.1", r));
  const p = a.address().port;
  const c = createServer(handler);
  await new Promise((r) => c.listen(p, "127.1.0.1", r));
  servers.push(a, c);
  return p;
}

before(async () => {
  emu = await startEmulator();
  port = await serve();
  b = await launchWith({
    args: ["--host-resolver-rules=MAP *.github.io 127.0.0.1, MAP *.co.uk 127.0.0.1"],
    // what "Allow filling on every site" grants
    hosts: ["<all_urls>"],
  });
  assert.match(await addAccount(b, emu, "smsonline"), /Balance/);
  ctl = await b.context.newPage();
  await ctl.goto(`chrome-extension://${b.id}/options/options.html`);
});
after(async () => {
  await b?.context.close();
  emu?.stop();
  for (const s of servers) s.close();
});

const send = (msg) => ctl.evaluate((m) => chrome.runtime.sendMessage(m), msg);
const url = (host, path) => `http://${host}:${port}/${path}`;
const store = () => storedState(b.sw);

// the accounts as the worker keeps them (background/keys.js: the extension origin's IndexedDB)
const keptAccounts = (ctx) =>
  ctx.evaluate(
    () =>
      new Promise((res, rej) => {
        const r = indexedDB.open("otpdock-keys");
        r.onerror = () => rej(r.error);
        r.onsuccess = () => {
          const db = r.result;
          if (!db.objectStoreNames.contains("kv")) {
            db.close();
            return res(null);
          }
          const g = db.transaction("kv").objectStore("kv").get("accounts");
          g.onsuccess = () => {
            db.close();
            res(g.result ?? null);
          };
        };
      }),
  );

// the first account (test-key)
const accountId = async () => (await send({ type: "view" })).view.accounts[0].id;

async function rent(account) {
  const r = await send({ type: "rent", account, kind: "rent", service: "tg", country: "0", duration: "4" });
  assert.equal(r.ok, true, JSON.stringify(r));
  const key = r.record;
  const rec = await until(async () => (await store()).records[key], { what: "record " + key });
  return { id: rec.rental.id, key, number: rec.rental.number };
}

// every tab gets a URL of its own (#tN), so its id is found by exact URL
let tabs = 0;
async function openTab(u) {
  const page = await b.context.newPage();
  const mine = u + "#t" + ++tabs;
  await page.goto(mine);
  const tabId = await until(() => b.sw.evaluate(async (m) => (await chrome.tabs.query({})).find((t) => t.url === m)?.id, mine), { what: "tab " + mine });
  return { page, tabId };
}

// binds the rental like the popup's "Fill number" does
async function bindByFillingNumber(r, tabId) {
  const res = await send({ type: "fill-phone", tabId, phone: "+" + r.number, record: r.key });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.ok(res.filled >= 1);
  return until(
    async () => {
      const rec = (await store()).records[r.key];
      return rec?.tab_id === tabId && rec;
    },
    { what: "bound to tab " + tabId },
  );
}

async function smsArrives(r, code) {
  await emu.control(`sms?id=${r.id}&from=Shop&text=${encodeURIComponent(`Your code: ${code}. Do not share it`)}`);
  await until(async () => (await store()).records[r.key]?.sms?.some((m) => m.code === code), { timeout: 20000, what: "SMS " + code + " stored" });
}

test("a code is auto-filled only on the exact host the rental was bound on", async () => {
  const acc = await accountId();

  // control: bound on app.bank.co.uk, the tab moves to another page of the same host → filled
  const keep = await rent(acc);
  const good = await openTab(url("app.bank.co.uk", "signup.html"));
  assert.equal((await bindByFillingNumber(keep, good.tabId)).tab_host, "app.bank.co.uk");
  await good.page.goto(url("app.bank.co.uk", "signup.html?step=2"));
  await smsArrives(keep, "481516");
  await until(async () => (await good.page.inputValue("#otp")) === "481516", { what: "code filled on the bound host" });

  // attack 1: the bound tab navigates to a look-alike page on another host
  const moved = await rent(acc);
  const tab = await openTab(url("app.bank.co.uk", "signup.html"));
  await bindByFillingNumber(moved, tab.tabId);
  await tab.page.goto(url("app.evil.co.uk", "signup.html"));
  await smsArrives(moved, "271828");
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(await tab.page.inputValue("#otp"), "", "code filled on another host");
  assert.equal((await store()).records[moved.key].tab_id, null, "binding kept after navigating to another host");

  // attack 2: the binding survives (navigation unseen), the tab shows another host of the same site:
  // the check at fill time refuses it and drops the binding
  const stale = await rent(acc);
  const t2 = await openTab(url("login.bank.co.uk", "signup.html"));
  await send({ type: "bind-tab", record: stale.key, tabId: t2.tabId, host: "app.bank.co.uk" });
  assert.equal((await store()).records[stale.key].tab_host, "app.bank.co.uk");
  await smsArrives(stale, "161803");
  await until(async () => (await store()).records[stale.key].tab_id == null, { what: "binding dropped at fill time" });
  assert.equal(await t2.page.inputValue("#otp"), "", "code filled on a host the rental was not bound on");

  // closing a bound tab drops its binding
  const closed = await rent(acc);
  const t3 = await openTab(url("app.bank.co.uk", "signup.html"));
  await bindByFillingNumber(closed, t3.tabId);
  await t3.page.close();
  await until(async () => (await store()).records[closed.key].tab_id == null, { what: "binding dropped on close" });
  for (const p of [good.page, tab.page, t2.page]) await p.close();
});

test("frames are filled only when same-site by the Public Suffix List", async () => {
  const cases = [
    // [top host, frame host, filled?]
    ["a.github.io", "evil.github.io", false],
    ["bank.co.uk", "evil.co.uk", false],
    ["127.0.0.1", "127.1.0.1", false],
    ["www.bank.co.uk", "secure.bank.co.uk", true],
    ["a.github.io", "a.github.io", true],
  ];
  for (const [top, inner, ok] of cases) {
    const src = url(inner, "code.html");
    const { page, tabId } = await openTab(url(top, "frame.html?src=" + encodeURIComponent(src)));
    const frame = await until(() => page.frames().find((f) => f.url() === src), { what: "frame " + src });
    await frame.waitForSelector("#otp");
    const res = await send({ type: "fill-code", tabId, code: "314159" });
    const what = `${top} ⊃ ${inner}: ${JSON.stringify(res)}`;
    if (ok) {
      assert.deepEqual(res, { ok: true, filled: 1 }, what);
      assert.equal(await frame.inputValue("#otp"), "314159", what);
    } else {
      assert.equal(res.ok, false, what);
      assert.equal(res.error.code, "CROSS_SITE_FRAME", what);
      assert.equal(await frame.inputValue("#otp"), "", what);
    }
    await page.close();
  }
});

test("a code whose SMS names a host (@host #code) is filled only on that host, whoever asks", async () => {
  const acc = await accountId();
  const r = await rent(acc);
  await emu.control(`sms?id=${r.id}&from=Bank&text=${encodeURIComponent("Your code is 424242.\n\n@app.bank.co.uk #424242")}`);
  const sms = await until(async () => (await store()).records[r.key]?.sms?.find((m) => m.code === "424242"), { timeout: 20000, what: "WebOTP SMS" });
  const evil = await openTab(url("app.evil.co.uk", "code.html"));
  const res = await send({ type: "fill-code", tabId: evil.tabId, code: "424242", record: r.key, sms: sms.key });
  assert.equal(res.ok, false);
  assert.equal(res.error.code, "HOST_MISMATCH");
  assert.equal(await evil.page.inputValue("#otp"), "");
  // WebOTP names an exact host: a subdomain of it is another host
  const sub = await openTab(url("login.app.bank.co.uk", "code.html"));
  const r2 = await send({ type: "fill-code", tabId: sub.tabId, code: "424242", record: r.key, sms: sms.key });
  assert.equal(r2.ok, false, JSON.stringify(r2));
  assert.equal(r2.error.code, "HOST_MISMATCH");
  assert.equal(await sub.page.inputValue("#otp"), "");
  await sub.page.close();
  const good = await openTab(url("app.bank.co.uk", "code.html"));
  assert.deepEqual(await send({ type: "fill-code", tabId: good.tabId, code: "424242", record: r.key, sms: sms.key }), { ok: true, filled: 1 });
  await evil.page.close();
  await good.page.close();
});

test("a content script cannot read the API keys in chrome.storage.local", async () => {
  const { page, tabId } = await openTab(url("app.bank.co.uk", "code.html"));
  // control: the keys are there, for the worker, and no longer in chrome.storage.local
  assert.equal((await keptAccounts(b.sw))[0].key, "test-key");
  assert.deepEqual(await b.sw.evaluate(() => chrome.storage.local.get("accounts")), {});
  const seen = await b.sw.evaluate(async (tabId) => {
    const [r] = await chrome.scripting.executeScript({
      target: { tabId },
      world: "ISOLATED",
      func: async () => {
        try {
          const area = globalThis.chrome?.storage?.local;
          if (!area) return { refused: "no chrome.storage.local" };
          return { data: JSON.stringify(await area.get(null)), keys: JSON.stringify(await area.get("accounts")) };
        } catch (e) {
          // and the IndexedDB a content script can open is the page's, without the keys
          const idb = await new Promise((res) => {
            const r = indexedDB.open("otpdock-keys");
            r.onerror = () => res("error");
            r.onsuccess = () => res([...r.result.objectStoreNames].join(",") || "empty");
          });
          return { refused: String(e?.message || e), idb };
        }
      },
    });
    return r.result;
  }, tabId);
  assert.ok(seen.refused, "content script read storage: " + JSON.stringify(seen).slice(0, 160));
  assert.equal(seen.idb, "empty");
  assert.ok(!JSON.stringify(seen).includes("test-key"));
  await page.close();
});

test("a key echoed by the provider never reaches the store, the popup, the options page or a notification", async () => {
  const KEY = "Sk7f3c9a1e5b2d8f4a6c0e9b7d1f3a5c";
  await emu.control(`account?key=${KEY}&balance=500`);
  const leaks = (s) => s.includes(KEY) || /api_?key(=|%3D)(?!\*\*\*)/i.test(s);
  // notifications as created, by wrapping the API the worker calls
  await b.sw.evaluate(() => {
    self.__notes = [];
    const create = chrome.notifications.create.bind(chrome.notifications);
    chrome.notifications.create = (...a) => {
      self.__notes.push(JSON.stringify(a));
      return create(...a);
    };
  });

  // the options page's key check against an echoing server
  await emu.control("fail?provider=smsonline&method=getBalance&mode=echo&count=1");
  const opt = await b.context.newPage();
  await opt.goto(`chrome-extension://${b.id}/options/options.html`);
  await opt.selectOption("#a-provider", "smsonline");
  await opt.fill("#a-key", KEY);
  await opt.fill("#a-base", emu.url + "/stubs/handler_api.php");
  await opt.click("#a-save");
  await until(async () => (await opt.textContent("#a-status")).trim().length > 0 && !/Checking/i.test(await opt.textContent("#a-status")), {
    what: "key check answer",
  });
  const status = await opt.textContent("#a-status");
  assert.ok(!leaks(status) && !leaks(await opt.content()), "options page shows the key: " + status);
  // now save it for real
  await opt.click("#a-save");
  await until(async () => /Balance: 500/.test(await opt.textContent("#a-status")), { what: "account saved" });
  await opt.close();
  const accounts = await keptAccounts(b.sw);
  const mine = accounts.find((a) => a.key === KEY).id;

  // polls answered by pages that echo the request URL, three shapes
  for (const mode of ["echo", "echojson", "echohtml"]) {
    // count 2: every account's full poll lists rents
    await emu.control(`fail?provider=smsonline&method=getRentList&mode=${mode}&count=2`);
    await send({ type: "refresh" });
    const err = (await store()).errors?.[mine];
    assert.ok(err, "the echo reached the store as an error (" + mode + ")");
    assert.ok(!leaks(JSON.stringify(err)), mode + ": " + JSON.stringify(err));
  }
  // and an SMS whose text carries the key
  const r = await rent(mine);
  await emu.control(
    `sms?id=${r.id}&from=Echo&text=${encodeURIComponent(`Code 909090 for ${KEY}, see https://x/handler_api.php?api_key=${KEY}&action=getStatus`)}`,
  );
  await until(async () => (await store()).records[r.key]?.sms?.length > 0, { timeout: 20000, what: "echo SMS" });
  await emu.control(`fail?provider=smsonline&method=getRentList&mode=echojson&count=2`);
  await send({ type: "refresh" });

  const popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html`);
  await popup.waitForSelector("#rentals li");
  await until(async () => /909090/.test(await popup.content()), { what: "echo SMS shown" });
  assert.ok(!leaks(await popup.content()), "popup shows the key");
  await popup.close();

  const all = await b.sw.evaluate(() => chrome.storage.local.get(null));
  delete all.accounts;
  assert.ok(!leaks(JSON.stringify(all)), "stored state holds the key");
  const notes = await b.sw.evaluate(() => self.__notes);
  assert.ok(
    notes.some((n) => n.includes("909090")),
    "the echo SMS was notified: " + JSON.stringify(notes),
  );
  assert.ok(!notes.some(leaks), "a notification shows the key: " + JSON.stringify(notes));
});

test("accounts and settings are answered to the options page only; a type not in shared/messages.js is refused", async () => {
  const popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html`);
  const from = (page, m) => page.evaluate((x) => chrome.runtime.sendMessage(x), m);
  const before = await b.sw.evaluate(() => chrome.storage.local.get("settings"));
  for (const m of [
    { type: "accounts" },
    { type: "settings", settings: { notify: false } },
    { type: "save-account", account: { provider: "smsonline", key: "popup-key" } },
    { type: "remove-account", id: "x" },
  ]) {
    const r = await from(popup, m);
    assert.deepEqual([r.ok, r.error?.code], [false, "FORBIDDEN"], m.type);
  }
  assert.equal((await from(popup, { type: "view" })).ok, true, "the popup's own messages are answered");
  // the dispatcher is a table: names of Object.prototype are no message types either
  for (const type of ["delete-everything", "toString", "constructor", "__proto__", undefined]) {
    const r = await from(popup, { type });
    assert.deepEqual([r.ok, r.error?.code], [false, "BAD_REQUEST"], String(type));
  }
  assert.deepEqual(await b.sw.evaluate(() => chrome.storage.local.get("settings")), before, "the popup changed no setting");
  const mine = await send({ type: "accounts" }); // from the options page
  assert.equal(mine.ok, true);
  assert.ok(mine.accounts.length >= 1, "accounts listed");
  assert.ok(
    mine.accounts.every((a) => a.keyHint.startsWith("…") && !("key" in a)),
    "hints only",
  );
  await popup.close();
});

test("accounts kept in chrome.storage.local by an older version move out of it", async () => {
  const x = await launchWith();
  try {
    const page = await x.context.newPage();
    await page.goto(`chrome-extension://${x.id}/options/options.html`);
    // the first worker found nothing to move; an older version's accounts appear, the worker restarts
    const legacy = [{ id: "legacy-1", provider: "smsonline", key: "Lk0123456789abcdef0123456789abcd", base: emu.url + "/stubs/handler_api.php", label: "old" }];
    await page.evaluate((a) => chrome.storage.local.set({ accounts: a }), legacy);
    const cdp = await x.context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    const stopped = new Promise((res) => cdp.on("ServiceWorker.workerVersionUpdated", (e) => e.versions.some((v) => v.runningStatus === "stopped") && res()));
    await cdp.send("ServiceWorker.stopAllWorkers");
    await stopped;
    // the options page's own sender: a request that meets the worker still stopping is sent again
    const listed = await page.evaluate(() => import("/shared/messages.js").then((m) => m.send({ type: "accounts" })));
    assert.deepEqual(
      listed.accounts.map((a) => [a.id, a.keyHint]),
      [["legacy-1", "…abcd"]],
    );
    assert.deepEqual(await page.evaluate(() => chrome.storage.local.get("accounts")), {});
    assert.equal((await keptAccounts(page))[0].key, legacy[0].key);
  } finally {
    await x.context.close();
  }
});
