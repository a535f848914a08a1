// The popup's low-balance banner, the options page's export (CSV and JSON files),
// and the popup's filter box over 1000 rentals (including the ones not rendered yet).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, startEmulator, until, addAccount, viewOf, storedRecords } from "./lib.mjs";

let emu, b, page, account, rent;
const SMS_TEXT = 'Telegram code: 48213, "do not share"\nsecond line';
const send = (m) => page.evaluate((m) => chrome.runtime.sendMessage(m), m);

before(async () => {
  emu = await startEmulator();
  b = await launch();
  assert.match(await addAccount(b, emu, "smsonline"), /Balance/);
  page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
  account = (await viewOf(page)).accounts[0].id;
  const r = await send({ type: "rent", account, service: "tg", country: "0", duration: "24" });
  assert.equal(r.ok, true, JSON.stringify(r));
  rent = (await emu.control("state")).rents[0];
  await emu.control(`sms?id=${rent.id}&from=Telegram&text=${encodeURIComponent(SMS_TEXT)}`);
  await until(async () => Object.values(await storedRecords(page)).some((x) => x.sms?.some((m) => m.text === SMS_TEXT)), { what: "SMS stored" });
});
after(async () => {
  await b?.context.close();
  emu?.stop();
});

const banners = () => page.$$eval("#banners .banner", (l) => l.map((x) => x.textContent));

test("a balance that does not cover the rentals ending within 24 h shows a banner", async () => {
  await page.reload();
  await page.waitForSelector("#rentals li");
  // 1000 - 50: plenty
  await page.click("#refresh");
  await until(async () => /950\.00 USD/.test(await page.textContent("#balances")), { what: "balance 950" });
  assert.deepEqual(await banners(), []);
  await emu.control("account?key=test-key&balance=10");
  await page.click("#refresh");
  const text = await until(async () => (await banners()).find((x) => /does not cover/.test(x)), { what: "low-balance banner" });
  assert.match(
    text,
    /balance \(10\.00 USD\) does not cover prolonging the rentals that end within 24 h \(1 in all, 50\.00 USD at the price of their current period\)/,
  );
  await emu.control("account?key=test-key&balance=1000");
  await page.click("#refresh");
  await until(async () => (await banners()).length === 0, { what: "banner gone with the balance back" });
});

test("the options page exports rentals, SMS and spends as CSV and JSON files, without the key", async () => {
  const opts = await b.context.newPage();
  await opts.goto(`chrome-extension://${b.id}/options/options.html`);
  const file = async (id) => {
    const [dl] = await Promise.all([opts.waitForEvent("download"), opts.click(id)]);
    assert.match(dl.suggestedFilename(), id === "#export-csv" ? /^otpdock-\d{4}-\d\d-\d\d\.csv$/ : /\.json$/);
    return readFileSync(await dl.path(), "utf8");
  };
  const csv = await file("#export-csv");
  const json = await file("#export-json");
  await opts.close();
  for (const text of [csv, json]) assert.ok(!text.includes("test-key"), "no API key in the export");
  const lines = csv.split("\r\n");
  assert.match(
    lines[0],
    /^type,account,account_label,provider,kind,rental_id,number,service,country,state,created,until,amount,currency,sms_from,sms_date,sms_text$/,
  );
  assert.ok(
    lines.some((l) => l.startsWith(`rental,${account},,smsonline,rent,${rent.id},${rent.number},Telegram,0,`)),
    csv,
  );
  // the SMS text: quoted, its quotes doubled, its newline kept inside the quotes
  assert.ok(csv.includes(`"Telegram code: 48213, ""do not share""\nsecond line"\r\n`), csv);
  assert.ok(
    lines.some((l) => l.startsWith("spend_charged,") && l.includes(",50.00,USD,")),
    "the rent's price is a spend",
  );
  const j = JSON.parse(json);
  const r = j.rentals.find((x) => x.rental.id === String(rent.id));
  assert.equal(r.rental.number, rent.number);
  assert.equal(r.service_name, "Telegram");
  assert.equal(r.sms[0].text, SMS_TEXT);
  assert.equal(r.sms[0].code, "48213");
  assert.deepEqual(
    j.spends.map((s) => [s.amount, s.currency, s.outcome]),
    [[50, "USD", "charged"]],
  );
});

test("the filter box finds rentals by number, service and SMS text among 1000, also the ones not rendered yet", async () => {
  // 1000 more rentals in storage, read by a restarted worker
  const now = Math.floor(Date.now() / 1000);
  await page.evaluate(
    ({ account, now }) => {
      const set = {};
      for (let i = 0; i < 1000; i++) {
        const id = String(900000 + i);
        const text = `WhatsApp code ${i}`;
        const rental = {
          provider: "smsonline",
          kind: "rent",
          id,
          number: `7955000${String(i).padStart(4, "0")}`,
          service: "wa",
          state: "waiting",
          until: now + 3 * 86400,
          created: now - 10000 - i,
        };
        const sms = [{ key: "k" + id, from: "WA", text, date: now - 10000 - i, code: String(i), other: false }];
        set[`r:${account}/smsonline:${id}`] = JSON.stringify({ account, rental, sms });
      }
      return chrome.storage.local.set(set);
    },
    { account, now },
  );
  const cdp = await b.context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await new Promise((r) => setTimeout(r, 500));
  await page.reload();
  await page.waitForSelector("#rentals li");
  const shown = () => page.$$eval("#rentals li:not([hidden])", (l) => l.map((x) => x.dataset.record.split(":").pop()));
  const filter = async (q) => {
    await page.fill("#filter", q);
    await until(async () => (await page.textContent("#filter-count")) !== "", { what: "filter answered" });
  };
  // the oldest rental of all: last in the list, far below what the first frame built
  await filter("+7 955 000-0999");
  await until(async () => JSON.stringify(await shown()) === '["900999"]', { what: "the number with separators" });
  assert.match(await page.textContent("#filter-count"), /^1 of 1001 shown$/);
  await filter("whatsapp CODE 500");
  await until(async () => JSON.stringify(await shown()) === '["900500"]', { what: "SMS text, case aside" });
  await filter("telegram");
  await until(async () => JSON.stringify(await shown()) === JSON.stringify([String(rent.id)]), { what: "the service's name" });
  await filter('"do not share"');
  await until(async () => JSON.stringify(await shown()) === JSON.stringify([String(rent.id)]), { what: "the real SMS's text" });
  await filter("no such thing");
  await until(async () => (await shown()).length === 0, { what: "nothing" });
  assert.equal(await page.textContent("#filter-count"), "No rental matches");
  // Escape clears it: every rental is back (built in idle chunks)
  await page.focus("#filter");
  await page.keyboard.press("Escape");
  assert.equal(await page.inputValue("#filter"), "");
  await until(async () => (await shown()).length === 1001, { timeout: 30000, what: "all 1001 shown again" });
});
