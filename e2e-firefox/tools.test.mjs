// Firefox: the rent confirmation says the price with its currency and Close spends
// nothing; the popup's filter box; the export built by the background (CSV quoting, no key).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, startEmulator, until, addAccount, rentViaPopup, BASE, SEL } from "./lib.mjs";

let emu, b, s;
before(async () => {
  emu = await startEmulator();
  b = await launch();
  s = b.s;
});
after(async () => {
  await b?.stop();
  emu?.stop();
});

const P = SEL.popup;

test("the rent confirmation shows the price with its currency; Close spends nothing", async () => {
  assert.match(await addAccount(s, emu, "smsonline"), /Balance: 1000\.00/);
  const h = await s.newTab(`${BASE}/popup/popup.html`);
  await s.click(P.newRental);
  await s.select(P.service, "tg");
  await until(async () => /Price: 50\.00 USD/.test((await s.text(P.quote)) || ""), { what: "price in the form" });
  await s.click(P.rent);
  await until(async () => /^Rent Telegram in .+ for 50\.00 USD\?$/.test((await s.text("#confirm-text")) || ""), { what: "price in the confirmation" });
  await s.click('#confirm button[value="no"]');
  await until(async () => !(await s.eval(() => document.getElementById("confirm").open)), { what: "closed" });
  assert.ok(!(await emu.control("log")).includes("smsonline:getRentNumber"), "nothing bought");
  assert.equal((await emu.control("state")).balances["test-key"], 1000);
  await s.closeTab(h);
});

test("the filter box and the export", async () => {
  const number = await rentViaPopup(s, "tg");
  const id = (await emu.control("state")).rents[0].id;
  await emu.control(`sms?id=${id}&from=Telegram&text=${encodeURIComponent('Code 31337, "quoted"\nnext line')}`);
  const h = await s.newTab(`${BASE}/popup/popup.html`);
  await s.click(P.refresh);
  await s.waitFor(P.code);
  await s.fill("#filter", "zzz nothing");
  await until(async () => (await s.text("#filter-count")) === "No rental matches", { what: "no match" });
  await s.fill("#filter", number.slice(0, 5) + " " + number.slice(5));
  await until(async () => (await s.text("#filter-count")) === "1 of 1 shown", { what: "the number with a space" });
  await s.closeTab(h);
  const o = await s.newTab(`${BASE}/options/options.html`);
  const csv = await s.eval(async () => (await browser.runtime.sendMessage({ type: "export", format: "csv" })).text);
  await s.closeTab(o);
  assert.ok(csv.includes(`"Code 31337, ""quoted""\nnext line"\r\n`), csv);
  assert.ok(csv.includes(number.slice(1)));
  assert.ok(!csv.includes("test-key"));
});
