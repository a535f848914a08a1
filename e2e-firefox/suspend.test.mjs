// Firefox runs an MV3 background as an event page and stops it when it has been idle
// (30 s by default; 3 s here). Timers die with it, so an SMS that arrives while it is
// stopped must still be found: the alarm wakes the background, which polls and badges.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, startEmulator, until, addAccount, rentViaPopup, backgroundState, badgeText } from "./lib.mjs";

let emu, b, s, home;
before(async () => {
  emu = await startEmulator();
  b = await launch({ prefs: { "extensions.background.idle.timeout": 3000 } });
  s = b.s;
  home = (await s.cmd("GET", "/window/handles"))[0];
});
after(async () => {
  await b?.stop();
  emu?.stop();
});

test("an SMS that arrives while Firefox has stopped the background is badged after the alarm wakes it", async () => {
  assert.match(await addAccount(s, emu, "smsonline"), /Balance: 1000\.00/);
  const number = await rentViaPopup(s);
  assert.match(number, /^\+7909\d{7}$/);
  await s.switchTo(home);
  await until(async () => (await backgroundState(s)) === "stopped", { timeout: 20000, what: "background stopped" });
  assert.equal(await badgeText(s), "");
  const [rent] = (await emu.control("state")).rents;
  await emu.control(`sms?id=${rent.id}&from=Telegram&text=${encodeURIComponent("Telegram code: 31415")}`);
  const t0 = Date.now();
  assert.equal(await backgroundState(s), "stopped", "the SMS came while the background was stopped");
  // the alarm fires at most every 30 s (Chrome's minimum, which the extension keeps in Firefox too)
  await until(async () => (await badgeText(s)) === "1", { timeout: 45000, every: 250, what: "badge 1 after wake-up" });
  console.log(`suspended background: SMS badged ${((Date.now() - t0) / 1000).toFixed(1)} s after it arrived`);
});
