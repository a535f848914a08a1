// The engine's promises attacked in the built extension: a broken stored state is kept
// and reported (never wiped), a storage that refuses writes loses nothing and says so,
// two spends on one account are reported truthfully, and a worker stopped mid-spend
// gives the "outcome unknown" advice and never buys twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { withBothAccounts, until, storedRecords, viewOf } from "./lib.mjs";

let emu, b, popup;
before(async () => {
  ({ emu, b, popup } = await withBothAccounts());
});
after(async () => {
  await b?.context.close();
  emu?.stop();
});

const send = (m) => popup.evaluate((m) => chrome.runtime.sendMessage(m), m);
const accountOf = async (provider) => (await viewOf(popup)).accounts.find((a) => a.provider === provider).id;

// stops the service worker the way Chrome does when it idles; the next event starts a fresh one
async function stopWorker(page) {
  const cdp = await b.context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  const stopped = new Promise((res) => cdp.on("ServiceWorker.workerVersionUpdated", (e) => e.versions.some((v) => v.runningStatus === "stopped") && res()));
  await cdp.send("ServiceWorker.stopAllWorkers");
  await Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))]);
  await cdp.detach();
}

async function sw() {
  let [w] = b.context.serviceWorkers();
  if (!w) w = await b.context.waitForEvent("serviceworker", { timeout: 15000 });
  return w;
}

test("two spends on one account at once: one goes, the other is refused as busy, one charge", async () => {
  const pva = await accountOf("smspva");
  const before = (await emu.control("state")).orders.length;
  const choice = { type: "rent", account: pva, service: "opt16", country: "RU", duration: "week:1" };
  const [a, c] = await Promise.all([send(choice), send(choice)]);
  const oks = [a, c].filter((r) => r.ok);
  const busy = [a, c].filter((r) => !r.ok);
  assert.equal(oks.length, 1, JSON.stringify([a, c]));
  assert.equal(busy.length, 1);
  assert.equal(busy[0].error.code, "BUSY");
  assert.match(busy[0].error.message, /still in progress/);
  assert.equal((await emu.control("state")).orders.length, before + 1, "charged once");
  assert.ok(oks[0].record.endsWith(":" + (await emu.control("state")).orders.at(-1).id), "the rental is the one bought");
});

test("a worker stopped while its rent is in flight: outcome unknown advice, adopted afterwards, never bought twice", async () => {
  const so = await accountOf("smsonline");
  const rents = async () => (await emu.control("state")).rents.length;
  const n0 = await rents();
  // the provider takes its time: the create is sent, its answer will not be read by this worker
  await emu.control("fail?provider=smsonline&method=getRentNumber&mode=after:timeout&ms=4000");
  const pending = popup.evaluate(
    (account) =>
      chrome.runtime.sendMessage({ type: "rent", account, kind: "rent", service: "wa", country: "0", duration: "4" }).then(
        (r) => ({ answered: r }),
        (e) => ({ lost: String(e?.message || e) }),
      ),
    so,
  );
  await until(async () => (await rents()) === n0 + 1, { what: "rent carried out by the provider" });
  await stopWorker(popup);
  const r = await pending;
  assert.ok(r.lost || (r.answered && !r.answered.ok), "the answer cannot have been a success: " + JSON.stringify(r));
  // the popup's own Rent button says the outcome is unknown when its message channel closes
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
  // the new worker read the journal: the interrupted purchase is reported, and settled by the next list
  const id = (await emu.control("state")).rents.at(-1).id;
  await until(
    async () => {
      const v = await viewOf(page);
      return Object.keys(await storedRecords(page)).some((k) => k.endsWith("/smsonline:" + id)) && v.banners.every((b) => b.code !== "SPEND_INTERRUPTED");
    },
    { what: "interrupted rent adopted from the list" },
  );
  assert.equal(await rents(), n0 + 1, "bought once");
  await page.close();
});

