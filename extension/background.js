// OTP Dock background service worker: polls providers, keeps state in
// chrome.storage.local, announces new SMS, and fills codes/numbers into tabs.
// All protocol logic, parsing, merging and field scoring run in Rust/wasm.
import init, * as core from "./wasm/otpdock.js";
import { start as startFill, fill, hostOf } from "./background/fill.js";
import { loadAccounts, storeAccounts } from "./background/keys.js";

// ---- safety: API keys are for trusted contexts only (never content scripts), set before anything else
try {
  chrome.storage.local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" })?.catch?.(() => {});
} catch {}
// ---- end safety

const ready = init({ module_or_path: chrome.runtime.getURL("wasm/otpdock_bg.wasm") });
startFill(ready);
const lang = () => chrome.i18n.getUILanguage();
const t = (k, ...a) => chrome.i18n.getMessage(k, a.map(String)) || k;
const now = () => Math.floor(Date.now() / 1000);
const TIMEOUT_MS = 15000;
const ALARM = "otpdock-poll";
const DEFAULT_SETTINGS = { autoFill: true, notify: true, fastPolling: true };

// ---------------------------------------------------------------- storage

// All mutations of the stored engine state go through this queue, so two
// polls (or a poll and a user action) never overwrite each other's SMS.
let queue = Promise.resolve();
function withStore(fn) {
  const run = queue.then(async () => {
    const { store = "{}" } = await chrome.storage.local.get("store");
    const r = await fn(store);
    if (r && typeof r.store === "string" && r.store !== store) await chrome.storage.local.set({ store: r.store });
    return r;
  });
  queue = run.catch(() => {});
  return run;
}

// safety: accounts (API keys) live in the extension origin's IndexedDB (background/keys.js)
const getAccounts = loadAccounts;
async function getSettings() {
  const { settings = {} } = await chrome.storage.local.get("settings");
  return { ...DEFAULT_SETTINGS, ...settings };
}

// ---------------------------------------------------------------- provider calls

function toErr(e) {
  if (typeof e === "string") {
    try {
      return JSON.parse(e);
    } catch {
      return { code: "INTERNAL", message: e };
    }
  }
  return { code: e?.code || "INTERNAL", message: e?.message || String(e) };
}

async function call(acc, req) {
  await ready;
  try {
    return JSON.parse(await core.providerCall(JSON.stringify(acc), JSON.stringify(req), TIMEOUT_MS, lang()));
  } catch (e) {
    throw toErr(e);
  }
}

// core functions answer {store: {...}, ...}; the stored form is a JSON string
function coreResult(json) {
  const r = JSON.parse(json);
  r.store = JSON.stringify(r.store);
  return r;
}

async function ingest(acc, req, result) {
  return withStore(async (store) => coreResult(core.storeIngest(store, acc.id, JSON.stringify(req), JSON.stringify(result), now())));
}

async function fail(acc, err) {
  await withStore(async (store) => ({ store: core.storeFail(store, acc.id, JSON.stringify(err)) }));
}

// ---------------------------------------------------------------- polling

let polling = null;
let lastFull = 0;
// A full tick (every 30 s, or on demand) lists everything; a fast tick (every 3 s while a
// code is awaited) asks only about the rentals that wait for one.
async function pollAll(force) {
  if (polling) return polling;
  polling = (async () => {
    await ready;
    const full = force === true || Date.now() - lastFull >= 25000;
    if (full) lastFull = Date.now();
    const accounts = await getAccounts();
    const fresh = [];
    await Promise.all(accounts.map((acc) => pollAccount(acc, fresh, full).catch((e) => fail(acc, toErr(e)))));
    if (fresh.length) await announce(fresh);
    // closed rentals stay visible (with their SMS) for a week after the provider stopped listing them
    if (full) await withStore(async (store) => ({ store: core.storePrune(store, now(), 7 * 86400) }));
    await updateBadge();
    await chrome.storage.local.set({ lastPoll: Date.now() });
    schedule();
  })().finally(() => (polling = null));
  return polling;
}

