// Accessibility: axe-core (pinned in package.json) finds no violation in the popup
// (rentals, SMS with a code, a banner, the rent form open, the confirmation) and the
// options page, in the light and the dark color scheme. Keyboard: the popup can be
// driven with Tab / Shift+Tab / Enter / Space / Escape only, with a visible focus.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, startEmulator, startFixtures, tabIdOf, until, addAccount, viewOf, ROOT } from "./lib.mjs";

const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

let emu, fx, b, popup, site, tabId;
before(async () => {
  emu = await startEmulator();
  fx = await startFixtures();
  b = await launch();
  assert.match(await addAccount(b, emu, "smsonline"), /Balance/);
  assert.match(await addAccount(b, emu, "smspva"), /Key works/);
  site = await b.context.newPage();
  await site.goto(fx.url + "/signup.html");
  tabId = await tabIdOf(b.sw, fx.url);
  popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=${tabId}`);
  // a rental with an SMS and a code, bought through the form
  await popup.click("#new-rental summary");
  await until(async () => (await popup.$$eval("#f-account option", (o) => o.length)) === 2, { what: "accounts" });
  const so = (await viewOf(popup)).accounts.find((a) => a.provider === "smsonline").id;
  await popup.selectOption("#f-account", so);
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.map((x) => x.value))).includes("tg"), { what: "offers" });
  await popup.selectOption("#f-service", "tg");
  await popup.click("#rent");
  await popup.click("#confirm-yes");
  const st = await until(async () => (await emu.control("state")).rents[0] && (await emu.control("state")), { what: "rent" });
  await emu.control(`sms?id=${st.rents[0].id}&from=Telegram&text=${encodeURIComponent("Telegram code: 48213, do not share")}`);
  await popup.click("#refresh");
  await popup.waitForSelector("mark.code", { timeout: 30000 });
});
after(async () => {
  await b?.context.close();
  emu?.stop();
  fx?.stop();
});

// axe's violations on the page as it is now, as readable lines
async function violations(page) {
  // evaluated through the debugging protocol: the extension page's CSP does not apply
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ") + " " + (n.failureSummary || "")).join(" | ")}`);
}

for (const scheme of ["light", "dark"]) {
  test(`popup (${scheme}): no axe violation with rentals, a code, a banner, the rent form and the confirmation`, async () => {
    await popup.emulateMedia({ colorScheme: scheme });
    // a banner: the SMSPVA account's list fails
    await emu.control("fail?provider=smspva&method=orders&mode=status:500&count=1000");
    await popup.click("#refresh");
    await popup.waitForSelector("#banners .banner", { timeout: 30000 });
    await popup.evaluate(() => {
      document.getElementById("new-rental").open = true;
      document.getElementById("archive").open = true;
    });
    await until(async () => (await popup.$$eval("#f-service option", (o) => o.length)) > 0, { what: "form loaded" });
    assert.deepEqual(await violations(popup), []);
    // the confirmation dialog open
    await popup.click("#rent");
    await until(() => popup.$eval("#confirm", (d) => d.open), { what: "confirmation" });
    assert.deepEqual(await violations(popup), []);
    await popup.keyboard.press("Escape");
    await emu.control("fail?provider=smspva&method=orders&mode=status:500&count=0");
  });

  test(`options page (${scheme}): no axe violation`, async () => {
    const page = await b.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`chrome-extension://${b.id}/options/options.html`);
    await page.waitForSelector("#accounts li");
    assert.deepEqual(await violations(page), []);
    await page.close();
  });
}

// presses Tab (or Shift+Tab) until the focused element matches `sel`; keyboard only
async function tabTo(page, sel, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s), sel)) {
      // the focus can be seen
      const ring = await page.evaluate(() => {
        const a = document.activeElement;
        const cs = getComputedStyle(a);
        return a.matches(":focus-visible") && cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1;
      });
      assert.ok(ring, `focus ring on ${sel}`);
      return;
    }
  }
  throw new Error(`Tab never reached ${sel}`);
}
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName);
const dialogOpen = (page) => page.$eval("#confirm", (d) => d.open);

test("the popup works with the keyboard only: filter, fill code, finish with its confirmation, the rent form", async () => {
  await popup.emulateMedia({ colorScheme: "light" });
  await popup.reload();
  await popup.waitForSelector("mark.code");
  await popup.evaluate(() => document.activeElement?.blur());
  const st0 = await emu.control("state");
  const id = st0.rents[0].id;

  // the filter: type, then Escape clears it
  await tabTo(popup, "#filter");
  await popup.keyboard.type("no such rental");
  await until(async () => (await popup.textContent("#filter-count")) === "No rental matches", { what: "filtered" });
  await popup.keyboard.press("Escape");
  assert.equal(await popup.inputValue("#filter"), "");
  await until(async () => (await popup.$$eval("#rentals li:not([hidden])", (l) => l.length)) === 1, { what: "shown again" });

  // fill the code into the page
  await site.fill("#otp", "");
  await tabTo(popup, "button.fill-code");
  await popup.keyboard.press("Enter");
  await until(async () => (await site.inputValue("#otp")) === "48213", { what: "code filled by Enter" });

  // finish: Escape closes its confirmation (nothing sent), then Space opens it again, Tab to Confirm, Enter
  await tabTo(popup, "button.finish");
  await popup.keyboard.press("Space");
  await until(() => dialogOpen(popup), { what: "confirmation" });
  await popup.keyboard.press("Escape");
  await until(async () => !(await dialogOpen(popup)), { what: "closed by Escape" });
  assert.ok(!(await emu.control("log")).includes("smsonline:setRentStatus"), "Escape sent nothing");
  await tabTo(popup, "button.finish", { back: true, max: 5 }).catch(() => tabTo(popup, "button.finish"));
  await popup.keyboard.press("Space");
  await until(() => dialogOpen(popup), { what: "confirmation again" });
  await tabTo(popup, "#confirm-yes", { max: 3 });
  await popup.keyboard.press("Enter");
  await until(async () => (await emu.control("log")).includes("smsonline:setRentStatus"), { what: "finished" });
  await until(async () => (await emu.control("state")).rents.find((r) => r.id === id).state !== "Active", { what: "rent finished" });

  // the rent form: open it, choose a service with the arrow keys, rent, confirm
  await popup.reload();
  await popup.waitForSelector("#rentals li");
  await popup.evaluate(() => document.activeElement?.blur());
  await tabTo(popup, "#new-rental summary");
  await popup.keyboard.press("Enter");
  await until(async () => (await popup.$$eval("#f-service option", (o) => o.length)) > 1, { what: "form loaded" });
  await tabTo(popup, "#f-service");
  const first = await popup.inputValue("#f-service");
  await popup.keyboard.press("ArrowDown");
  const chosen = await popup.inputValue("#f-service");
  assert.notEqual(chosen, first, "the arrow key chose another service");
  await tabTo(popup, "#rent");
  await popup.keyboard.press("Enter");
  await until(() => dialogOpen(popup), { what: "rent confirmation" });
  assert.match(await popup.textContent("#confirm-text"), /for \d+\.\d\d USD\?/);
  await tabTo(popup, "#confirm-yes", { max: 3 });
  await popup.keyboard.press("Enter");
  await until(async () => (await emu.control("state")).rents.length === 2, { what: `rented by keyboard (focus: ${await focused(popup)})` });
  assert.equal((await emu.control("state")).rents[1].service, chosen);
});
