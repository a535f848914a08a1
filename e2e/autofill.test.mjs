// Auto-fill on real framework pages (React, Preact, Vue, input-otp,
// react-otp-input, vue3-otp-input, imask, intl-tel-input from npm) and on
// the hard vanilla cases: split boxes with auto-advance, shadow DOM,
// same-origin iframes, late fields, decoys, password-type OTP fields.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, startFixtures, tabIdOf, until } from "./lib.mjs";

let fx, b, ext;
before(async () => {
  fx = await startFixtures();
  b = await launch();
  ext = await b.context.newPage();
  await ext.goto(`chrome-extension://${b.id}/options/options.html`);
});
after(async () => {
  await b?.context.close();
  fx?.stop();
});

async function open(path) {
  const page = await b.context.newPage();
  await page.goto(fx.url + path);
  const tabId = await tabIdOf(b.sw, fx.url + path);
  return { page, tabId };
}
const send = (msg) => ext.evaluate((m) => chrome.runtime.sendMessage(m), msg);
const state = (page) => page.textContent("#state");

const CODE = "482913";
for (const [name, path] of [
  ["React controlled input with a useId-like id", "/app.html?src=react-controlled"],
  ["input-otp (one transparent input over slots)", "/app.html?src=react-input-otp"],
  ["react-otp-input (6 boxes)", "/app.html?src=react-otp-input"],
  ["Preact controlled input beside a search box", "/app.html?src=preact-controlled"],
  ["Vue v-model input", "/app.html?src=vue-model"],
  ["vue3-otp-input (6 boxes)", "/app.html?src=vue-otp"],
  ["Angular reactive form control", "/app.html?src=angular-forms"],
  ["Vuetify VOtpInput", "/app.html?src=vuetify-otp"],
  ["Ant Design Input.OTP", "/app.html?src=antd-otp"],
  ["Mantine PinInput", "/app.html?src=mantine-pin"],
  ["MUI TextField beside an e-mail field", "/app.html?src=mui-textfield"],
  ["Lit web component", "/app.html?src=lit-otp"],
  ["Alpine.js x-model", "/app.html?src=alpine-otp"],
  ["Svelte 5 six boxes", "/app.html?src=svelte-otp"],
  ["react-hook-form registered input", "/app.html?src=react-hook-form"],
  ["Solid signal-bound input", "/app.html?src=solid-otp"],
  ["split boxes with auto-advance (Apple style)", "/split-apple.html"],
  ["open shadow DOM", "/shadow.html"],
]) {
  test(`fill-code: ${name}`, async () => {
    const { page, tabId } = await open(path);
    await page.waitForSelector("input");
    const r = await send({ type: "fill-code", tabId, code: CODE });
    assert.equal(r.ok, true, JSON.stringify(r));
    await until(async () => (await state(page)) === CODE, { what: `${name} state (got ${await state(page)})` });
    await page.close();
  });
}

for (const [kase, code, want] of [
  ["github", CODE, CODE],
  ["google", CODE, CODE],
  ["microsoft", CODE, CODE],
  ["nextcloud", CODE, CODE],
  ["protonmail", CODE, CODE],
  ["facebook", CODE, CODE],
  ["personio", CODE, CODE],
  ["vsphere", CODE, CODE],
  ["twitter", CODE, CODE],
  ["coolify", CODE, CODE],
  ["steam", "RF4G2", "RF4G2"],
  ["radix", CODE, CODE],
  ["livewire", CODE, CODE],
]) {
  test(`fill-code: ${kase}-style field`, async () => {
    const { page, tabId } = await open(`/sites.html?case=${kase}`);
    const r = await send({ type: "fill-code", tabId, code });
    assert.equal(r.ok, true, JSON.stringify(r));
    await until(async () => (await state(page)) === want, { what: `${kase} (got ${await state(page)})` });
    await page.close();
  });
}

test("fill-code: React page leaves the e-mail field alone", async () => {
  const { page, tabId } = await open("/app.html?src=react-controlled");
  await page.waitForSelector("input");
  await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(await page.inputValue("#em"), "");
  await page.close();
});

test("fill-code: same-origin iframe, not the search box", async () => {
  const { page, tabId } = await open("/iframe.html");
  const frame = await (await page.waitForSelector("#f")).contentFrame();
  await frame.waitForSelector("input");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await frame.inputValue("input[name=otp]"), CODE);
  assert.equal(await page.inputValue("input[name=q]"), "");
  await page.close();
});

