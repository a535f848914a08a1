// Every awaited code arrives fast: time from the provider receiving an SMS to the code
// filled into the bound page, for a rental's first code and for later ones (a rental
// that already received a code and is bound to a tab again). Prints p50/p95; the bar is
// p95 ≤ 2 × the fast interval (3 s).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { withBothAccounts, startFixtures, tabIdOf, until, viewOf } from "./lib.mjs";

const FAST_S = 3;
let emu, b, fx, ctl;
before(async () => {
  fx = await startFixtures();
  // a second, slow account must not slow this one down
  ({ emu, b, popup: ctl } = await withBothAccounts(["smsonline", "smspva"]));
});
after(async () => {
  await b?.context.close();
  emu?.stop();
  fx?.stop();
});

const send = (m) => ctl.evaluate((m) => chrome.runtime.sendMessage(m), m);
const pct = (xs, p) => [...xs].sort((a, c) => a - c)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

test("p95 time-to-code for first and later codes ≤ 2 × the fast interval", async () => {
  const account = (await viewOf(ctl)).accounts.find((a) => a.provider === "smsonline").id;
  const first = [];
  const later = [];
  for (let i = 0; i < 4; i++) {
    const r = await send({ type: "rent", account, kind: "rent", service: "tg", country: "0", duration: "4" });
    assert.equal(r.ok, true, JSON.stringify(r));
    const id = r.record.split(":").pop();
    const number = (await viewOf(ctl)).rentals.find((x) => x.key === r.record).number;
    for (let j = 0; j < 3; j++) {
      const page = await b.context.newPage();
      const url = `${fx.url}/signup.html#r${i}c${j}`;
      await page.goto(url);
      const tabId = await tabIdOf(b.sw, url);
      // the user fills the number again for the next code: the rental is awaited whatever its state
      const f = await send({ type: "fill-phone", tabId, phone: "+" + number, record: r.record });
      assert.equal(f.ok, true, JSON.stringify(f));
      // a random moment inside the polling interval
      await new Promise((res) => setTimeout(res, Math.random() * FAST_S * 1000));
      const code = String(100000 + i * 10 + j);
      const t0 = Date.now();
      await emu.control(`sms?id=${id}&from=Telegram&text=${encodeURIComponent(`Telegram code: ${code}`)}`);
      await until(async () => (await page.inputValue("#otp")) === code, { timeout: 20000, every: 50, what: "code " + code + " filled" });
      (j === 0 ? first : later).push((Date.now() - t0) / 1000);
      await page.close();
    }
  }
  const fmt = (xs) => `p50 ${pct(xs, 50).toFixed(2)} s, p95 ${pct(xs, 95).toFixed(2)} s (n=${xs.length})`;
  console.log(`time-to-code: first codes ${fmt(first)}; later codes ${fmt(later)}; bar ${2 * FAST_S} s`);
  assert.ok(pct(first, 95) <= 2 * FAST_S, "first codes: " + fmt(first));
  assert.ok(pct(later, 95) <= 2 * FAST_S, "later codes: " + fmt(later));
});
