#!/usr/bin/env node
// Drives popup.html against the stub background (no extension, no worker) and checks
// what it sends and shows: the view-model protocol end to end on the popup's side.
//   node e2e/bench/popup-smoke.mjs [--dir DIR]
// (Not a node:test file on purpose: the e2e suite runs the real extension.)
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { generate } from "./data.mjs";
import { installStub } from "./stub.mjs";
import { CHROMIUM_ARGS, pickDir, serve } from "./serve.mjs";

const args = process.argv.slice(2);
const dir = pickDir({ dir: args.includes("--dir") ? args[args.indexOf("--dir") + 1] : undefined });
const server = await serve(dir);
const n = 40;
const now = Math.floor(Date.now() / 1000);
const g = generate(n, now);
server.payloads.set("/__bench/smoke.json", JSON.stringify(g.view));
const cfg = { messages: server.messages, n, now, legacy: false, dataUrl: "/__bench/smoke.json" };
const LOST = "A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received";
const UNDELIVERED = "Could not establish connection. Receiving end does not exist.";

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
const context = await browser.newContext({ viewport: { width: 400, height: 600 } });
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
await context.addInitScript({ content: `(${installStub})(${JSON.stringify(cfg)}, ${generate});` });
// records every message; __smoke.reject / __smoke.fail make one type lose its answer or fail,
// __smoke.answer[type] answers it instead of the stub;
// __smoke.undelivered[type] = n: the next n of that type reach no one
const WRAP = `(() => {
  const orig = chrome.runtime.sendMessage;
  globalThis.__sent = [];
  globalThis.__smoke = { reject: [], fail: {}, answer: {}, undelivered: {}, rejectOnce: location.hash === "#lost-view" ? ["view"] : [] };
  chrome.runtime.sendMessage = (m) => {
    __sent.push(JSON.parse(JSON.stringify(m)));
    if (__smoke.undelivered[m.type] > 0 && __smoke.undelivered[m.type]--) return Promise.reject(new Error(${JSON.stringify(UNDELIVERED)}));
    const once = __smoke.rejectOnce.indexOf(m.type);
    if (once >= 0) __smoke.rejectOnce.splice(once, 1);
    if (once >= 0 || __smoke.reject.includes(m.type)) return Promise.reject(new Error(${JSON.stringify(LOST)}));
    if (m.limit && location.hash === "#fail-limit") return Promise.resolve({ ok: false, error: { code: "BAD_REQUEST", message: "unknown field limit" } });
    if (__smoke.fail[m.type]) return Promise.resolve({ ok: false, error: __smoke.fail[m.type] });
    if (__smoke.answer[m.type]) return Promise.resolve(__smoke.answer[m.type]);
    return orig(m);
  };
})();`;
await context.addInitScript(WRAP);
await page.goto(`${server.url}${server.popup}?tab=1`);

const sent = (type) => page.evaluate((t) => __sent.filter((m) => m.type === t), type);
const clearSent = () => page.evaluate(() => (__sent.length = 0));
const statusText = () => page.textContent("#status");
const until = async (fn, what, ms = 5000) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out: " + what);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const li = (r) => `#rentals li[data-record="${r.key}"]`;
const R = g.view.rentals;
const find = (f, what) => R.find(f) || assert.fail("no rental for " + what);
let checks = 0;
const check = async (name, fn) => {
  await fn();
  checks++;
  console.log("ok -", name);
};

await check("every rental is rendered in the view's order; seen and refresh follow the first frame", async () => {
  await until(async () => (await page.$$eval("#rentals > li", (x) => x.length)) === n, "all rentals");
  assert.deepEqual(
    await page.$$eval("#rentals > li", (x) => x.map((l) => l.dataset.record)),
    R.map((r) => r.key),
  );
  assert.ok(await page.evaluate(() => performance.getEntriesByName("otpdock:first-render").length === 1));
  await until(async () => (await sent("seen")).length === 1 && (await sent("refresh")).length === 1, "seen + refresh");
  assert.equal(await page.isHidden("#empty"), true);
  // an account without a name is called by its provider's name, never by its id
  assert.match(await page.textContent("#balances"), /SMS\.online: 1234\.50 RUB · Work: 87\.25 USD/);
});