test("fill-code: a field that appears 2 s later", async () => {
  const { page, tabId } = await open("/late.html");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await page.inputValue("#user_otp_attempt"), CODE);
  await page.close();
});

test("fill-code: decoys stay empty (captcha, coupon, CVC, ZIP, recovery, honeypot)", async () => {
  const { page, tabId } = await open("/decoys.html");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await page.inputValue("#otp"), CODE);
  for (const id of ["captcha", "coupon", "cvc", "zip", "recovery", "txtCaptcha"]) assert.equal(await page.inputValue("#" + id), "", id);
  assert.equal(await page.inputValue("input[name=website_url]"), "");
  await page.close();
});

test("fill-code: password-type OTP field, never the real password", async () => {
  const { page, tabId } = await open("/password-otp.html");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await page.inputValue("#fudis_otp_input"), CODE);
  assert.equal(await page.inputValue("#pw"), "");
  await page.close();
});

test("fill-code: a page without a code field answers NO_FIELD after waiting", async () => {
  const { page, tabId } = await open("/country-select.html");
  const t0 = Date.now();
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(r.ok, false);
  assert.equal(r.error.code, "NO_FIELD");
  assert.ok(Date.now() - t0 >= 4500, "waited for late fields");
  assert.equal(await page.inputValue("#mno"), "");
  await page.close();
});

test("fill-phone: separate country select gets the country, the field the national number", async () => {
  const { page, tabId } = await open("/country-select.html");
  let r = await send({ type: "fill-phone", tabId, phone: "+79096037108", dialCode: "+7", iso: "RU" });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await page.inputValue("#cc"), "RU");
  assert.equal(await page.inputValue("#mno"), "9096037108");
  r = await send({ type: "fill-phone", tabId, phone: "+15550100000" });
  assert.equal(await page.inputValue("#cc"), "US");
  assert.equal(await page.inputValue("#mno"), "5550100000");
  await page.close();
});

test("fill-code: closed shadow root", async () => {
  const { page, tabId } = await open("/closed-shadow.html");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.equal(r.ok, true, JSON.stringify(r));
  await until(async () => (await state(page)) === CODE, { what: "closed shadow" });
  await page.close();
});

test("fill-phone: tel-country-code and tel-national parts", async () => {
  const { page, tabId } = await open("/phone-parts.html");
  const r = await send({ type: "fill-phone", tabId, phone: "+447400123456" });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await page.inputValue("#cc"), "+44");
  assert.equal(await page.inputValue("#nat"), "7400123456");
  await page.close();
});

test("fill-phone: hand-written +7 mask", async () => {
  const { page, tabId } = await open("/phone-mask-ru.html");
  const r = await send({ type: "fill-phone", tabId, phone: "+79096037108" });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(await state(page), "79096037108");
  assert.equal(await page.inputValue("#ph"), "+7 (909) 603-71-08");
  await page.close();
});

// phone components whose own state (shown in #state) must end up with the number
for (const [name, src, phone, want] of [
  ["imask +7 mask keeps the right digits", "imask-phone", "+79096037108", "79096037108"],
  ["intl-tel-input with a separate dial code", "iti-phone", "+447400123456", "+447400123456"],
  ["react-phone-number-input switches the country and holds E.164", "react-phone", "+79096037108", "+79096037108"],
  ["react-phone-input-2 (country flag dropdown, number with dial code)", "react-phone-input-2", "+79096037108", "79096037108"],
  ["vue-tel-input (custom country dropdown)", "vue-tel-input", "+79096037108", "+79096037108"],
]) {
  test(`fill-phone: ${name}`, async () => {
    const { page, tabId } = await open(`/app.html?src=${src}`);
    await page.waitForSelector("input[type=tel]");
    const r = await send({ type: "fill-phone", tabId, phone });
    assert.equal(r.ok, true, JSON.stringify(r));
    await until(async () => (await state(page)) === want, {
      what: `${src} state (got ${await state(page)}, field ${await page.inputValue("input[type=tel]")})`,
    });
    await page.close();
  });
}

// ---------------------------------------------------------------- context-only fields, checkout pages, nothing to fill

