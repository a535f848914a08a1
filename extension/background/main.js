// OTP Dock background service worker. The Rust engine (wasm `Dock`) owns the
// rentals, polling, spending and reconciliation; this file only drives browser
// APIs: storage, alarms, notifications, tabs, scripting and messages.
/** @import { AnyRequest, Answers, MessageType, NewAccount, Request, Settings, View } from "../shared/messages.js" */
/** @import { DockHooks } from "../wasm/otpdock.js" */
/** @import { Account } from "./keys.js" */
import init, { Dock, extractOtp } from "../wasm/otpdock.js";
import { MESSAGES, OPTIONS_ONLY } from "../shared/messages.js";
import { chipFill, forget as forgetChip, offer as offerChip } from "./chip.js";
import { start as startFill, fill, hostOf } from "./fill.js";
import { loadAccounts, storeAccounts } from "./keys.js";
import { localiseError, localiseView, localiseCatalogue, say, t } from "./words.js";

const ALARM = "otpdock-poll";
const DEFAULT_SETTINGS = { autoFill: true, notify: true, fastPolling: true };
// storage keys that belong to the engine (see src/engine/persist.rs)
const ENGINE_KEY = /^(schema|meta|store|r:|spend:)/;

// Keys live in the extension's IndexedDB (keys.js), never in chrome.storage.local; that area
// holds rentals and SMS and is kept away from content scripts where the browser can.
try {
  chrome.storage.local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" })?.catch?.(() => {});
} catch {}

