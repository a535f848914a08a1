// The providers as they really answer, end to end, in both emulator dialects (the
// published pages and the live shapes): an SMSPVA rental receiving SmsList + OtherSms
// shows both and auto-fills only its own code; an SMS.online prolong whose answer is
// lost is proven by the balance and never charged twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { withBothAccounts, startFixtures, tabIdOf, until, viewOf } from "./lib.mjs";

let emu, b, fx, ctl;
before(async () => {
  fx = await startFixtures();
  ({ emu, b, popup: ctl } = await withBothAccounts());
});
after(async () => {
  await b?.context.close();
  emu?.stop();
  fx?.stop();
});

const send = (m) => ctl.evaluate((m) => chrome.runtime.sendMessage(m), m);
const accountOf = async (provider) => (await viewOf(ctl)).accounts.find((a) => a.provider === provider).id;
const balance = async () => (await emu.control("state")).balances["test-key"];

for (const dialect of ["documented", "live"]) {
  test(`${dialect}: SMSPVA SmsList + OtherSms are both shown; only the rental's own code is filled`, async () => {
    assert.equal((await emu.control(`dialect?set=${dialect}`)).dialect, dialect);
    const r = await send({ type: "rent", account: await accountOf("smspva"), service: "opt16", country: "RU", duration: "week:1" });
    assert.equal(r.ok, true, JSON.stringify(r));
    const id = r.record.split(":").pop();
    await send({ type: "intent", record: r.record, intent: "activate" });
    await emu.control("time?advance=10");
    // bind the rental to a signup page by filling its number there
    const site = await b.context.newPage();
    await site.goto(fx.url + "/signup.html#" + dialect);
    const tabId = await tabIdOf(b.sw, fx.url + "/signup.html#" + dialect);
    const number = (await viewOf(ctl)).rentals.find((x) => x.key === r.record).number;
    const filled = await send({ type: "fill-phone", tabId, phone: "+" + number, record: r.record });
    assert.equal(filled.ok, true, JSON.stringify(filled));
    // a message for another service on the same number comes first: shown, never filled
    await emu.control(`sms?provider=smspva&id=${id}&other=1&from=WhatsApp&text=${encodeURIComponent("WhatsApp code 731-904, do not share")}`);
    await send({ type: "refresh" });
    const popup = await b.context.newPage();
    await popup.goto(`chrome-extension://${b.id}/popup/popup.html?tab=${tabId}`);
    const li = `#rentals li[data-record="${r.record}"]`;
    if (dialect === "live") {
      await until(async () => /731-904/.test((await popup.textContent(`${li} section.other-sms`).catch(() => "")) || ""), {
        what: "OtherSms shown under its own heading",
      });
      assert.equal(
        await popup.$$eval(`${li} section.other-sms mark.code, ${li} section.other-sms button.fill-code`, (x) => x.length),
        0,
        "no code or Fill for another service's SMS",
      );
    }
    await new Promise((res) => setTimeout(res, 1500));
    assert.equal(await site.inputValue("#otp"), "", "another service's code is never filled");
    // the rental's own SMS: shown with its code and auto-filled
    await emu.control(`sms?provider=smspva&id=${id}&from=Instagram&text=${encodeURIComponent("Instagram code: 558 214")}`);
    await send({ type: "refresh" });
    await until(async () => (await site.inputValue("#otp")) === "558214", { what: "own code auto-filled" });
    await until(async () => (await popup.textContent(`${li} mark.code`).catch(() => "")) === "558214", { what: "own code shown" });
    const v = (await viewOf(ctl)).rentals.find((x) => x.key === r.record);
    assert.ok(v.sms.some((m) => m.code === "558214"));
    if (dialect === "live") assert.ok(v.other.length === 1 && v.other[0].code === null);
    await popup.close();
    await site.close();
  });

  test(`${dialect}: an SMS.online prolong whose answer is lost is proven by the balance, charged once`, async () => {
    await emu.control(`dialect?set=${dialect}`);
    const r = await send({ type: "rent", account: await accountOf("smsonline"), kind: "rent", service: "tg", country: "0", duration: "4" });
    assert.equal(r.ok, true, JSON.stringify(r));
    const quote = await send({ type: "quote", record: r.record, option: "4" });
    assert.equal(quote.ok, true, JSON.stringify(quote));
    assert.ok(quote.price > 0 && quote.currency === "USD", JSON.stringify(quote));
    const b0 = await balance();
    const calls = async () => (await emu.control("log")).filter((l) => l === "smsonline:continueRentNumber").length;
    const c0 = await calls();
    await emu.control("fail?provider=smsonline&method=continueRentNumber&mode=after:timeout");
    const p = await send({ type: "intent", record: r.record, intent: "prolong", option: "4" });
    assert.equal(p.ok, true, JSON.stringify(p));
    assert.equal(p.reconciled, true);
    assert.equal(await calls(), c0 + 1, "sent once, never retried");
    assert.equal(await balance(), b0 - quote.price, "charged exactly once, by the quoted price");
  });
}