async function pollAccount(acc, fresh, full) {
  if (acc.provider === "smsonline") {
    let storeJson;
    if (full) {
      const list = await call(acc, { method: "getRentList" });
      storeJson = (await ingest(acc, { method: "getRentList" }, list)).store;
    } else {
      storeJson = (await chrome.storage.local.get("store")).store || "{}";
    }
    const mine = JSON.parse(core.storePollTargets(storeJson, acc.id, "smsonline", now()));
    // the protocol has no batch status for rents: one getRentStatus per open rent (per awaited rent on fast ticks)
    for (const target of mine.filter((x) => x.kind === "rent" && (full || x.awaited))) {
      // newest first, 10 per page: read older pages while they still hold SMS the store lacks;
      // one rent failing does not stop the others
      try {
        for (let page = 0, seen = 0; page < 20; page++) {
          const req = { method: "getRentStatus", id: target.id, page, size: 10 };
          const res = await call(acc, req);
          const r = await ingest(acc, req, res);
          fresh.push(...r.fresh);
          seen += res.sms.length;
          if (!r.added || !res.sms.length || seen >= res.quantity) break;
        }
      } catch (e) {
        await fail(acc, toErr(e));
      }
    }
    if (full || mine.some((x) => x.kind === "activation" && x.awaited)) {
      const acts = await call(acc, { method: "getActiveActivations" });
      const r = await ingest(acc, { method: "getActiveActivations" }, acts);
      fresh.push(...r.fresh);
    }
    if (full) await refreshBalance(acc);
  } else {
    const orders = await call(acc, { method: "orders" });
    const r = await ingest(acc, { method: "orders" }, orders);
    for (const id of r.fetch) {
      const req = { method: "sms", id };
      const s = await ingest(acc, req, await call(acc, req));
      fresh.push(...s.fresh);
    }
  }
}

const balanceAt = new Map();
async function refreshBalance(acc, force) {
  if (acc.provider !== "smsonline") return;
  if (!force && Date.now() - (balanceAt.get(acc.id) || 0) < 120000) return;
  balanceAt.set(acc.id, Date.now());
  const b = await call(acc, { method: "getBalance" });
  await ingest(acc, { method: "getBalance" }, b);
}

let timer = null;
async function schedule() {
  const { store = "{}" } = await chrome.storage.local.get("store");
  const settings = await getSettings();
  let delay = core.storeNextDelay(store, now());
  if (settings.fastPolling === false) delay = Math.max(delay, 30);
  clearTimeout(timer);
  // chrome.alarms cannot go below 30 s; faster polling runs on a timer while the worker is alive,
  // and the alarm restarts it if the worker was stopped.
  if (delay < 30) timer = setTimeout(pollAll, delay * 1000);
  chrome.alarms.create(ALARM, { delayInMinutes: Math.max(0.5, delay / 60) });
}

async function updateBadge() {
  const { store = "{}" } = await chrome.storage.local.get("store");
  const records = Object.values(JSON.parse(store).records || {});
  const n = records.reduce((a, r) => a + (r.unseen?.length || 0), 0);
  await chrome.action.setBadgeBackgroundColor({ color: "#d93025" });
  await chrome.action.setBadgeText({ text: n ? String(n) : "" });
}

async function announce(fresh) {
  const settings = await getSettings();
  const { store = "{}" } = await chrome.storage.local.get("store");
  const records = JSON.parse(store).records || {};
  for (const f of fresh) {
    const code = f.sms.code;
    if (settings.notify) {
      chrome.notifications.create("sms:" + f.record + ":" + f.sms.key, {
        type: "basic",
        iconUrl: chrome.runtime.getURL("icons/128.png"),
        title: t("newSms", "+" + f.number + (f.service ? " · " + f.service : "")),
        message: (code ? t("codeIs", code) + " — " : "") + f.sms.text.slice(0, 180),
        priority: 2,
      });
    }
  }
  if (!settings.autoFill) return;
  // one fill per bound rental: its newest code (fresh is oldest first)
  const newest = new Map();
  for (const f of fresh) if (f.sms.code && records[f.record]?.tab_id != null) newest.set(f.record, f);
  for (const [key, f] of newest) {
    const host = JSON.parse(core.extractOtp(f.sms.text) || "null")?.host;
    const tabId = records[key].tab_id;
    // only on the exact host the rental was bound on (and the one a WebOTP line names)
    fill(tabId, "code", f.sms.code, { trigger: "auto", bound: records[key].tab_host || null, webotp: host }).catch((e) => {
      if (e?.code === "HOST_MISMATCH" || e?.code === "NOT_BOUND") dropBindings(tabId, e.top || "");
    });
  }
}

// ---------------------------------------------------------------- filling
// site, inject, collect and fill live in background/fill.js (safety branch)

// ---------------------------------------------------------------- user actions

const pending = new Set();

function listRequest(acc, kind) {
  if (acc.provider === "smspva") return { method: "orders" };
  return kind === "activation" ? { method: "getActiveActivations" } : { method: "getRentList" };
}

function asRentals(acc, req, result) {
  if (req.method === "orders") return result;
  if (req.method === "getActiveActivations") return result.map((a) => a.rental);
  return result.map((x) => ({ provider: "smsonline", kind: "rent", id: x.id, number: x.phone, service: "", state: "waiting" }));
}