const getAccounts = loadAccounts;
/** @returns {Promise<Settings>} */
async function getSettings() {
  const { settings } = await chrome.storage.local.get("settings");
  return { ...DEFAULT_SETTINGS, .../** @type {Partial<Settings> | undefined} */ (settings) };
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let badgeTimer;
function updateBadge() {
  clearTimeout(badgeTimer);
  badgeTimer = setTimeout(async () => {
    const n = (await ready).unseen();
    await chrome.action.setBadgeBackgroundColor({ color: "#d93025" });
    await chrome.action.setBadgeText({ text: n ? String(n) : "" });
  }, 100);
}

/** @type {DockHooks} */
const hooks = {
  async write(w) {
    if (Object.keys(w.set).length) await chrome.storage.local.set(w.set);
    if (w.remove.length) await chrome.storage.local.remove(w.remove);
  },
  fresh(list) {
    announce(list).catch(() => {});
  },
  changed() {
    updateBadge();
  },
};

const ready = (async () => {
  await init({ module_or_path: chrome.runtime.getURL("wasm/otpdock_bg.wasm") });
  const [stored, accounts] = await Promise.all([chrome.storage.local.get(null), getAccounts()]);
  const entries = Object.fromEntries(Object.entries(stored).filter(([k]) => ENGINE_KEY.test(k)));
  const dock = new Dock(entries, accounts, hooks);
  dock.setFastPolling((await getSettings()).fastPolling !== false);
  updateBadge();
  return dock;
})();
startFill(ready);

// ---------------------------------------------------------------- new SMS

/** @param {Parameters<DockHooks["fresh"]>[0]} list new SMS, oldest first */
async function announce(list) {
  const dock = await ready;
  const settings = await getSettings();
  if (settings.notify) {
    for (const f of list) {
      chrome.notifications.create("sms:" + f.record + ":" + f.sms.key, {
        type: "basic",
        iconUrl: chrome.runtime.getURL("icons/128.png"),
        title: t("newSms", "+" + f.number + (f.service ? " · " + f.service : "")),
        message: (f.sms.code ? t("codeIs", f.sms.code) + " — " : "") + f.sms.text.slice(0, 180),
        priority: 2,
      });
    }
  }
  // one fill per bound rental: its newest own code (the list is oldest first)
  const newest = new Map();
  for (const f of list) if (f.sms.code && !f.sms.other) newest.set(f.record, f);
  for (const [record, f] of newest) {
    const b = dock.binding(record);
    if (!b) continue;
    // not auto-filled (off, or nothing to fill yet): the inline chip offers it, where allowed
    if (!settings.autoFill) {
      offerChip(dock, f).catch(() => {});
      continue;
    }
    const webotp = extractOtp(f.sms.text)?.host || null;
    fill(b.tab_id, "code", f.sms.code, { trigger: "auto", bound: b.host || null, webotp }).catch((e) => {
      // the tab shows another host now: the binding ends there
      if (e?.code === "HOST_MISMATCH" || e?.code === "NOT_BOUND") dock.tabLeft(b.tab_id, e.top || null);
      else offerChip(dock, f).catch(() => {});
    });
  }
}

// ---------------------------------------------------------------- accounts (options page only)

/**
 * @param {NewAccount} a
 * @returns {Promise<Answers["save-account"]>}
 */
async function saveAccount(a) {
  if (!a || !["smsonline", "smspva"].includes(a.provider) || typeof a.key !== "string" || !a.key.trim()) throw { code: "BAD_REQUEST" };
  /** @type {Account} */
  const acc = {
    id: a.id || crypto.randomUUID(),
    provider: /** @type {Account["provider"]} */ (a.provider),
    key: a.key.trim(),
    base: a.base?.trim() || null,
    label: a.label || "",
  };
  // validate before saving: SMS.online balance, SMSPVA orders
  const result = await Dock.probe(acc);
  const accounts = (await getAccounts()).filter((x) => x.id !== acc.id);
  accounts.push(acc);
  await storeAccounts(accounts);
  (await ready).setAccounts(accounts);
  return { id: acc.id, balance: result.balance, balance_text: result.balance_text, orders: result.orders };
}

/** @param {string} id */
async function removeAccount(id) {
  const accounts = (await getAccounts()).filter((x) => x.id !== id);
  await storeAccounts(accounts);
  (await ready).setAccounts(accounts);
}

// ---------------------------------------------------------------- messaging

/** @param {chrome.runtime.MessageSender} sender */
const isExtensionPage = (sender) => sender.id === chrome.runtime.id && typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
/** @param {chrome.runtime.MessageSender} sender */
const isOptionsPage = (sender) => isExtensionPage(sender) && !!sender.url?.startsWith(chrome.runtime.getURL("options/options.html"));
/** @param {unknown} v a non-empty string, else null */
const str = (v) => (typeof v === "string" && v ? v : null);

/**
 * The answer to each request type of shared/messages.js, one entry per type (a type error if
 * one is missing or answers the wrong shape). The request comes from an extension page but is
 * still checked: strings with str()/String(), numbers with Number.isInteger.
 * @type {{ [K in MessageType]: (msg: Request<K>, dock: Dock) => Promise<Answers[K]> | Answers[K] }}
 */
const handlers = {
  "fill-code": async (msg, dock) => {
    if (typeof msg.code !== "string" || !msg.code.trim()) throw { code: "BAD_REQUEST" };
    // a code from an SMS bound to a site ("@host #code") is only filled on that site
    let webotp = null;
    if (str(msg.record) && str(msg.sms)) {
      const h = dock.history(String(msg.record));
      const m = h && [...h.sms, ...h.other].find((x) => x.key === msg.sms);
      webotp = m ? extractOtp(m.text)?.host || null : null;
    }
    // the stable contract: exactly {ok, filled} or {ok, error: {code, message}}
    return { filled: (await fill(msg.tabId, "code", msg.code.trim(), { trigger: "user", webotp })).filled };
  },
  "fill-phone": async (msg, dock) => {
    if (typeof msg.phone !== "string" || !/\d{6,}/.test(msg.phone.replace(/\D/g, ""))) throw { code: "BAD_REQUEST" };
    // the popup sends only the number and the rental; the dial code and country come from the rental
    const meta = (str(msg.record) && dock.phoneMeta(String(msg.record))) || {};
    const r = await fill(
      msg.tabId,
      "phone",
      msg.phone,
      { trigger: "user" },
      { dialCode: msg.dialCode || meta.dial_code || "", iso: msg.iso || meta.iso || "" },
    );
    // bound to the host the number really went into (fill() checked the tab id)
    if (str(msg.record)) dock.bindTab(String(msg.record), /** @type {number} */ (msg.tabId), r.host || null);
    return { filled: r.filled };
  },
  view: (msg, dock) => ({ view: localiseView(dock.view(Number.isInteger(msg.limit) && Number(msg.limit) > 0 ? msg.limit : undefined)) }),
  refresh: async (_msg, dock) => {
    // answered when the poll it started is done (or after 15 s), with what it found
    dock.pollNow();
    await dock.settled(15000);
    return { view: localiseView(dock.view()) };
  },
  seen: (_msg, dock) => {
    dock.seen();
    updateBadge();
    return {};
  },
  history: (msg, dock) => dock.history(String(msg.record)) || { sms: [], other: [] },
  filter: (msg, dock) => ({ keys: dock.matches(typeof msg.query === "string" ? msg.query.slice(0, 200) : "") }),
  intent: async (msg, dock) => {
    const r = await dock.intent(String(msg.record), String(msg.intent), str(msg.option));
    return { reconciled: !!r?.reconciled, message: r?.reconciled ? t("reconciled") : "" };
  },
  quote: async (msg, dock) => {
    const q = await dock.quote(String(msg.record), str(msg.option));
    return { price: q.price, currency: q.currency, label: say(q.label) || "" };
  },
  catalogue: async (msg, dock) => localiseCatalogue(await dock.catalogue(String(msg.account), str(msg.kind), str(msg.country), str(msg.duration))),
  rent: async (msg, dock) => {
    const r = await dock.rent(String(msg.account), {
      kind: str(msg.kind),
      service: str(msg.service),
      country: str(msg.country),
      operator: str(msg.operator),
      duration: str(msg.duration),
    });
    return { reconciled: !!r.reconciled, record: r.record, message: r.reconciled ? t("reconciled") : "+" + r.number };
  },
  archive: async (_msg, dock) => ({ items: await dock.archive() }),
  "restore-quote": async (msg, dock) => {
    const q = await dock.restoreQuote(String(msg.account), String(msg.id));
    return { ...q, confirm: say(q.confirm) || "" };
  },
  restore: async (msg, dock) => {
    const r = await dock.restore(String(msg.account), String(msg.id));
    return { reconciled: !!r.reconciled, message: r.reconciled ? t("reconciled") : t("saved") };
  },
  // only from the chip's content script (routed before handle()); an extension page has no chip
  "chip-fill": () => {
    throw { code: "FORBIDDEN" };
  },
  "bind-tab": (msg, dock) => {
    dock.bindTab(String(msg.record), msg.tabId, str(msg.host));
    return {};
  },
  // the options page only (OPTIONS_ONLY)
  settings: async (msg, dock) => {
    const settings = { ...(await getSettings()), ...(msg.settings || {}) };
    await chrome.storage.local.set({ settings });
    dock.setFastPolling(settings.fastPolling !== false);
    return settings;
  },
  accounts: async () => ({
    accounts: (await getAccounts()).map(({ id, provider, base, label, key }) => ({ id, provider, base, label, keyHint: "…" + key.slice(-4) })),
  }),
  "save-account": (msg) => saveAccount(msg.account),
  "remove-account": async (msg) => {
    await removeAccount(msg.id);
    return {};
  },
  export: (msg, dock) => {
    if (msg.format !== "csv" && msg.format !== "json") throw { code: "BAD_REQUEST" };
    return { text: dock.export(msg.format) };
  },
};

/**
 * @param {any} msg whatever a sender sent
 * @param {chrome.runtime.MessageSender} sender
 */
async function handle(msg, sender) {
  if (!isExtensionPage(sender)) throw { code: "FORBIDDEN" };
  /** @type {MessageType} */
  const type = msg?.type;
  if (typeof type !== "string" || !Object.hasOwn(handlers, type)) throw { code: "BAD_REQUEST" };
  // accounts (API keys) and settings: the options page only
  if (OPTIONS_ONLY.includes(type) && !isOptionsPage(sender)) throw { code: "FORBIDDEN" };
  const dock = await ready;
  const answer = /** @type {(msg: AnyRequest, dock: Dock) => Promise<object> | object} */ (handlers[type]);
  return answer(msg, dock);
}

// the inline chip's click: the one message a page's tab may send (from our content script)
/**
 * @param {any} msg
 * @param {chrome.runtime.MessageSender} sender
 */
const fromChip = (msg, sender) => msg?.type === MESSAGES.CHIP_FILL && sender.id === chrome.runtime.id && !!sender.tab && !isExtensionPage(sender);

// Always answers asynchronously (returns true): a listener that returned nothing would read, in
// Firefox, as "Receiving end does not exist", which the pages take for a message never delivered
// and send again (shared/messages.js send()).
chrome.runtime.onMessage.addListener((msg, sender, respond) => {
  (fromChip(msg, sender) ? ready.then((d) => chipFill(d, msg, sender)) : handle(msg, sender)).then(
    (r) => respond({ ok: true, ...r }),
    (e) => respond({ ok: false, error: localiseError(e) }),
  );
  return true;
});

// a bound tab that closes or leaves its host is no longer bound: its codes go nowhere else
chrome.tabs.onUpdated.addListener((tabId, info) => {
  const url = info.url;
  if (!url) return;
  forgetChip(tabId);
  ready.then((d) => d.tabLeft(tabId, hostOf(url) || null));
});
chrome.tabs.onRemoved.addListener((tabId) => {
  forgetChip(tabId);
  ready.then((d) => d.tabLeft(tabId, null));
});

// ---------------------------------------------------------------- keyboard commands
// A shortcut grants activeTab on `tab`, so both work without the all-sites permission.
/**
 * @param {"fill-code" | "fill-number"} cmd
 * @param {number} tabId the tab the shortcut was pressed in
 */
async function onCommand(cmd, tabId) {
  const dock = await ready;
  const bound = dock.boundToTab(tabId);
  if (cmd === "fill-code") {
    if (!bound) throw { code: "NO_RENTAL", message: t("cmdNoRental") };
    if (!bound.latest?.code) throw { code: "NO_CODE", message: t("cmdNoCode") };
    return fill(tabId, "code", bound.latest.code, { trigger: "user", webotp: extractOtp(bound.latest.text)?.host || null });
  }
  // fill-number on a tab nothing is bound to yet: only when exactly one rental is open (never guess)
  let record = bound?.record;
  let number = bound?.number;
  if (!record) {
    const open = /** @type {View} */ (dock.view()).rentals.filter((r) => r.open);
    if (open.length !== 1) throw { code: "NO_RENTAL", message: t("cmdNoRental") };
    record = open[0].key;
    number = "+" + open[0].number;
  }
  const meta = dock.phoneMeta(record) || {};
  const r = await fill(tabId, "phone", number, { trigger: "user" }, { dialCode: meta.dial_code || "", iso: meta.iso || "" });
  dock.bindTab(record, tabId, r.host || null);
  return r;
}

chrome.commands?.onCommand.addListener((cmd, tab) => {
  if (!tab?.id || (cmd !== "fill-code" && cmd !== "fill-number")) return;
  onCommand(cmd, tab.id).catch((e) => {
    const err = localiseError(e);
    chrome.notifications.create("cmd:" + cmd, { type: "basic", iconUrl: chrome.runtime.getURL("icons/128.png"), title: t("extName"), message: err.message });
  });
});

// the engine's timers run while the worker lives; the alarm wakes a stopped worker
chrome.alarms.create(ALARM, { periodInMinutes: 0.5 });
chrome.alarms.onAlarm.addListener((a) => {
  // waking the worker is enough: a new engine polls at once, a living one keeps its own timers
  if (a.name === ALARM) ready.catch(() => {});
});
chrome.notifications.onClicked.addListener((id) => {
  chrome.notifications.clear(id);
  chrome.action.openPopup?.().catch(() => {});
});