await check("state, number, codes, unseen, other SMS without Copy/Fill", async () => {
  const r = find((x) => x.provider === "smspva" && x.other.length && x.sms.length, "pva with other SMS");
  assert.equal(await page.textContent(`${li(r)} .state.${r.state}`), r.state === "received" ? "SMS received" : "Needs activation");
  assert.equal(await page.textContent(`${li(r)} .number`), "+" + r.number);
  assert.deepEqual(
    await page.$$eval(`${li(r)} mark.code`, (x) => x.map((m) => m.textContent)),
    r.sms.map((m) => m.code),
  );
  assert.equal(await page.textContent(`${li(r)} section.other-sms h3`), server.messages.otherSms.message);
  assert.equal(await page.$$eval(`${li(r)} section.other-sms .sms`, (x) => x.length), r.other.length);
  assert.equal(await page.$$eval(`${li(r)} section.other-sms :is(mark, button)`, (x) => x.length), 0);
  const u = find((x) => x.sms.some((m) => m.unseen), "unseen SMS");
  assert.equal(await page.$$eval(`${li(u)} .sms.unseen`, (x) => x.length), u.sms.filter((m) => m.unseen).length);
});

await check("Show all asks for the history and shows all of it, once", async () => {
  const r = find((x) => x.provider === "smspva" && x.sms_total > 3 && x.other_total > 3, "long history");
  assert.equal(await page.$$eval(`${li(r)} button.more`, (x) => x.length), 1);
  await page.click(`${li(r)} button.more`);
  await until(async () => (await page.$$eval(`${li(r)} .sms`, (x) => x.length)) === r.sms_total + r.other_total, "whole history");
  assert.deepEqual(
    (await sent("history")).map((m) => m.record),
    [r.key],
  );
  assert.equal(await page.$$eval(`${li(r)} button.more`, (x) => x.length), 0);
  assert.equal(await page.$$eval(`${li(r)} section.other-sms mark`, (x) => x.length), 0);
});

await check("prolong: option select, quote, confirmation with price, intent with option", async () => {
  const r = find((x) => x.provider === "smsonline" && x.actions.some((a) => a.intent === "prolong"), "SO rent");
  await clearSent();
  await page.selectOption(`${li(r)} select[data-intent="prolong"]`, "72");
  await page.click(`${li(r)} .actions button:text("Prolong")`);
  await page.waitForSelector("#confirm[open]");
  assert.deepEqual(await sent("quote"), [{ type: "quote", record: r.key, option: "72" }]);
  assert.match(await page.textContent("#confirm-text"), new RegExp(`Prolong \\+${r.number}\\?\\s+72 h · Price: 12\\.5 RUB`));
  assert.deepEqual(await sent("intent"), [], "nothing spent before the confirmation");
  await page.click("#confirm-yes");
  await until(async () => (await statusText()) === "prolong done", "success message");
  assert.deepEqual(await sent("intent"), [{ type: "intent", record: r.key, intent: "prolong", option: "72" }]);
  await until(async () => (await sent("view")).length >= 1, "view after the intent");
});

await check("counted words take the plural form of their count: 1 week, 2 weeks, 1 month, 2 months", async () => {
  const r = find((x) => x.provider === "smspva" && x.actions.some((a) => a.intent === "prolong"), "SMSPVA prolong");
  assert.deepEqual(await page.$$eval(`${li(r)} select[data-intent="prolong"] option`, (o) => o.map((x) => x.textContent)), [
    "1 week",
    "2 weeks",
    "1 month",
    "2 months",
  ]);
});

await check("only the newest code's Fill button stands out", async () => {
  const r = find((x) => x.sms.filter((m) => m.code).length >= 2, "two codes");
  const marks = await page.$$eval(`${li(r)} .sms-list .fill-code`, (b) => b.map((x) => x.classList.contains("newest")));
  assert.ok(marks.length >= 2, JSON.stringify(marks));
  assert.deepEqual(
    marks,
    marks.map((_, i) => i === 0),
    "the first (newest) code only",
  );
});

await check("closing the confirmation sends nothing", async () => {
  const r = find((x) => x.actions.some((a) => a.intent === "delete"), "delete");
  await clearSent();
  await page.click(`${li(r)} .actions button:text("Delete")`);
  assert.equal(await page.textContent("#confirm-text"), `Delete +${r.number}?`);
  await page.click('#confirm button[value="no"]');
  await page.waitForTimeout(100);
  assert.deepEqual(await sent("intent"), []);
});