// Money-spending calls are never retried: if their answer is lost, list the
// orders again and adopt the rental the call created, if any.
async function spend(acc, req, kind) {
  const lockKey = acc.id + ":" + JSON.stringify(req);
  if (pending.has(lockKey)) throw { code: "BUSY", message: t("errBusy") };
  pending.add(lockKey);
  try {
    const lreq = listRequest(acc, kind);
    const before = CREATES.has(req.method) ? asRentals(acc, lreq, await call(acc, lreq)) : null;
    const beforeUntil = req.id ? await untilOf(acc, req.id) : null;
    try {
      return { result: await call(acc, req), reconciled: false };
    } catch (e) {
      if (!e.outcome_unknown) throw e;
      let after;
      try {
        after = asRentals(acc, lreq, await call(acc, lreq));
      } catch {
        throw { code: "OUTCOME_UNKNOWN", message: t("errOutcomeUnknown") };
      }
      if (before) {
        const found = JSON.parse(core.reconcileNewRental(JSON.stringify(before), JSON.stringify(after), req.service || ""));
        if (found) return { result: found, reconciled: true };
      } else if (req.id) {
        // prolong: the expiry moved; restore: the order is back in the list
        const listed = after.find((r) => r.id === req.id) || null;
        if (core.reconcileExtended(beforeUntil ?? NaN, JSON.stringify(listed))) return { result: listed, reconciled: true };
      }
      throw { code: "NOT_CHARGED", message: t("errNotChargedRetry") };
    }
  } finally {
    pending.delete(lockKey);
  }
}

async function untilOf(acc, id) {
  const { store = "{}" } = await chrome.storage.local.get("store");
  const rec = Object.values(JSON.parse(store).records || {}).find((r) => r.account === acc.id && r.rental.id === id);
  return rec?.rental?.until ?? null;
}

// methods that create a rental (the others that spend money extend or restore one)
const CREATES = new Set(["getRentNumber", "getNumber", "create"]);
const READ_ONLY = new Set(["getRentServicesAndCountries", "getcountries", "getdata", "get_rent_history", "restore_user_precalc", "getBalance"]);

async function action(accountId, req) {
  const acc = (await getAccounts()).find((a) => a.id === accountId);
  if (!acc || !req || typeof req.method !== "string") throw { code: "BAD_REQUEST", message: t("errBadRequest") };
  if (READ_ONLY.has(req.method)) return { result: await call(acc, req) };
  // which calls spend money is the Rust clients' own knowledge (Call::spends_money)
  if (core.spendsMoney(JSON.stringify(acc), JSON.stringify(req))) {
    const kind = req.method === "getNumber" ? "activation" : "rent";
    const out = await spend(acc, req, kind);
    if (CREATES.has(req.method)) {
      const rental = out.result;
      await withStore(async (store) => coreResult(core.storeAddRental(store, acc.id, JSON.stringify(rental), now())));
    }
    refreshBalance(acc, true).catch(() => {});
    pollAll();
    return out;
  }
  const result = await call(acc, req);
  pollAll();
  return { result };
}

async function markSeen() {
  await withStore(async (store) => {
    const s = JSON.parse(store);
    for (const r of Object.values(s.records || {})) r.unseen = [];
    return { store: JSON.stringify(s) };
  });
  await updateBadge();
}

async function boundHostOf(recordKey, smsKey) {
  const { store = "{}" } = await chrome.storage.local.get("store");
  const sms = JSON.parse(store).records?.[recordKey]?.sms?.find((m) => m.key === smsKey);
  return sms ? JSON.parse(core.extractOtp(sms.text) || "null")?.host || null : null;
}

async function bindTab(recordKey, tabId, host) {
  await withStore(async (store) => ({ store: core.storeBindTab(store, recordKey, tabId, host || "", now()) }));
  schedule();
}

// ---- safety: a binding holds only while its tab stays on the host it was bound on
// `host` "" drops every binding of the tab (closed, or on a non-web page)
async function dropBindings(tabId, host) {
  await ready;
  await withStore(async (store) => ({ store: core.storeDropBindings(store, tabId, host) }));
}
// ---- end safety

// public view for the popup: never includes API keys
async function view() {
  const [{ store = "{}", lastPoll = 0 }, accounts, settings] = await Promise.all([chrome.storage.local.get(["store", "lastPoll"]), getAccounts(), getSettings()]);
  return { store: JSON.parse(store), lastPoll, settings, accounts: accounts.map(({ id, provider, label }) => ({ id, provider, label: label || "" })) };
}

// ---------------------------------------------------------------- accounts (options page only)

