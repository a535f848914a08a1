// Accessibility: axe-core (pinned in package.json) finds no violation in the popup
// (rentals, SMS with a code, a banner, the rent form open, the confirmation) and the
// options page, in the light and the dark color scheme. Keyboard: the popup can be
// driven with Tab / Shift+Tab / Enter / Space / Escape only, with a visible focus.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, startEmulator, startFixtures, tabIdOf, until, addAccount, ROOT } from "./lib.mjs";

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
