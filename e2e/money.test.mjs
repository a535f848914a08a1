// Money safety and the SMSPVA rent flow in the popup: lost answers are
// reconciled (never retried, never charged twice), activation, prolong,
// archive restore with a price quote, the 2-minute cancel rule.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { withBothAccounts, until, addAccount, storedRecords, viewOf } from "./lib.mjs";

let emu, b, popup;
before(async () => {
  ({ emu, b, popup } = await withBothAccounts());
});
after(async () => {
  await b?.context.close();
  emu?.stop();
});

const balance = async () => (await emu.control("state")).balances["test-key"];
// account id of a provider, from the background's public view (no keys in it)
const accountOf = async (provider) => (await viewOf(popup)).accounts.find((a) => a.provider === provider).id;
// opens "New rental" and picks the provider's account once the form has loaded
async function openForm(provider) {
  await popup.reload();
  await popup.click("#new-rental summary");
  await until(async () => (await popup.$$eval("#f-account option", (o) => o.length)) > 0, { what: "accounts in the form" });
  await popup.selectOption("#f-account", await accountOf(provider));
}
const status = () => popup.textContent("#status");

async function rentPva(service = "opt16") {
  await openForm("smspva");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.map((x) => x.value))).includes(service), { what: "SMSPVA services" });
  await popup.selectOption("#f-country", "RU");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.map((x) => x.value))).includes(service), { what: "RU services" });
  await popup.selectOption("#f-service", service);
  await until(async () => /Price: 35/.test(await popup.textContent("#quote")), { what: "quote 7 days × 5" });
  await popup.click("#rent");
  await popup.click("#confirm-yes");
}

test("a rent whose answer is lost is found in the orders, charged once", async () => {
  await emu.control("fail?provider=smspva&method=create&mode=after:html");
  await rentPva();
  await until(async () => /found in your orders/.test(await status()), { what: "reconciled message" });
  const st = await emu.control("state");
  assert.equal(st.orders.length, 1);
  assert.equal(await balance(), 1000 - 35);
  const log = await emu.control("log");
  assert.equal(log.filter((l) => l === "smspva:create").length, 1, "never retried");
  await popup.waitForSelector(`#rentals li[data-record$="smspva:${st.orders[0].id}"]`);
});

test("a rent the provider did not carry out is reported as not charged", async () => {
  await emu.control("fail?provider=smspva&method=create&mode=html");
  await rentPva();
  await until(async () => /nothing was bought/.test(await status()), { what: "not charged message" });
  assert.equal((await emu.control("state")).orders.length, 1);
  assert.equal(await balance(), 1000 - 35);
});

test("activate, receive an SMS, prolong under 7 days, restore from the archive", async () => {
  const id = (await emu.control("state")).orders[0].id;
  const sel = `#rentals li[data-record$="smspva:${id}"]`;
  await popup.reload();
  await popup.waitForSelector(`${sel} .state.needs_activation`);
  await popup.click(`${sel} button.primary`);
  // SMSPVA's 4 s spacing: by the time the poll after "activate" is answered the number may be active already
  await popup.waitForSelector(`${sel} .state.activating, ${sel} .state.waiting`, { timeout: 30000 });
  await emu.control("time?advance=5");
  await until(async () => (await emu.control("state")).orders[0].state === 1, { what: "active" });
  await emu.control(`sms?provider=smspva&id=${id}&from=FACEBOOK&text=${encodeURIComponent("Code Instagram: 671 094.")}`);
  await popup.click("#refresh");
  await popup.waitForSelector(`${sel} mark.code`, { timeout: 30000 });
  assert.equal(await popup.textContent(`${sel} mark.code`), "671094");

  // a 1-week rental has fewer than 7 days left once it started: prolong is offered with its maximum
  await emu.control("time?advance=3600");
  await popup.click("#refresh");
  await popup.waitForSelector(`${sel} select`);
  assert.match(await popup.textContent(sel), /up to 83 more days/);
  const until0 = (await emu.control("state")).orders[0].until;
  await popup.click(`${sel} .actions button:text("Prolong")`);
  await popup.click("#confirm-yes");
  await until(async () => (await emu.control("state")).orders[0].until === until0 + 7 * 86400, { what: "prolonged" });
  assert.equal(await balance(), 1000 - 35 - 35);

  // expire it, then restore from the archive after seeing the price
  await emu.control(`time?advance=${15 * 86400}`);
  await popup.click("#refresh");
  await popup.click("#archive summary");
  await popup.waitForSelector("#archive-list button.restore");
  await popup.click("#archive-list button.restore");
  await until(async () => /Restore \+7909\d+ for 155\b/.test(await popup.textContent("#confirm-text")), { what: "restore quote" });
  await popup.click("#confirm-yes");
  await until(async () => (await emu.control("state")).orders.length === 1, { what: "restored order" });
  assert.equal(await balance(), 1000 - 35 - 35 - 155);
});

