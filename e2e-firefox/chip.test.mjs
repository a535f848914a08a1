// The inline one-tap chip in Firefox (e2e/chip.test.mjs is the Chromium suite's): with every
// site allowed and auto-fill off, a fresh code for the rental bound to a tab shows "Fill code
// from <service>" by the code field, in a closed shadow root the page cannot look into; a page
// script's clicks reach only the host and fill nothing, the user's real click fills the code;
// an unbound tab gets none.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, startEmulator, startFixtures, tabIdOf, until, addAccount, BASE, SEL } from "./lib.mjs";

let emu, fx, b, s;
before(async () => {
  emu = await startEmulator();
  fx = await startFixtures();
  b = await launch({ hosts: ["<all_urls>"] });
  s = b.s;
});
after(async () => {
  await b?.stop();
  emu?.stop();
  fx?.stop();
});

const chipOn = () => s.eval(() => !!document.querySelector("otpdock-chip"));

test("with every site allowed: the chip appears on the bound tab only, is closed to page scripts, fills on a real click", async () => {
  assert.match(await addAccount(s, emu, "smsonline"), /Balance/);
  // auto-fill off and a rent, from an extension page
  const opts = await s.newTab(`${BASE}/options/options.html`);
  const set = await s.eval(() => browser.runtime.sendMessage({ type: "settings", settings: { autoFill: false } }));
  assert.equal(set.ok, true, JSON.stringify(set));
  const allSites = await s.eval(() => browser.permissions.contains({ origins: ["<all_urls>"] }));
  assert.equal(allSites, true, "the test copy has every site granted");
  const view = await s.eval(() => browser.runtime.sendMessage({ type: "view" }));
  const account = view.view.accounts[0].id;
  const r = await s.eval((a) => browser.runtime.sendMessage({ type: "rent", account: a, service: "tg", country: "0", duration: "24" }), account);
  assert.equal(r.ok, true, JSON.stringify(r));

  const site = await s.newTab(fx.url + "/signup.html");
  const other = await s.newTab(fx.url + "/signup.html?unbound");
  await s.switchTo(opts);
  const tabId = await tabIdOf(s, fx.url + "/signup.html");
  // the popup's Fill number binds the rental to the tab
  const popup = await s.newTab(`${BASE}/popup/popup.html?tab=${tabId}`);
  await s.click(SEL.popup.fillNumber);
  await until(async () => /Filled 1/.test((await s.text(SEL.popup.status)) || ""), { what: "number fill status" });
  await s.closeTab(popup);
  await s.switchTo(site);
  assert.match(await s.value("#phone"), /^\+7/);

  const id = (await emu.control("state")).rents.at(-1).id;
  await emu.control(`sms?id=${id}&from=Telegram&text=${encodeURIComponent("Telegram code: 51234. Do not give this code to anyone")}`);
  await until(chipOn, { timeout: 30000, what: "chip on the bound tab" });
  assert.equal(await s.value("#otp"), "", "auto-fill is off: nothing filled by itself");
  // the page sees a host element and nothing inside it
  const seen = await s.eval(() => {
    const h = document.querySelector("otpdock-chip");
    return { shadow: h.shadowRoot === null, text: h.textContent, html: document.documentElement.outerHTML.includes("51234") };
  });
  assert.deepEqual(seen, { shadow: true, text: "", html: false });
  // meanwhile the tab no rental is bound to has none
  await s.switchTo(other);
  await new Promise((res) => setTimeout(res, 1000));
  assert.equal(await chipOn(), false, "nothing on a tab no rental is bound to");
  await s.switchTo(site);
  // a page script's clicks (on the host, or a synthetic event where the chip is) reach the host
  // only, never the button inside the closed root: they fill nothing
  const box = await s.eval(() => {
    const h = document.querySelector("otpdock-chip");
    h.click();
    const r = h.getBoundingClientRect();
    document.elementFromPoint(r.left + 10, r.top + r.height / 2)?.dispatchEvent(new MouseEvent("click", { bubbles: true, composed: true }));
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  assert.ok(box.width > 40 && box.height > 10, JSON.stringify(box));
  await new Promise((res) => setTimeout(res, 1000));
  assert.equal(await s.value("#otp"), "", "a page's synthetic click fills nothing");
  assert.equal(await chipOn(), true);
  // the user's click on "Fill code from Telegram" fills the code and the chip goes
  await s.clickAt(box.left + 20, box.top + box.height / 2);
  await until(async () => (await s.value("#otp")) === "51234", { what: "filled by the chip" });
  await until(async () => !(await chipOn()), { what: "chip gone after filling" });
});
