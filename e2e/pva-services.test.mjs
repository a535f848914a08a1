// SMSPVA "add service": the popup offers, on an open rental, the services of its country
// (fetched once in the background, by name), and adding one reaches the provider for that
// order and number.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, startEmulator, until, addAccount, viewOf } from "./lib.mjs";

let emu, b;
before(async () => {
  emu = await startEmulator();
  b = await launch();
});
after(async () => {
  await b?.context.close();
  emu?.stop();
});

test("an SMSPVA rental offers its country's services to add, by name, and adds the one chosen", async () => {
  assert.match(await addAccount(b, emu, "smspva"), /Key works|orders/i);
  const popup = await b.context.newPage();
  await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=0`);
  const account = (await viewOf(popup)).accounts.find((a) => a.provider === "smspva").id;
  const r = await popup.evaluate((a) => chrome.runtime.sendMessage({ type: "rent", account: a, service: "opt16", country: "RU", duration: "week:1" }), account);
  assert.equal(r.ok, true, JSON.stringify(r));
  const order = (await emu.control("state")).orders.at(-1);
  const li = `#rentals li[data-record$="smspva:${order.id}"]`;
  // without opening the rent form: the list comes with the next poll of the orders
  await popup.click("#refresh");
  const sel = `${li} select[data-intent="add-service"]`;
  // the refresh's view, made after its poll (and the service list it asked), is the one shown
  await popup.waitForSelector(sel, { timeout: 30000 });
  const options = await popup.$$eval(`${sel} option`, (o) => o.map((x) => [x.value, x.textContent]));
  assert.ok(
    options.some(([v, t]) => v === "opt6" && t === "Facebook"),
    JSON.stringify(options),
  );
  assert.equal((await emu.control("log")).filter((l) => l === "smspva:getdata").length, 1, "asked once");
  await popup.selectOption(sel, "opt6");
  await popup.click(`${li} button.add-service`);
  await until(async () => (await emu.control("state")).orders.find((o) => o.id === order.id)?.extra_services.includes("opt6"), {
    what: "service added at the provider",
  });
});
