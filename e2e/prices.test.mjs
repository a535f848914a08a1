// Every confirmation before a spend says the price with its currency, and cancelling
// it spends nothing: rent and activation (SMS.online), rent (SMSPVA), prolong (both
// providers), restore from the archive. The emulator's request log proves nothing was
// asked of the spending methods, and the balance did not move.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { withBothAccounts, until, viewOf } from "./lib.mjs";

let emu, b, popup;
before(async () => {
  ({ emu, b, popup } = await withBothAccounts());
});
after(async () => {
  await b?.context.close();
  emu?.stop();
});

const SPENDS = ["smsonline:getRentNumber", "smsonline:getNumber", "smsonline:continueRentNumber", "smspva:create", "smspva:prolong", "smspva:restore_user"];
const balance = async () => (await emu.control("state")).balances["test-key"];
const spent = async () => (await emu.control("log")).filter((l) => SPENDS.includes(l));
const accountOf = async (provider) => (await viewOf(popup)).accounts.find((a) => a.provider === provider).id;
const services = () => popup.$$eval("#f-service option", (o) => o.map((x) => x.value));
const confirmText = () => popup.textContent("#confirm-text");
const dialogOpen = () => popup.$eval("#confirm", (d) => d.open);

async function openForm(provider) {
  await popup.reload();
  await popup.click("#new-rental summary");
  await until(async () => (await popup.$$eval("#f-account option", (o) => o.length)) > 0, { what: "accounts in the form" });
  await popup.selectOption("#f-account", await accountOf(provider));
}

// the confirmation is open with `re` in it; Close answers no
async function declines(re) {
  await until(dialogOpen, { what: "confirmation" });
  const text = await confirmText();
  assert.match(text, re);
  await popup.click('#confirm button[value="no"]');
  await until(async () => !(await dialogOpen()), { what: "closed" });
  return text;
}

test("rent and activation (SMS.online), rent (SMSPVA): the confirmation says the price; Close spends nothing", async () => {
  const before = await balance();
  await openForm("smsonline");
  await until(async () => (await services()).includes("tg"), { what: "rent offers" });
  await popup.selectOption("#f-duration", "24");
  await until(async () => (await services()).includes("tg"), { what: "24 h offers" });
  await popup.selectOption("#f-service", "tg");
  await until(async () => /Price: 50\.00 USD/.test(await popup.textContent("#quote")), { what: "24 h price" });
  await popup.click("#rent");
  await declines(/^Rent Telegram in .+ for 50\.00 USD\?$/);

  await popup.selectOption("#f-kind", "activation");
  await until(async () => (await services()).includes("wa") && /12\.00 USD/.test(await popup.textContent("#f-service")), { what: "activation prices" });
  await popup.selectOption("#f-service", "wa");
  await popup.click("#rent");
  await declines(/^Rent WhatsApp in .+ for 12\.00 USD\?$/);

  await openForm("smspva");
  await until(async () => (await services()).includes("opt16"), { what: "SMSPVA services" });
  await popup.selectOption("#f-service", "opt16");
  await popup.click("#rent");
  await declines(/for 35\.00 USD\?$/);

  assert.deepEqual(await spent(), [], "no spending call was sent");
  assert.equal(await balance(), before);
});

test("prolong (both providers) and restore: the price is asked first and shown; Close spends nothing", async () => {
  // one rental of each provider, bought for real (confirmed)
  await openForm("smsonline");
  await until(async () => (await services()).includes("tg"), { what: "rent offers" });
  await popup.selectOption("#f-service", "tg");
  await popup.click("#rent");
  await until(dialogOpen, { what: "confirmation" });
  await popup.click("#confirm-yes");
  await until(async () => (await emu.control("state")).rents.length === 1, { what: "SMS.online rent" });
  await openForm("smspva");
  await until(async () => (await services()).includes("opt16"), { what: "SMSPVA services" });
  await popup.selectOption("#f-service", "opt16");
  await popup.click("#rent");
  await until(dialogOpen, { what: "confirmation" });
  await popup.click("#confirm-yes");
  await until(async () => (await emu.control("state")).orders.length === 1, { what: "SMSPVA order" });
  // an SMSPVA week has fewer than 7 days left once it started
  await emu.control("time?advance=3600");
  await popup.click("#refresh");
  const st = await emu.control("state");
  const so = `#rentals li[data-record$="smsonline:${st.rents[0].id}"]`;
  const pva = `#rentals li[data-record$="smspva:${st.orders[0].id}"]`;
  await popup.waitForSelector(`${pva} select[data-intent="prolong"]`, { timeout: 30000 });
  const before = await balance();
  const log0 = (await spent()).length;

  await popup.selectOption(`${so} select[data-intent="prolong"]`, "24");
  await popup.click(`${so} button.prolong`);
  await declines(/^Prolong \+\d+\?\n24 h · Price: 50\.00 USD$/);
  assert.ok((await emu.control("log")).includes("smsonline:getContinueRentPrice"), "the price was asked");

  await popup.selectOption(`${pva} select[data-intent="prolong"]`, "week:2");
  await popup.click(`${pva} button.prolong`);
  await declines(/^Prolong \+\d+\?\n2 weeks · Price: 70\.00 USD \(by the current price list\)$/);

  // delete it (free) and restore it from the archive: the restore quote says its price
  await popup.click(`${pva} button.delete`);
  await until(dialogOpen, { what: "delete confirmation" });
  await popup.click("#confirm-yes");
  await until(async () => (await emu.control("state")).archive.length === 1, { what: "archived" });
  await popup.click("#archive summary");
  await popup.waitForSelector("#archive-list button.restore", { timeout: 30000 });
  await popup.click("#archive-list button.restore");
  await declines(/^Restore \+7909\d+ for 150\.00 USD\? \(0 days overdue\)$/);

  assert.equal((await spent()).length, log0, "no spending call was sent");
  assert.equal(await balance(), before);
});