await check("primary action, note, cancel countdown (enable_at) and disable_at", async () => {
  const a = find((x) => x.state === "needs_activation", "needs activation");
  assert.equal(await page.textContent(`${li(a)} button.primary`), "Activate");
  assert.match(await page.textContent(li(a)), /up to 83 more days/);
  const c = find((x) => x.actions.some((y) => y.intent === "cancel" && y.enable_at), "countdown");
  await page.waitForSelector(`${li(c)} button.cancel[disabled]`);
  assert.match(await page.textContent(li(c)), /Cancel possible in \d+ s/);
  const d = find((x) => x.actions.some((y) => y.intent === "cancel" && y.disable_at && y.disable_at > now), "cancel window open");
  assert.equal(await page.isVisible(`${li(d)} button.cancel`), true);
  const gone = find((x) => x.actions.some((y) => y.intent === "cancel" && y.disable_at && y.disable_at <= now), "cancel window over");
  assert.equal(await page.isVisible(`${li(gone)} button.cancel`), false);
});

await check("fill number and fill code use the stable fill messages", async () => {
  const r = find((x) => x.open && x.sms.some((m) => m.code), "open with code");
  await clearSent();
  await page.click(`${li(r)} button.fill-number`);
  await until(async () => (await statusText()) === "Filled 1 field", "filled number (one field: singular)");
  assert.deepEqual(await sent("fill-phone"), [{ type: "fill-phone", tabId: 1, phone: "+" + r.number, record: r.key }]);
  await page.evaluate(() => (__smoke.answer = { "fill-code": { ok: true, filled: 6 } }));
  await page.click(`${li(r)} button.fill-code >> nth=0`);
  await until(async () => (await statusText()) === "Filled 6 fields", "filled code into six boxes (plural)");
  await page.evaluate(() => (__smoke.answer = {}));
  assert.deepEqual(await sent("fill-code"), [{ type: "fill-code", tabId: 1, code: r.sms[0].code, record: r.key, sms: r.sms[0].key }]);
});

await check("a lost answer to an intent reads as outcome unknown and refreshes", async () => {
  const r = find((x) => x.actions.some((a) => a.intent === "finish" && !a.confirm), "finish");
  await page.evaluate(() => (__smoke.reject = ["intent"]));
  await clearSent();
  await page.click(`${li(r)} .actions button:text("Finish")`);
  await until(async () => /could not be checked/.test(await statusText()), "outcome unknown");
  assert.equal(await page.getAttribute("#status", "class"), "error");
  await until(async () => (await sent("view")).length >= 1, "refresh after a lost answer");
  await page.evaluate(() => {
    __smoke.reject = [];
    __smoke.fail = { intent: { code: "RENT_DIE", message: "The rental is over." } };
  });
  await page.click(`${li(r)} .actions button:text("Finish")`);
  await until(async () => (await statusText()) === "The rental is over.", "error message");
  await page.evaluate(() => (__smoke.fail = {}));
});

await check("a request that reached no worker: a read is sent again, a spend is not and says nothing was done", async () => {
  const r = find((x) => x.actions.some((a) => a.intent === "finish" && !a.confirm), "finish");
  await clearSent();
  await page.evaluate(() => (__smoke.undelivered = { intent: 1 }));
  await page.click(`${li(r)} .actions button:text("Finish")`);
  await until(async () => /Nothing was done/.test(await statusText()), "not delivered");
  assert.doesNotMatch(await statusText(), /could not be checked/, "not 'outcome unknown': it never left");
  assert.equal((await sent("intent")).length, 1, "a spend is never sent twice");
  await until(async () => (await sent("view")).length >= 1, "the view asked again after it");
  await clearSent();
  const more = await page.$$eval("#rentals li button.more", (b) => b.map((x) => /** @type {HTMLElement} */ (x.closest("li")).dataset.record));
  // (not the first rental: the stub's history does not follow the SMS a later check adds to it)
  const h = find((x) => x.key !== R[0].key && more.includes(x.key), "a history not shown yet");
  await page.evaluate(() => (__smoke.undelivered = { history: 2 }));
  await page.click(`${li(h)} button.more`);
  await until(async () => (await page.$$eval(`${li(h)} .sms`, (x) => x.length)) === h.sms_total + h.other_total, "history after two undelivered");
  assert.equal((await sent("history")).length, 3, "sent again until delivered");
});