test("a one-off activation cannot be cancelled in its first 2 minutes", async () => {
  await openForm("smsonline");
  await popup.selectOption("#f-kind", "activation");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.map((x) => x.value))).includes("wa"), { what: "services" });
  await popup.selectOption("#f-service", "wa");
  await popup.click("#rent");
  await popup.click("#confirm-yes");
  const act = await until(async () => (await emu.control("state")).activations[0], { what: "activation" });
  const sel = `#rentals li[data-record$="smsonline:${act.id}"]`;
  await popup.waitForSelector(`${sel} button.cancel[disabled]`);
  assert.match(await popup.textContent(sel), /Cancel possible in \d+ s/);
});

test("state survives a service-worker restart: no SMS lost, none duplicated", async () => {
  const before = await popup.$$eval("#rentals mark.code", (m) => m.map((x) => x.textContent));
  assert.ok(before.includes("671094"));
  // stop the service worker the way Chrome does when it idles; the next event starts a fresh one
  const cdp = await b.context.newCDPSession(popup);
  await cdp.send("ServiceWorker.enable");
  const stopped = new Promise((res) => cdp.on("ServiceWorker.workerVersionUpdated", (e) => e.versions.some((v) => v.runningStatus === "stopped") && res()));
  await cdp.send("ServiceWorker.stopAllWorkers");
  const how = await Promise.race([stopped.then(() => "stopped"), new Promise((r) => setTimeout(() => r("still running"), 5000))]);
  assert.equal(how, "stopped");
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
  await page.waitForSelector("#rentals mark.code");
  await page.click("#refresh");
  await new Promise((r) => setTimeout(r, 1000));
  const after = await page.$$eval("#rentals mark.code", (m) => m.map((x) => x.textContent));
  assert.deepEqual(after.sort(), before.sort());
  const store = { records: await storedRecords(page) };
  const rec = Object.values(store.records).find((r) => r.sms.some((m) => m.code === "671094"));
  assert.equal(rec.sms.length, 1);
});

test("a burst of more SMS than one status page holds loses none", async () => {
  await openForm("smsonline");
  await popup.selectOption("#f-kind", "rent");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.map((x) => x.value))).includes("ig"), { what: "services" });
  await popup.selectOption("#f-service", "ig");
  await popup.click("#rent");
  await popup.click("#confirm-yes");
  const rent = await until(async () => (await emu.control("state")).rents.find((r) => r.service === "ig"), { what: "rent" });
  for (let i = 0; i < 23; i++) await emu.control(`sms?id=${rent.id}&from=IG&text=${encodeURIComponent(`Instagram code ${100000 + i}`)}`);
  await popup.click("#refresh");
  const count = async () => {
    const store = { records: await storedRecords(popup) };
    return Object.values(store.records).find((r) => r.rental.id === String(rent.id))?.sms.length || 0;
  };
  await until(async () => (await count()) === 23, { timeout: 30000, what: `23 SMS stored (have ${await count()})` });
  // the popup shows the newest three and the whole history on request
  const li = `#rentals li[data-record$="smsonline:${rent.id}"]`;
  await popup.locator(`${li} button.more`).click({ timeout: 30000 });
  await until(async () => (await popup.$$eval(`${li} .sms`, (x) => x.length)) === 23, { what: "all 23 SMS shown" });
});