async function saveAccount(a) {
  if (!a || !["smsonline", "smspva"].includes(a.provider) || typeof a.key !== "string" || !a.key.trim()) throw { code: "BAD_REQUEST", message: t("errBadRequest") };
  const acc = { id: a.id || crypto.randomUUID(), provider: a.provider, key: a.key.trim(), base: a.base?.trim() || null, label: a.label || "" };
  // validate before saving: SMS.online balance, SMSPVA orders
  const probe = acc.provider === "smsonline" ? { method: "getBalance" } : { method: "orders" };
  const result = await call(acc, probe);
  const accounts = (await getAccounts()).filter((x) => x.id !== acc.id);
  accounts.push(acc);
  await storeAccounts(accounts);
  if (acc.provider === "smsonline") await ingest(acc, { method: "getBalance" }, result);
  // a new account is listed at once, not at the next 30-second tick
  pollAll(true);
  return { id: acc.id, balance: acc.provider === "smsonline" ? result : null, orders: acc.provider === "smspva" ? result.length : null };
}

async function removeAccount(id) {
  const accounts = (await getAccounts()).filter((x) => x.id !== id);
  await storeAccounts(accounts);
  await withStore(async (store) => {
    const s = JSON.parse(store);
    for (const [k, r] of Object.entries(s.records || {})) if (r.account === id) delete s.records[k];
    return { store: JSON.stringify(s) };
  });
  await updateBadge();
}

// ---------------------------------------------------------------- messaging

const isExtensionPage = (sender) => sender.id === chrome.runtime.id && typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
const isOptionsPage = (sender) => isExtensionPage(sender) && sender.url.startsWith(chrome.runtime.getURL("options.html"));

async function handle(msg, sender) {
  if (!isExtensionPage(sender)) throw { code: "FORBIDDEN", message: t("errBadRequest") };
  switch (msg?.type) {
    case "fill-code": {
      if (typeof msg.code !== "string" || !msg.code.trim()) throw { code: "BAD_REQUEST", message: t("errBadRequest") };
      // a code from an SMS bound to a site ("@host #code") is only filled on that site
      const host = msg.record && msg.sms ? await boundHostOf(msg.record, msg.sms) : null;
      // the stable contract: exactly {ok, filled} or {ok, error: {code, message}}
      return { filled: (await fill(msg.tabId, "code", msg.code.trim(), { trigger: "user", webotp: host })).filled };
    }
    case "fill-phone": {
      if (typeof msg.phone !== "string" || !/\d{6,}/.test(msg.phone.replace(/\D/g, ""))) throw { code: "BAD_REQUEST", message: t("errBadRequest") };
      const r = await fill(msg.tabId, "phone", msg.phone, { trigger: "user" }, { dialCode: msg.dialCode, iso: msg.iso });
      // bound on the host the number actually went into
      if (msg.record) await bindTab(msg.record, msg.tabId, r.host);
      return { filled: r.filled };
    }
    case "view":
      return view();
    case "refresh":
      await pollAll(true);
      return view();
    case "seen":
      await markSeen();
      return {};
    case "action":
      return action(msg.account, msg.request);
    case "bind-tab":
      await bindTab(msg.record, msg.tabId, msg.host);
      return {};
    case "settings": {
      if (!isOptionsPage(sender)) throw { code: "FORBIDDEN", message: t("errBadRequest") };
      const settings = { ...(await getSettings()), ...(msg.settings || {}) };
      await chrome.storage.local.set({ settings });
      return settings;
    }
    case "accounts":
      if (!isOptionsPage(sender)) throw { code: "FORBIDDEN", message: t("errBadRequest") };
      return { accounts: (await getAccounts()).map(({ id, provider, base, label, key }) => ({ id, provider, base, label, keyHint: "…" + key.slice(-4) })) };
    case "save-account":
      if (!isOptionsPage(sender)) throw { code: "FORBIDDEN", message: t("errBadRequest") };
      return saveAccount(msg.account);
    case "remove-account":
      if (!isOptionsPage(sender)) throw { code: "FORBIDDEN", message: t("errBadRequest") };
      await removeAccount(msg.id);
      return {};
    default:
      throw { code: "BAD_REQUEST", message: t("errBadRequest") };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, respond) => {
  handle(msg, sender).then(
    (r) => respond({ ok: true, ...r }),
    (e) => respond({ ok: false, error: toErr(e) }),
  );
  return true;
});

chrome.alarms.onAlarm.addListener((a) => {
  if (a.name === ALARM) pollAll();
});
chrome.runtime.onInstalled.addListener(() => pollAll());
chrome.runtime.onStartup.addListener(() => pollAll());
// ---- safety: navigation to another host, or closing the tab, drops its bindings
chrome.tabs.onUpdated.addListener((tabId, info) => {
  if (info.url) dropBindings(tabId, hostOf(info.url)).catch(() => {});
});
chrome.tabs.onRemoved.addListener((tabId) => dropBindings(tabId, "").catch(() => {}));
// ---- end safety
chrome.notifications.onClicked.addListener((id) => {
  chrome.notifications.clear(id);
  chrome.action.openPopup?.().catch(() => {});
});
// a worker woken by anything re-arms the schedule
pollAll();