await check("storage changes: throttled, only changed rentals rebuilt, an open choice kept", async () => {
  const keep = find((x) => x.provider === "smsonline" && x.actions.some((a) => a.intent === "prolong"), "SO rent");
  await page.selectOption(`${li(keep)} select[data-intent="prolong"]`, "168");
  await page.evaluate((sel) => (document.querySelector(sel).__mark = 1), li(keep));
  await page.focus(`${li(keep)} select[data-intent="prolong"]`);
  const bumped = await page.evaluate(() => __stub.bump(0));
  await clearSent();
  await page.evaluate(() => {
    for (let i = 0; i < 20; i++) __stub.fire();
  });
  await until(async () => (await page.textContent(`#rentals li[data-record="${bumped.key}"]`)).includes(bumped.code), "new SMS shown");
  await page.waitForTimeout(700);
  const views = (await sent("view")).length;
  assert.ok(views >= 1 && views <= 2, `20 changes at once: ${views} view requests`);
  assert.equal(await page.evaluate((sel) => document.querySelector(sel).__mark, li(keep)), 1, "unchanged rental kept its <li>");
  assert.equal(await page.inputValue(`${li(keep)} select[data-intent="prolong"]`), "168");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.intent), "prolong");
  await clearSent();
  await page.evaluate(() => chrome.storage.local.set({ lastRent: { account: "x" } }));
  await page.waitForTimeout(400);
  assert.equal((await sent("view")).length, 0, "the popup's own lastRent is no news");
});

await check("new rental: catalogue, filter, quote, rent, remembered choice", async () => {
  await clearSent();
  await page.click("#new-rental summary");
  await until(async () => (await page.$$eval("#f-service option", (o) => o.length)) === 4, "services");
  assert.equal(await page.isVisible("#l-kind"), true);
  await page.selectOption("#f-kind", "activation");
  await until(async () => (await sent("catalogue")).some((m) => m.kind === "activation"), "catalogue for the kind");
  await page.fill("#f-filter", "w");
  assert.deepEqual(await page.$$eval("#f-service option", (o) => o.map((x) => x.value)), ["wa"]);
  assert.match(await page.textContent("#quote"), /Price: 11 RUB · Available: 24/);
  await page.click("#rent");
  assert.equal(await page.textContent("#confirm-text"), "Rent WA in Russia for 11 RUB?");
  await page.click("#confirm-yes");
  await until(async () => (await sent("rent")).length === 1, "rent");
  assert.deepEqual(await sent("rent"), [{ type: "rent", account: "acc-so", kind: "activation", service: "wa", country: "0", operator: "any", duration: "24" }]);
  await until(async () => (await statusText()) === "+79000000000", "rent message");
  const { lastRent } = await page.evaluate(() => chrome.storage.local.get("lastRent"));
  assert.equal(lastRent.service, "wa");
  assert.equal(lastRent.kind, "activation");
  assert.deepEqual(await page.$$eval("#f-account option", (o) => o.map((x) => x.textContent)), ["SMS.online", "Work (SMSPVA)"]);
  await page.evaluate(async () => {
    const s = document.getElementById("f-account");
    s.value = "acc-pva";
    s.dispatchEvent(new Event("change"));
  });
  await until(async () => (await sent("catalogue")).some((m) => m.account === "acc-pva"), "catalogue of the other account");
  await until(async () => page.isHidden("#l-kind"), "no kinds: no kind select");
});

await check("archive: list, quote, restore", async () => {
  await clearSent();
  await page.click("#archive summary");
  await page.waitForSelector("#archive-list button.restore");
  await page.click("#archive-list button.restore");
  await until(async () => (await page.textContent("#confirm-text")) === "Restore +79000000009 for 155?", "restore quote");
  await page.click("#confirm-yes");
  await until(async () => (await statusText()) === "Restored", "restored");
  assert.deepEqual(
    (await sent("restore-quote")).concat(await sent("restore")).map((m) => [m.type, m.account, m.id]),
    [
      ["restore-quote", "acc-pva", "9"],
      ["restore", "acc-pva", "9"],
    ],
  );
});