// the only hint is the paragraph above the field's form (React page with a search box and a newsletter box)
for (const lang of ["ja", "ar", "de", "ko", "hi"]) {
  test(`fill-code: field described only by a preceding paragraph (${lang})`, async () => {
    const { page, tabId } = await open(`/shell.html?src=hint-paragraph&lang=${lang}`);
    await page.waitForSelector("input[name=value]");
    const r = await send({ type: "fill-code", tabId, code: CODE });
    assert.deepEqual(r, { ok: true, filled: 1 });
    await until(async () => JSON.parse(await page.textContent("#state")).v === CODE, { what: "code in the React state" });
    // the search and newsletter boxes stay empty
    assert.deepEqual(JSON.parse(await page.textContent("#state")), { v: CODE, q: "", mail: "" });
    await page.close();
  });
}

test("fill-code: bare input in a Lit shadow root, described by the page text before its host", async () => {
  const { page, tabId } = await open("/shell.html?src=lit-context");
  await page.waitForSelector("ds-input");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.deepEqual(r, { ok: true, filled: 1 });
  await until(async () => (await state(page)) === CODE, { what: "Lit state" });
  assert.equal(await page.inputValue("input[name=q]"), "");
  await page.close();
});

test("fill-code: label-less field under a heading, not the search or newsletter box", async () => {
  const { page, tabId } = await open("/heading-only.html");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.deepEqual(r, { ok: true, filled: 1 });
  assert.deepEqual(JSON.parse(await page.textContent("#state")), ["", CODE, ""]);
  await page.close();
});

const checkoutState = async (page) => JSON.parse(await page.textContent("#state"));
test("fill-code: checkout (card form + discount code) fills nothing and says so", async () => {
  const { page, tabId } = await open("/shell.html?src=checkout");
  await page.waitForSelector("#discount");
  await page.fill("#cardnumber", "4242424242424242");
  const before = await checkoutState(page);
  const r = await send({ type: "fill-code", tabId, code: CODE });
  // either refusal shape of the contract, never ok with a write
  assert.ok((r.ok === false && r.error.code === "NO_FIELD") || (r.ok === true && r.filled === 0), JSON.stringify(r));
  assert.deepEqual(await checkoutState(page), before);
  for (const id of ["discount", "cvc", "expiry"]) assert.equal(await page.inputValue("#" + id), "", id);
  await page.close();
});

test("fill-code: checkout with the bank's SMS step fills only the confirmation field", async () => {
  const { page, tabId } = await open("/shell.html?src=checkout&otp=1");
  await page.waitForSelector("#confirm");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.deepEqual(r, { ok: true, filled: 1 });
  await until(async () => (await checkoutState(page)).confirm === CODE, { what: "confirmation code in react-hook-form" });
  const s = await checkoutState(page);
  assert.deepEqual({ ...s, confirm: "" }, { email: "ann@example.com", cardnumber: "", expiry: "", cvc: "", discountCode: "", confirm: "" });
  for (const id of ["discount", "cvc", "expiry", "cardnumber"]) assert.equal(await page.inputValue("#" + id), "", id);
  await page.close();
});

test("fill-code: a page with nothing to fill changes nothing (values and events)", async () => {
  const { page, tabId } = await open("/nothing.html");
  const values = () => page.$$eval("input", (l) => l.map((i) => i.value));
  const before = await values();
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.ok((r.ok === false && r.error.code === "NO_FIELD") || (r.ok === true && r.filled === 0), JSON.stringify(r));
  assert.deepEqual(await values(), before);
  assert.equal(await page.textContent("#events"), "0", "no input/change event reached the page");
  await page.close();
});

test("fill-code: a cross-site payment frame makes weak evidence insufficient", async () => {
  const { page, tabId } = await open("/pay-frame.html");
  await page.waitForSelector("iframe");
  const r = await send({ type: "fill-code", tabId, code: CODE });
  assert.ok((r.ok === false && r.error.code === "NO_FIELD") || (r.ok === true && r.filled === 0), JSON.stringify(r));
  assert.equal(await page.inputValue("#ref"), "");
  assert.equal(await page.inputValue("#email"), "ann@example.com");
  await page.close();
  // the same page without the payment frame: the weak field is the code field
  const other = await open("/pay-frame.html?noframe=1");
  assert.deepEqual(await send({ type: "fill-code", tabId: other.tabId, code: CODE }), { ok: true, filled: 1 });
  assert.equal(await other.page.inputValue("#ref"), CODE);
  await other.page.close();
});
