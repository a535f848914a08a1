// Chromium assigns a suggested shortcut only when it does not clash with one of its own,
// silently leaving the command without a key otherwise (Alt+Shift+C and Alt+Shift+N are
// refused, for example). This checks that every command of dist/chrome really gets its
// suggested key, and that the options page lists them with how to change them.
// (Chromium through the e2e/ harness; it sits here with the other commands checks.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, ROOT } from "../e2e/lib.mjs";
import { SEL } from "./lib.mjs";

let b;
before(async () => (b = await launch()));
after(async () => b?.context.close());

test("chromium assigns every suggested shortcut and the options page shows them", async () => {
  const m = JSON.parse(readFileSync(join(ROOT, "dist/chrome/manifest.json")));
  const want = Object.fromEntries(Object.entries(m.commands).map(([n, c]) => [n, c.suggested_key.default]));
  const got = Object.fromEntries((await b.sw.evaluate(() => chrome.commands.getAll())).map((c) => [c.name, c.shortcut]));
  assert.deepEqual(got, want);
  const page = await b.context.newPage();
  await page.goto(`chrome-extension://${b.id}/options/options.html`);
  for (const [name, key] of Object.entries(want)) {
    const row = (await page.textContent(SEL.options.shortcutRow(name), { timeout: 5000 })).replace(/\s+/g, "");
    assert.ok(row.endsWith(key), `${name}: ${row}`);
  }
  assert.match(await page.textContent(SEL.options.shortcutsHow), /chrome:\/\/extensions\/shortcuts/);
  const opened = b.context.waitForEvent("page");
  await page.click(SEL.options.shortcutsChange);
  assert.equal((await opened).url(), "chrome://extensions/shortcuts");
  await page.close();
});
