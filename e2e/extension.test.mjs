// End to end: the built extension in Chromium against the provider emulator.
// rent → SMS arrives → badge + notification → code shown → fill.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, startEmulator, startFixtures, tabIdOf, until, ROOT, addAccount as addAccountVia } from "./lib.mjs";

let emu, fx, b;
before(async () => {
  emu = await startEmulator();
  fx = await startFixtures();
  b = await launch();
});
after(async () => {
  await b?.context.close();
  emu?.stop();
  fx?.stop();
});

const addAccount = (provider) => addAccountVia(b, emu, provider);

const badge = () => b.sw.evaluate(() => chrome.action.getBadgeText({}));
const notifications = () => b.sw.evaluate(() => new Promise((r) => chrome.notifications.getAll(r)));
const send = (page, msg) => page.evaluate((m) => chrome.runtime.sendMessage(m), msg);

test("options validate keys with a live call and never show them back", async () => {
  assert.match(await addAccount("smsonline"), /Balance: 1000\.00/);
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/options/options.html`);
  await page.fill("#a-key", "wrong-key");
  await page.fill("#a-base", emu.url + "/stubs/handler_api.php");
  await page.click("#a-save");
  await until(async () => /rejected/.test(await page.textContent("#a-status")), { what: "BAD_KEY message" });
  const list = await page.textContent("#accounts");
  assert.match(list, /SMS\.online …-key/);
  assert.doesNotMatch(list, /test-key/);
  await page.close();
});

test("rent → fill number → SMS → badge + notification → code shown → fill", async () => {
  const site = await b.context.newPage();
  await site.goto(fx.url + "/signup.html");
  const tabId = await tabIdOf(b.sw, fx.url);
  assert.ok(tabId);

  const popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=${tabId}`);
  await popup.waitForSelector("#empty:not([hidden])");
  // new rental
  await popup.click("#new-rental summary");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.length)) > 0, { what: "offers" });
  await popup.selectOption("#f-service", "tg");
  assert.match(await popup.textContent("#quote"), /Available: 25/);
  await popup.click("#rent");
  await popup.click("#confirm-yes");
  const li = await popup.waitForSelector("#rentals li");
  const number = (await li.$eval(".number", (e) => e.textContent)).trim();
  assert.match(number, /^\+7909\d{7}$/);
  const state = await emu.control("state");
  assert.equal(state.rents.length, 1);
  assert.equal(state.balances["test-key"], 950);

  // fill the number into the signup page (binds the rental to that tab)
  await popup.click("#rentals li .fill-number");
  await until(async () => (await site.inputValue("#phone")) === number, { what: "phone filled" });
  assert.equal(await site.inputValue("#email"), "");

  // the SMS arrives at the provider
  await emu.control(`sms?id=${state.rents[0].id}&from=Telegram&text=${encodeURIComponent("Telegram code: 48213. Do not give this code to anyone")}`);
  await until(async () => (await badge()) === "1", { timeout: 15000, what: "badge 1" });
  const notes = await notifications();
  assert.equal(Object.keys(notes).length, 1);
  // auto-fill into the bound tab
  await until(async () => (await site.inputValue("#otp")) === "48213", { what: "auto-filled code" });
  assert.ok((await site.evaluate(() => window.events)).includes("otp:48213"));

  // the popup shows the code; Fill puts it in again after the user cleared it
  await popup.waitForSelector("mark.code");
  assert.equal(await popup.textContent("mark.code"), "48213");
  await site.fill("#otp", "");
  await popup.click("button.fill-code");
  await until(async () => (await site.inputValue("#otp")) === "48213", { what: "manual fill" });
  await until(async () => /Filled 1/.test(await popup.textContent("#status")), { what: "fill status" });

  // screenshot (OTPDOCK_UPDATE_SCREENSHOT=1 refreshes the README's docs/popup.png)
  await popup.setViewportSize({ width: 400, height: 560 });
  const shot = process.env.OTPDOCK_UPDATE_SCREENSHOT ? join(ROOT, "docs/popup.png") : join(ROOT, "target/e2e/popup.png");
  mkdirSync(join(shot, ".."), { recursive: true });
  await popup.screenshot({ path: shot });
  await popup.close();
  await site.close();
});

test("fill-code / fill-phone message contract", async () => {
  const site = await b.context.newPage();
  await site.goto(fx.url + "/signup.html");
  const tabId = await tabIdOf(b.sw, fx.url);
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/options/options.html`);
  assert.deepEqual(await send(page, { type: "fill-code", tabId, code: "654321" }), { ok: true, filled: 1 });
  assert.equal(await site.inputValue("#otp"), "654321");
  const phone = await send(page, { type: "fill-phone", tabId, phone: "+79096037108" });
  assert.deepEqual(phone, { ok: true, filled: 1 });
  assert.equal(await site.inputValue("#phone"), "+79096037108");
  const gone = await send(page, { type: "fill-code", tabId: 987654, code: "1" });
  assert.deepEqual(Object.keys(gone).sort(), ["error", "ok"]);
  assert.deepEqual(Object.keys(gone.error).sort(), ["code", "message"]);
  assert.equal(gone.ok, false);
  assert.equal(gone.error.code, "NO_TAB");
  const bad = await send(page, { type: "fill-code", tabId, code: "" });
  assert.deepEqual(bad.ok, false);
  assert.equal(bad.error.code, "BAD_REQUEST");
  await page.close();
  await site.close();
});

test("a domain-bound code (@host #code) is filled only on its own site", async () => {
  const site = await b.context.newPage();
  await site.goto(fx.url + "/signup.html");
  const tabId = await tabIdOf(b.sw, fx.url);
  const state = await emu.control("state");
  const id = state.rents[0].id;
  await emu.control(`sms?id=${id}&from=Shop&text=${encodeURIComponent("Your code is 771122\n\n@shop.example #771122")}`);
  const popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=${tabId}`);
  await popup.click("#refresh");
  // a locator re-resolves if the list re-renders while a poll lands
  await popup.locator('li .sms:has(mark:text("771122")) button.fill-code').click({ timeout: 15000 });
  await until(async () => /only; open that site|sent for shop\.example/.test(await popup.textContent("#status")), { what: "host mismatch message" });
  assert.equal(await site.inputValue("#otp"), "");
  await popup.close();
  await site.close();
});
