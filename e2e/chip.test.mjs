// The inline one-tap chip: with every site allowed, a fresh code for the rental bound to
// a tab (auto-fill off) shows "Fill code from <service>" next to the code field, in a
// closed shadow root; a real click or Enter fills it through the Rust-authorised path;
// × and Escape dismiss it; a page script can neither read the code nor click it into
// filling. Nothing appears on an unbound tab, nor without the all-sites permission.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, launchWith, startEmulator, startFixtures, tabIdOf, until, addAccount, viewOf } from "./lib.mjs";

let emu, fx;
before(async () => {
  emu = await startEmulator();
  fx = await startFixtures();
});
after(() => {
  emu?.stop();
  fx?.stop();
});

// a browser with one SMS.online account, auto-fill off, a rental bound to a signup tab
async function setup(b) {
  assert.match(await addAccount(b, emu, "smsonline"), /Balance/);
  const opts = await b.context.newPage();
  await opts.goto(`chrome-extension://${b.id}/options/options.html`);
  const set = await opts.evaluate(() => chrome.runtime.sendMessage({ type: "settings", settings: { autoFill: false } }));
  assert.equal(set.ok, true);
  const account = (await viewOf(opts)).accounts[0].id;
  const r = await opts.evaluate((a) => chrome.runtime.sendMessage({ type: "rent", account: a, service: "tg", country: "0", duration: "24" }), account);
  assert.equal(r.ok, true, JSON.stringify(r));
  const site = await b.context.newPage();
  await site.goto(fx.url + "/signup.html");
  const other = await b.context.newPage();
  await other.goto(fx.url + "/signup.html?unbound");
  const tabId = await tabIdOf(b.sw, fx.url + "/signup.html");
  const popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=${tabId}`);
  await popup.click("#rentals li .fill-number");
  await until(async () => (await site.inputValue("#phone")).startsWith("+7"), { what: "number filled: the rental is bound to the tab" });
  await popup.close();
  // a code ends the fast wait for the next one: the test's next SMS are polled on request
  const poll = () => opts.evaluate(() => chrome.runtime.sendMessage({ type: "refresh" }));
  return { site, other, record: r.record, poll };
}

const sms = async (text) => {
  const id = (await emu.control("state")).rents.at(-1).id;
  await emu.control(`sms?id=${id}&from=Telegram&text=${encodeURIComponent(text)}`);
};
const chipOn = (page) => page.evaluate(() => !!document.querySelector("otpdock-chip"));
// the chip's host box, in viewport coordinates
const chipBox = (page) => page.evaluate(() => JSON.parse(JSON.stringify(document.querySelector("otpdock-chip").getBoundingClientRect())));

test("with every site allowed: the chip appears by the code field of the bound tab only, is closed to page scripts, fills on a real click", async () => {
  const b = await launchWith({ hosts: ["<all_urls>"] });
  try {
    const { site, other, poll } = await setup(b);
    await sms("Telegram code: 51234. Do not give this code to anyone");
    await until(() => chipOn(site), { timeout: 20000, what: "chip on the bound tab" });
    assert.equal(await site.inputValue("#otp"), "", "auto-fill is off: nothing filled by itself");
    assert.equal(await chipOn(other), false, "nothing on a tab no rental is bound to");
    // the page sees a host element and nothing inside it: no shadow root, no code, no words
    const seen = await site.evaluate(() => {
      const h = document.querySelector("otpdock-chip");
      return { shadow: h.shadowRoot, text: h.textContent, html: document.documentElement.outerHTML.includes("51234") };
    });
    assert.deepEqual(seen, { shadow: null, text: "", html: false });
    // near the field, not over it nor over the page's own controls
    const field = await site.evaluate(() => JSON.parse(JSON.stringify(document.getElementById("otp").getBoundingClientRect())));
    const chip = await chipBox(site);
    assert.ok(chip.width > 40 && chip.height > 10, JSON.stringify(chip));
    assert.ok(Math.abs(chip.left - field.left) < 400 && Math.abs(chip.top - field.top) < 120, "next to the field");
    const overlapsControl = await site.evaluate((c) => {
      for (const e of document.querySelectorAll("input,button,a,select,textarea")) {
        const r = e.getBoundingClientRect();
        if (r.width && c.left < r.right && r.left < c.right && c.top < r.bottom && r.top < c.bottom) return e.id || e.tagName;
      }
      return null;
    }, chip);
    assert.equal(overlapsControl, null);
    // a page script clicking it (the host, or a synthetic event at its place) fills nothing
    await site.evaluate(() => {
      const h = document.querySelector("otpdock-chip");
      h.click();
      const r = h.getBoundingClientRect();
      document.elementFromPoint(r.left + 10, r.top + r.height / 2)?.dispatchEvent(new MouseEvent("click", { bubbles: true, composed: true }));
    });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await site.inputValue("#otp"), "", "a page's synthetic click fills nothing");
    assert.equal(await chipOn(site), true);
    // the user's click on "Fill code from Telegram" fills it and the chip goes
    await site.mouse.click(chip.left + 20, chip.top + chip.height / 2);
    await until(async () => (await site.inputValue("#otp")) === "51234", { what: "filled by the chip" });
    await until(async () => !(await chipOn(site)), { what: "chip gone after filling" });

    // the next code: the keyboard reaches the chip (Tab) and Escape dismisses it
    await site.fill("#otp", "");
    await sms("Telegram code: 60606. Do not give this code to anyone");
    await poll();
    await until(() => chipOn(site), { timeout: 20000, what: "chip for the next code" });
    await site.focus("#otp");
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await site.keyboard.press("Tab");
      reached = await site.evaluate(() => document.activeElement?.tagName === "OTPDOCK-CHIP");
    }
    assert.ok(reached, "Tab reaches the chip");
    await site.keyboard.press("Escape");
    await until(async () => !(await chipOn(site)), { what: "Escape dismisses" });
    assert.equal(await site.inputValue("#otp"), "");

    // and × dismisses too; Enter on the fill button fills
    await sms("Telegram code: 70707. Do not give this code to anyone");
    await poll();
    await until(() => chipOn(site), { timeout: 20000, what: "chip for a third code" });
    const c3 = await chipBox(site);
    await site.mouse.click(c3.right - 12, c3.top + c3.height / 2);
    await until(async () => !(await chipOn(site)), { what: "× dismisses" });
    assert.equal(await site.inputValue("#otp"), "");
    await sms("Telegram code: 80808. Do not give this code to anyone");
    await poll();
    await until(() => chipOn(site), { timeout: 20000, what: "chip for a fourth code" });
    await site.focus("#otp");
    reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await site.keyboard.press("Tab");
      reached = await site.evaluate(() => document.activeElement?.tagName === "OTPDOCK-CHIP");
    }
    assert.ok(reached, "Tab reaches the chip again");
    await site.keyboard.press("Enter");
    await until(async () => (await site.inputValue("#otp")) === "80808", { what: "filled by Enter on the chip" });
    assert.equal(await chipOn(other), false);
  } finally {
    await b.context.close();
  }
});

test("without the all-sites permission no chip is injected; the code waits in the popup", async () => {
  const b = await launch();
  try {
    const { site, record } = await setup(b);
    await sms("Telegram code: 42424. Do not give this code to anyone");
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
    await until(async () => (await viewOf(popup)).rentals.find((r) => r.key === record)?.sms[0]?.code === "42424", { timeout: 20000, what: "code received" });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await chipOn(site), false);
    assert.equal(await site.inputValue("#otp"), "");
    const li = `#rentals li[data-record="${record}"]`;
    await popup.waitForSelector(`${li} mark.code`);
    assert.equal(await popup.textContent(`${li} mark.code`), "42424");
  } finally {
    await b.context.close();
  }
});