test("the popup says 'outcome unknown' when the worker dies during its purchase", async () => {
  const so = await accountOf("smsonline");
  await emu.control("fail?provider=smsonline&method=getRentNumber&mode=after:timeout&ms=4000");
  await popup.reload();
  await popup.click("#new-rental summary");
  await until(async () => (await popup.$$eval("#f-account option", (o) => o.length)) > 0, { what: "accounts" });
  await popup.selectOption("#f-account", so);
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.map((x) => x.value))).includes("tg"), { what: "services" });
  await popup.selectOption("#f-service", "tg");
  const n0 = (await emu.control("state")).rents.length;
  await popup.click("#rent");
  await popup.click("#confirm-yes");
  await until(async () => (await emu.control("state")).rents.length === n0 + 1, { what: "rent sent" });
  await stopWorker(popup);
  await until(async () => /Outcome unknown|could not be checked|not charged twice/i.test(await popup.textContent("#status")), {
    what: "outcome unknown advice",
  });
});

test("a stored state that cannot be read is kept aside and reported, never wiped", async () => {
  const w = await sw();
  const good = await storedRecords(w);
  assert.ok(Object.keys(good).length > 0);
  const broken = {
    "r:acc-x/smspva:1": '{"account":"acc-x","rental":{"id":', // truncated
    "r:acc-x/smspva:2": "[1,2,3]", // wrong shape
    "r:acc-x/smspva:3": 42, // not a string
    meta: "{not json",
  };
  await w.evaluate((x) => chrome.storage.local.set(x), broken);
  await stopWorker(popup);
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
  await until(async () => /could not be read/.test(await page.textContent("#banners")), { what: "banner about unreadable data" });
  const all = await (await sw()).evaluate(() => chrome.storage.local.get(null));
  for (const [k, v] of Object.entries(broken)) {
    const aside = Object.keys(all).find((x) => x.startsWith(`aside:${k}@`));
    assert.ok(aside, "kept aside: " + k);
    assert.equal(all[aside], typeof v === "string" ? v : JSON.stringify(v));
  }
  // the readable records are all still there, with their SMS
  const now = await storedRecords(page);
  for (const [k, r] of Object.entries(good)) assert.equal(now[k]?.sms.length, r.sms.length, "kept: " + k);
  await page.close();
});

test("a storage that refuses writes (quota) loses no SMS and says so; the next write catches up", async () => {
  const w = await sw();
  const so = await accountOf("smsonline");
  const r = await send({ type: "rent", account: so, kind: "rent", service: "ig", country: "0", duration: "4" });
  assert.equal(r.ok, true, JSON.stringify(r));
  const id = r.record.split(":").pop();
  await until(async () => (await storedRecords(w))[r.record], { what: "record stored" });
  // the quota is reached: every write fails from now on
  await w.evaluate(() => {
    self.__set = chrome.storage.local.set.bind(chrome.storage.local);
    chrome.storage.local.set = () => Promise.reject(new Error("QUOTA_BYTES quota exceeded"));
  });
  await emu.control(`sms?id=${id}&from=IG&text=${encodeURIComponent("Instagram code 551177")}`);
  await send({ type: "refresh" });
  const v = await viewOf(popup);
  assert.ok(
    v.banners.some((b) => b.code === "STORE_WRITE_FAILED" && /quota/i.test(b.message)),
    JSON.stringify(v.banners),
  );
  assert.ok(
    v.rentals.find((x) => x.key === r.record).sms.some((m) => m.code === "551177"),
    "the SMS is shown although it could not be saved",
  );
  assert.ok(!(await storedRecords(w))[r.record].sms.some((m) => m.code === "551177"));
  // storage works again: the next change writes what was pending, the banner goes
  await w.evaluate(() => (chrome.storage.local.set = self.__set));
  await emu.control(`sms?id=${id}&from=IG&text=${encodeURIComponent("Instagram code 662288")}`);
  await send({ type: "refresh" });
  await until(
    async () => {
      const rec = (await storedRecords(w))[r.record];
      return ["551177", "662288"].every((c) => rec.sms.some((m) => m.code === c));
    },
    { what: "both SMS stored" },
  );
  await until(async () => !(await viewOf(popup)).banners.some((b) => b.code === "STORE_WRITE_FAILED"), { what: "banner gone" });
});