await check("words as locale keys ({key, args}), errors by code, ISO countries, a wait that never ends", async () => {
  // the engine's own shapes (before the worker says them): the popup says them itself
  const v = JSON.parse(JSON.stringify(g.view));
  const r = v.rentals.find((x) => x.provider === "smsonline" && x.actions.some((a) => a.intent === "prolong"));
  const p = r.actions.find((a) => a.intent === "prolong");
  p.label = { key: "prolong", args: [] };
  p.confirm = { key: "confirmRent", args: ["A", "B", "C"] };
  p.options = [
    { value: "4", label: { key: "hours", args: ["4"] } },
    { value: "8", label: { key: "", args: ["eight"] } },
  ];
  r.actions.push({
    intent: "prolong-later",
    label: { key: "prolong", args: [] },
    primary: false,
    confirm: null,
    options: [],
    quote: false,
    enable_at: 9.223372036854776e18, // i64::MAX as a JS number
    disable_at: null,
    note: { key: "prolongLater", args: [] },
  });
  r.notice = { code: "OutcomeUnknown", message: "", outcome_unknown: true };
  r.country_name = null;
  r.country_iso = "KZ";
  v.banners = [{ code: "zzz", params: [], level: "warn" }];
  v.accounts[0].error = { code: "WRONG_API_KEY", message: "" };
  server.payloads.set("/__bench/words.json", JSON.stringify(v));
  const pg = await page.context().newPage();
  pg.on("pageerror", (e) => errors.push(e.message));
  await pg.addInitScript({ content: `(${installStub})(${JSON.stringify({ ...cfg, dataUrl: "/__bench/words.json" })}, ${generate});` });
  await pg.goto(`${server.url}${server.popup}?tab=1`);
  await pg.waitForSelector(`${li(r)} .actions`);
  assert.deepEqual(await pg.$$eval(`${li(r)} select[data-intent="prolong"] option`, (o) => o.map((x) => x.textContent)), ["4 h", "eight"]);
  assert.equal(await pg.textContent(`${li(r)} button.prolong >> nth=0`), "Prolong");
  assert.equal(await pg.isDisabled(`${li(r)} button.prolong-later`), true);
  assert.doesNotMatch(await pg.textContent(li(r)), /Cancel possible in/);
  assert.match(await pg.textContent(li(r)), /Prolong is possible when fewer than 7 days are left/);
  assert.match(await pg.textContent(li(r)), /Kazakhstan/);
  assert.equal(await pg.textContent(`${li(r)} .notice`), "OutcomeUnknown", "no words for an unknown code: the code");
  assert.match(await pg.textContent("#banners"), /SMS\.online: WRONG_API_KEY/);
  assert.match(await pg.textContent("#banners"), /zzz/);
  await pg.click(`${li(r)} .actions button:text("Prolong") >> nth=0`);
  await pg.waitForSelector("#confirm[open]");
  assert.match(await pg.textContent("#confirm-text"), /^Rent A in B for C\?/);
  await pg.close();
});

await check("a view request the stopped worker never answered is asked again", async () => {
  const pg = await page.context().newPage();
  pg.on("pageerror", (e) => errors.push(e.message));
  await pg.goto(`${server.url}${server.popup}?tab=1#lost-view`);
  await until(async () => (await pg.$$eval("#rentals > li", (x) => x.length)) === n, "rentals after the retry");
  assert.ok((await pg.evaluate(() => __sent.filter((m) => m.type === "view").length)) >= 2);
  assert.equal(await pg.textContent("#status"), "");
  await pg.close();
});

await check("a first view limited to 30 rentals: the whole view follows the first frame", async () => {
  const pg = await context.newPage();
  pg.on("pageerror", (e) => errors.push(e.message));
  await pg.addInitScript({ content: `(${installStub})(${JSON.stringify({ ...cfg, viewLimit: true })}, ${generate}); ${WRAP}` });
  await pg.goto(`${server.url}${server.popup}?tab=1`);
  await until(async () => (await pg.$$eval("#rentals > li", (x) => x.length)) === n, "all rentals after the partial view");
  const types = await pg.evaluate(() => __sent.map((m) => [m.type, m.limit ?? null]));
  assert.deepEqual(types.slice(0, 2), [
    ["view", 30],
    ["view", null],
  ]);
  assert.ok(types.some(([t]) => t === "refresh") && types.some(([t]) => t === "seen"));
  assert.deepEqual(
    await pg.$$eval("#rentals > li", (x) => x.map((l) => l.dataset.record)),
    R.map((r) => r.key),
  );
  await pg.close();
});

await check("a background that refuses `limit` gets a plain view request", async () => {
  const pg = await context.newPage();
  pg.on("pageerror", (e) => errors.push(e.message));
  await pg.goto(`${server.url}${server.popup}?tab=1#fail-limit`);
  await until(async () => (await pg.$$eval("#rentals > li", (x) => x.length)) === n, "rentals after the plain request");
  assert.equal(await pg.textContent("#status"), "");
  await pg.close();
});

assert.deepEqual(errors, [], "no page errors");
await browser.close();
server.close();
console.log(`popup smoke: ${checks} checks passed`);