test("a prolong whose answer is lost is confirmed from the orders, charged once", async () => {
  const pva = await accountOf("smspva");
  const send = (m) => popup.evaluate((m) => chrome.runtime.sendMessage(m), m);
  const created = await send({ type: "rent", account: pva, service: "opt46", country: "RU", duration: "week:1" });
  assert.equal(created.ok, true, JSON.stringify(created));
  const id = created.record.split(":").pop();
  await emu.control("time?advance=3600");
  await popup.click("#refresh");
  // the engine has read that fewer than 7 days are left: prolong is offered
  await until(
    async () => (await viewOf(popup)).rentals.find((r) => r.key === created.record)?.actions.some((a) => a.intent === "prolong" && a.options.length),
    { what: "prolong offered" },
  );
  const before = (await emu.control("state")).orders.find((o) => String(o.id) === id);
  const bal = await balance();
  const prolongs = async () => (await emu.control("log")).filter((l) => l === "smspva:prolong").length;
  const calls = await prolongs();
  await emu.control("fail?provider=smspva&method=prolong&mode=after:html");
  const r = await send({ type: "intent", record: created.record, intent: "prolong", option: "week:1" });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.reconciled, true);
  const after = (await emu.control("state")).orders.find((o) => String(o.id) === id);
  assert.equal(after.until, before.until + 7 * 86400);
  assert.equal(await balance(), bal - 42);
  assert.equal(await prolongs(), calls + 1, "never retried");
});

test("SMS.online: a rent whose answer is lost is adopted from getRentList", async () => {
  const so = await accountOf("smsonline");
  const rents = async () => (await emu.control("state")).rents.length;
  const before = await rents();
  const bal = await balance();
  await emu.control("fail?provider=smsonline&method=getRentNumber&mode=after:timeout&ms=20000");
  const r = await popup.evaluate(
    (account) => chrome.runtime.sendMessage({ type: "rent", account, kind: "rent", service: "go", country: "0", duration: "4" }),
    so,
  );
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.reconciled, true);
  assert.equal(await rents(), before + 1);
  assert.equal(await balance(), bal - 7.5);
  const store = { records: await storedRecords(popup) };
  assert.ok(store.records[r.record]?.rental.provider === "smsonline", "the adopted rent is stored");
});

test("the rent form remembers the last choice and filters services", async () => {
  // the last rental of this popup was SMS.online "ig"; the form offers it again
  await popup.reload();
  await popup.click("#new-rental summary");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.length)) > 0, { what: "services" });
  assert.equal(await popup.inputValue("#f-account"), await accountOf("smsonline"));
  await until(async () => (await popup.inputValue("#f-service")) === "ig", { what: "remembered service" });
  await popup.fill("#f-filter", "w");
  assert.deepEqual(await popup.$$eval("#f-service option", (o) => o.map((x) => x.value)), ["wa"]);
  await popup.fill("#f-filter", "");
  assert.ok((await popup.$$eval("#f-service option", (o) => o.length)) >= 5);
});

test("the first sync of an account reads its whole SMS history without announcing it", async () => {
  // a rent of another account with 15 SMS from an hour ago, then the account is added
  const key = "history-key";
  await emu.control(`account?key=${key}&balance=100`);
  const base = `${emu.url}/stubs/handler_api.php`;
  const rent = await (await fetch(`${base}?api_key=${key}&action=getRentNumber&service=tg&country=0&rent_time=24`)).json();
  // the SMS arrived an hour ago by the browser's clock (earlier tests moved the emulator's clock)
  const offset = (await emu.control("state")).now - Math.floor(Date.now() / 1000);
  await emu.control(`time?advance=${-offset - 3600}`);
  for (let i = 0; i < 15; i++) await emu.control(`sms?id=${rent.phone.id}&from=Old&text=${encodeURIComponent(`Old code ${200000 + i}`)}`);
  await emu.control(`time?advance=${offset + 3600}`);
  const badgeBefore = await b.sw.evaluate(() => chrome.action.getBadgeText({})).catch(() => null);
  assert.match(await addAccount(b, emu, "smsonline", key), /Key works\. Balance: \d+\.\d{2,4} USD/);
  const count = async () => {
    const store = { records: await storedRecords(popup) };
    return Object.values(store.records).find((r) => r.rental.id === String(rent.phone.id))?.sms.length || 0;
  };
  await until(async () => (await count()) === 15, { timeout: 30000, what: `15 old SMS stored (have ${await count()})` });
  const store = { records: await storedRecords(popup) };
  const rec = Object.values(store.records).find((r) => r.rental.id === String(rent.phone.id));
  assert.equal(rec.unseen.length, 0, "history is not news");
  if (badgeBefore !== null) assert.equal(await b.sw.evaluate(() => chrome.action.getBadgeText({})), badgeBefore);
});
