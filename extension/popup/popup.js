// OTP Dock popup: renders the view the background hands it and sends intents.
// No provider rules live here: states, actions, options, limits, prices and
// their texts all come from the view. Everything from a provider, an SMS or a
// page is rendered with textContent (or an attribute) only.
//
// Speed: the view is asked for before anything else; the first FIRST rentals
// are built synchronously, the rest in idle chunks; each rental's <li> is kept
// while its view entry is unchanged, so a storage change rebuilds only what it
// changed (and keeps an open select or a focused button intact).
// The view is asked for first, while the rest of this script runs (settle() below). `limit`
// is optional: a background that knows it answers the first rentals only, with
// `rentals_total`, and the whole view follows the first frame (a 1000-rental view is a
// 1.5 MB message); one that does not answers the whole view, which is fine too.
import { $, accountName, el, errText, localisePage, providerName, say, t } from "../shared/dom.js";
import { post, SPENDS, send, settle } from "../shared/messages.js";
/** @import { Action, Answers, Catalogue, MessageType, Requests, RentalView, SmsView, View } from "../shared/messages.js" */
/** @import { Failure } from "../shared/messages.js" */
/**
 * A rental's <li> as built from its view entry (`sig`: the entry as JSON), and the elements
 * whose countdowns tick.
 * @typedef {{ li: HTMLLIElement, sig: string, r: RentalView, timed: HTMLElement[] }} Item
 */

const firstAnswer = post({ type: "view", limit: 30 });
const params = new URLSearchParams(location.search);
const fixedTab = params.has("tab") ? Number(params.get("tab")) : null;
const FIRST = 12; // rentals built before the first frame: two popup heights (600 px, ≥ 120 px each)
const CHUNK_MS = 8; // budget of one chunk when no idle period is given
const THROTTLE_MS = 300; // at most one view request per this, on storage changes

localisePage();

// ---------------------------------------------------------------- messaging

const firstView = settle(firstAnswer);

/**
 * @param {string | null | undefined} text
 * @param {"" | "ok" | "error"} [kind]
 */
function status(text, kind = "") {
  const s = $("status");
  s.textContent = text || "";
  s.className = kind;
}

// a request the user asked for, with its button busy meanwhile; failures go to #status.
// One that may spend (SPENDS) may change something at the provider, so a lost answer means
// "outcome unknown" and the view is refreshed.
/**
 * @template {MessageType} K
 * @param {HTMLButtonElement | null} btn
 * @param {{ type: K } & Requests[K]} msg
 * @returns {Promise<({ ok: true } & Answers[K]) | null>}
 */
async function request(btn, msg) {
  const spend = SPENDS.includes(msg.type);
  if (btn) {
    btn.disabled = true;
    btn.dataset.busy = "1";
  }
  try {
    return await send(msg);
  } catch (x) {
    const e = /** @type {Failure} */ (x);
    status(spend && e.lost ? t("errOutcomeUnknown") : e.message, "error");
    // a spend that reached no worker changed nothing; the view is asked again all the same
    if (spend && (e.outcomeUnknown || e.undelivered)) setTimeout(reload, 500);
    return null;
  } finally {
    if (btn) {
      btn.disabled = false;
      delete btn.dataset.busy;
      tick(); // a countdown disables it again
    }
  }
}

// what an answer to a spending message says: its text, and that a lost answer was reconciled
/** @type {(r: { reconciled?: boolean, message?: string }, fallback?: string) => string} */
const done = (r, fallback = "") => [r.reconciled ? t("reconciled") : null, r.message].filter((x, i, a) => x && a.indexOf(x) === i).join("\n") || fallback;

async function activeTab() {
  if (fixedTab != null) return fixedTab;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

/** @param {string} text */
function ask(text) {
  const d = $("confirm", HTMLDialogElement);
  if (d.open) return Promise.resolve(false);
  $("confirm-text").textContent = text;
  d.returnValue = "";
  d.showModal();
  return new Promise((/** @type {(yes: boolean) => void} */ res) => d.addEventListener("close", () => res(d.returnValue === "yes"), { once: true }));
}

/**
 * @param {string} text
 * @param {HTMLElement} btn
 */
async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = el("textarea", null, text);
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
  const old = btn.textContent;
  btn.textContent = t("copied");
  setTimeout(() => {
    btn.textContent = old;
  }, 1200);
}

// ---------------------------------------------------------------- time

let skew = 0; // the background's clock minus ours, in seconds
const nowS = () => Math.floor(Date.now() / 1000 + skew);

/** @param {number} sec */
function fmtLeft(sec) {
  if (sec <= 0) return t("stateExpired");
  const d = Math.floor(sec / 86400),
    h = Math.floor((sec % 86400) / 3600),
    m = Math.floor((sec % 3600) / 60),
    s = sec % 60;
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}:${String(s).padStart(2, "0")}`;
}

// one formatter each (toLocaleString() builds a new one per call: too slow for thousands of dates)
const fmtTime = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });
const fmtDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });
const fmtDate = new Intl.DateTimeFormat(undefined, { dateStyle: "short" });
const today = new Date().toDateString();
/** @param {number} date seconds */
function stamp(date) {
  const when = new Date(date * 1000);
  return (when.toDateString() === today ? fmtTime : fmtDateTime).format(when);
}

/** @type {(n: Node, s: string) => void} */
const setText = (n, s) => {
  if (n.textContent !== s) n.textContent = s;
};

// countdowns (expiry, enable_at, disable_at) of the rentals built so far
/**
 * @param {Item} it
 * @param {number} now seconds
 */
function tickItem(it, now) {
  for (const n of it.timed) {
    const d = n.dataset;
    if (d.until) setText(n, t("left", fmtLeft(Number(d.until) - now)));
    if (d.enableAt) {
      const w = Number(d.enableAt) - now;
      if (n instanceof HTMLButtonElement) {
        if (!n.dataset.busy) n.disabled = w > 0;
        n.title = w > 0 && w < 86400 && n.classList.contains("cancel") ? t("cancelIn", w) : "";
      } else setText(n, w > 0 && w < 86400 && d.countdown ? t("cancelIn", w) : "");
    }
    if (d.disableAt) n.hidden = now >= Number(d.disableAt);
  }
}
function tick() {
  const now = nowS();
  for (const it of items.values()) if (it.timed.length) tickItem(it, now);
}

// ---------------------------------------------------------------- rentals

/** @type {Record<string, string>} */
const STATE_KEYS = {
  waiting: "stateWaiting",
  received: "stateReceived",
  needs_activation: "stateNeedsActivation",
  activating: "stateActivating",
  waiting_retry: "stateWaitingRetry",
  finished: "stateFinished",
  cancelled: "stateCancelled",
  revoked: "stateRevoked",
  expired: "stateExpired",
};
const otherHeading = () => t("otherSms") || "Other services";

const list = $("rentals");
/** @type {Map<string, Item>} record key -> its <li> */
const items = new Map();
/** @type {Map<string, { sms: SmsView[], other: SmsView[], total: number }>} record key -> its whole history once "Show all" was asked */
const histories = new Map();

/**
 * @param {SmsView} m
 * @param {boolean} own the rental's own SMS (with Copy and Fill), not another service's
 */
function smsBox(m, own, newest = false) {
  const box = el("div", { class: m.unseen ? "sms unseen" : "sms" });
  if (own && m.code) {
    box.append(
      el(
        "div",
        { class: "row" },
        el("mark", { class: "code", text: m.code, "aria-label": t("code") + " " + m.code }),
        el("button", { type: "button", class: "copy-code", "data-do": "copy-code", "data-code": m.code, text: t("copyCode") }),
        el("button", {
          type: "button",
          // the newest code is the one to fill: only its button stands out
          class: newest ? "fill-code newest" : "fill-code",
          "data-do": "fill-code",
          "data-code": m.code,
          "data-sms": m.key,
          "data-focus": "fill-code:" + m.key,
          text: t("fillCode"),
        }),
      ),
    );
  }
  box.append(
    el("div", { class: "text", text: m.text }),
    el("div", { class: "meta", text: [m.from, m.date ? stamp(m.date) : null].filter(Boolean).join(" · ") }),
  );
  return box;
}

/** @type {Intl.DisplayNames | null} */
let regions = null;
/** @param {string} iso */
function regionName(iso) {
  try {
    regions ||= new Intl.DisplayNames([chrome.i18n.getUILanguage()], { type: "region" });
    return regions.of(iso);
  } catch {
    return iso;
  }
}

// a view entry with its lists present and its words as text (the view is typed, but one
// odd entry must not take the whole list down)
/** @param {RentalView} r */
function normal(r) {
  r.actions ||= [];
  r.sms ||= [];
  r.other ||= [];
  r.sms_total ??= r.sms.length;
  r.other_total ??= r.other.length;
  for (const a of r.actions) {
    a.label = say(a.label);
    a.confirm = say(a.confirm);
    a.note = say(a.note);
    a.options ||= [];
    for (const o of a.options) o.label = say(o.label);
  }
  if (r.notice) r.notice = { code: r.notice.code, message: errText(r.notice) };
  if (!r.country_name && r.country_iso) r.country_name = regionName(r.country_iso);
  return r;
}

/**
 * @param {RentalView} r
 * @param {string} sig
 * @returns {Item}
 */
function build(r, sig) {
  /** @type {HTMLElement[]} */
  const timed = [];
  const li = el("li", { "data-record": r.key, class: r.open ? "open" : "closed", "aria-label": `+${r.number} ${r.service_name || r.service || ""}` });
  const fill = r.actions.findIndex((a) => a.intent === "fill-number");
  li.append(
    el(
      "div",
      { class: "row" },
      el("span", { class: "state " + r.state, text: (STATE_KEYS[r.state] && t(STATE_KEYS[r.state])) || r.state }),
      el("span", { class: "number", text: "+" + r.number }),
      el("button", { type: "button", class: "copy-number", "data-do": "copy-number", "data-focus": "copy-number", text: t("copy"), label: t("copyNumber") }),
      fill >= 0
        ? el("button", {
            type: "button",
            class: "fill-number",
            "data-do": "intent",
            "data-i": fill,
            "data-focus": "fill-number",
            text: r.actions[fill].label || t("fill"),
            label: t("fillNumber"),
          })
        : null,
    ),
    el("div", {
      class: "meta",
      text: [
        r.service_name || r.service,
        r.country_name || r.country,
        t(r.kind === "activation" ? "kindActivation" : "kindRent"),
        r.account_label,
        r.bound_host ? "⇄ " + r.bound_host : null,
      ]
        .filter(Boolean)
        .join(" · "),
    }),
  );
  if (r.until) {
    const left = el("span", { class: "left", "data-until": r.until });
    timed.push(left);
    li.append(el("div", { class: "meta" }, `${t("expires")}: ${fmtDateTime.format(new Date(r.until * 1000))} · `, left));
  }
  if (r.notice) li.append(el("p", { class: "notice", role: "note", text: say(r.notice.message) }));
  let h = histories.get(r.key);
  if (h && h.total !== r.sms_total + r.other_total) {
    // new SMS since the whole history was fetched: show the view's, fetch the history again
    histories.delete(r.key);
    h = undefined;
    queueMicrotask(() => loadHistory(r));
  }
  const own = h ? h.sms : r.sms;
  const other = h ? h.other : r.other;
  if (!own.length && !other.length && r.open) li.append(el("div", { class: "meta", text: t("noSms") }));
  const ownBox = el("div", { class: "sms-list" });
  const newest = own.find((m) => m.code);
  for (const m of own) ownBox.append(smsBox(m, true, m === newest));
  li.append(ownBox);
  if (other.length || r.other_total) {
    const sec = el("section", { class: "other-sms" }, el("h3", { text: otherHeading() }));
    for (const m of other) sec.append(smsBox(m, false));
    li.append(sec);
  }
  if (!h && (r.sms_total > r.sms.length || r.other_total > r.other.length)) {
    li.append(el("button", { type: "button", class: "more", "data-do": "more", text: t("showAll", r.sms_total + r.other_total) }));
  }
  const acts = el("div", { class: "row actions" });
  r.actions.forEach((a, i) => {
    if (i === fill) return;
    const g = el("span", { class: "act" });
    if (a.options?.length) {
      g.append(
        el(
          "select",
          { "data-intent": a.intent, "data-focus": "select:" + a.intent, "aria-label": a.label },
          ...a.options.map((o) => el("option", { value: o.value, text: o.label })),
        ),
      );
    }
    const b = el("button", {
      type: "button",
      class: a.primary ? `${a.intent} primary` : a.intent,
      "data-do": "intent",
      "data-i": i,
      "data-focus": "intent:" + a.intent,
      text: a.label,
    });
    g.append(b);
    if (a.enable_at) {
      b.dataset.enableAt = String(a.enable_at);
      // the locale has words for a cancel's wait only; other waits just keep the button disabled
      const wait = el("span", { class: "meta wait", "data-enable-at": a.enable_at, "data-countdown": a.intent === "cancel" ? "1" : null });
      g.append(wait);
      timed.push(b, wait);
    }
    if (a.note) g.append(el("span", { class: "meta note", text: a.note }));
    if (a.disable_at) {
      g.dataset.disableAt = String(a.disable_at);
      timed.push(g);
    }
    acts.append(g);
  });
  if (acts.firstChild) li.append(acts);
  const it = { li, sig, r, timed };
  if (timed.length) tickItem(it, nowS());
  return it;
}

// puts rental r at the position after `prev`, building or rebuilding its <li> when its view changed
/**
 * @param {RentalView} r
 * @param {ChildNode | null} prev
 * @returns {HTMLLIElement}
 */
function place(r, prev) {
  const sig = JSON.stringify(normal(r));
  let it = items.get(r.key);
  if (!it || it.sig !== sig) {
    const old = it;
    try {
      it = build(r, sig);
    } catch (e) {
      it = {
        li: el(
          "li",
          { "data-record": r.key },
          el("span", { class: "number", text: "+" + r.number }),
          el("p", { class: "notice", text: String((e instanceof Error && e.message) || e) }),
        ),
        sig,
        r,
        timed: [],
      };
    }
    items.set(r.key, it);
    if (old) {
      // keep what the user was doing in this rental: chosen options and focus
      for (const s of old.li.querySelectorAll("select[data-intent]")) {
        if (!(s instanceof HTMLSelectElement)) continue;
        const n = it.li.querySelector(`select[data-intent="${s.dataset.intent}"]`);
        if (!(n instanceof HTMLSelectElement)) continue;
        if (n && [...n.options].some((o) => o.value === s.value)) n.value = s.value;
      }
      const active = document.activeElement;
      const focus = active instanceof HTMLElement && old.li.contains(active) ? active.dataset.focus : null;
      old.li.replaceWith(it.li);
      const again = focus ? it.li.querySelector(`[data-focus="${CSS.escape(focus)}"]`) : null;
      if (again instanceof HTMLElement) again.focus();
    }
  }
  it.li.hidden = filterKeys !== null && !filterKeys.has(r.key);
  const want = prev ? prev.nextSibling : list.firstChild;
  if (it.li !== want) list.insertBefore(it.li, want);
  return it.li;
}

let gen = 0; // a newer view stops the idle chunks of an older one
/** @type {(f: (deadline: IdleDeadline | null) => void) => void} */
const idle = "requestIdleCallback" in window ? (f) => void requestIdleCallback(f, { timeout: 200 }) : (f) => void setTimeout(() => f(null), 0);

/**
 * @param {RentalView[]} rentals
 * @param {boolean} partial the first rentals only: the others stay
 */
function renderRentals(rentals, partial) {
  const g = ++gen;
  const keys = new Set(rentals.map((r) => r.key));
  for (const [k, it] of items) {
    if (!keys.has(k) && !partial) {
      it.li.remove();
      items.delete(k);
      histories.delete(k);
    }
  }
  let i = 0;
  /** @type {ChildNode | null} */
  let prev = null;
  for (; i < rentals.length && i < FIRST; i++) prev = place(rentals[i], prev);
  /** @param {IdleDeadline | null} deadline */
  const chunk = (deadline) => {
    if (g !== gen) return;
    // an idle period lasts up to 50 ms when nothing else is due; without one, CHUNK_MS
    const end = deadline && !deadline.didTimeout ? Infinity : performance.now() + CHUNK_MS;
    do prev = place(rentals[i++], prev);
    while (i < rentals.length && performance.now() < end && (!deadline || deadline.didTimeout || deadline.timeRemaining() > 2));
    if (i < rentals.length) idle(chunk);
    else if (!partial) allRendered();
  };
  if (i < rentals.length) idle(chunk);
  else if (!partial) allRendered();
}

function allRendered() {
  if (!performance.getEntriesByName("otpdock:all-rendered").length) performance.mark("otpdock:all-rendered");
}

let shownHead = "";
/** @param {View} v */
function render(v) {
  v.rentals ||= [];
  v.accounts ||= [];
  skew = v.now ? v.now - Date.now() / 1000 : 0;
  const head = JSON.stringify([v.accounts, v.banners, v.unseen, v.rentals.length > 0]);
  if (head !== shownHead) {
    shownHead = head;
    $("loading").hidden = true;
    $("balances").textContent = v.accounts
      .filter((a) => a.balance != null)
      .map((a) => `${accountName(a)}: ${a.balance_text || a.balance}`)
      .join(" · ");
    $("balances").title = t("balance");
    const banners = [
      ...v.accounts.filter((a) => a.error).map((a) => ({ level: "error", message: `${accountName(a)}: ${errText(a.error)}` })),
      ...(v.banners || []).map((b) => ({ level: b.level, message: say(b.message) || t("banner_" + b.code, ...(b.params || [])) || b.code })),
    ];
    $("banners").replaceChildren(
      ...banners.map((b) =>
        el("p", { class: "banner " + (b.level === "warn" ? "warn" : "error"), role: b.level === "error" ? "alert" : "status", text: b.message }),
      ),
    );
    $("unseen").textContent = v.unseen ? String(v.unseen) : "";
    $("unseen").hidden = !v.unseen;
    $("unseen").title = v.unseen ? t("newSms", v.unseen) : "";
    const empty = !v.rentals.length && !v.rentals_total;
    $("empty").hidden = !empty;
    $("empty-hint").textContent = v.accounts.length ? t("emptyHint") : t("noAccounts");
    $("open-settings").hidden = v.accounts.length > 0;
    $("filter-box").hidden = empty;
    $("new-rental").hidden = !v.accounts.length;
    $("archive").hidden = !v.accounts.length;
  }
  // each rental is compared with what its <li> shows; unchanged ones are left alone
  // (a partial view only adds and updates: the rentals after it are not gone)
  renderRentals(v.rentals, partial(v));
  // a filtered list asks again which rentals match (new SMS may)
  if (filterKeys) onFilterInput();
}
// a view of the first rentals only (answering `limit`); the rest are still in the list
/** @param {View} v */
const partial = (v) => (v.rentals_total ?? 0) > v.rentals.length;

// ---------------------------------------------------------------- filter box
// Which rentals match is decided in Rust over every rental and its whole SMS history
// (`Dock.matches`); the popup hides the others and builds the matching ones it has not
// built yet at once (the rest wait for the filter to be cleared).

/** @type {Set<string> | null} */
let filterKeys = null; // the record keys the filter keeps; null: no filter
let filterSeq = 0;
let filterTimer = 0;

async function applyFilter() {
  const q = $("filter", HTMLInputElement).value.trim();
  const mine = ++filterSeq;
  if (!q) {
    filterKeys = null;
    for (const it of items.values()) it.li.hidden = false;
    $("filter-count").textContent = "";
    if (lastView) renderRentals(lastView.rentals, partial(lastView));
    return;
  }
  let r;
  try {
    r = await send({ type: "filter", query: q });
  } catch (e) {
    return status(e instanceof Error ? e.message : String(e), "error");
  }
  if (mine !== filterSeq) return; // a newer query is on its way
  const keep = new Set(r.keys || []);
  filterKeys = keep;
  for (const [k, it] of items) it.li.hidden = !keep.has(k);
  if (lastView)
    renderRentals(
      lastView.rentals.filter((x) => keep.has(x.key)),
      true,
    );
  const total = lastView ? Math.max(lastView.rentals_total || 0, lastView.rentals.length) : 0;
  $("filter-count").textContent = keep.size ? t("filterCount", keep.size, total) : t("filterNone");
}

function onFilterInput() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 120);
}

$("filter").addEventListener("input", onFilterInput);
$("filter").addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || !$("filter", HTMLInputElement).value) return;
  // Escape clears the filter (and does not close the popup)
  e.preventDefault();
  e.stopPropagation();
  $("filter", HTMLInputElement).value = "";
  clearTimeout(filterTimer);
  applyFilter();
});

// ---------------------------------------------------------------- rental actions

list.addEventListener("click", (e) => {
  const b = e.target instanceof Element ? e.target.closest("button[data-do]") : null;
  const li = b?.closest("li[data-record]");
  const it = li instanceof HTMLElement && items.get(li.dataset.record || "");
  if (!it || !(b instanceof HTMLButtonElement)) return;
  const r = it.r;
  switch (b.dataset.do) {
    case "copy-number":
      return copy("+" + r.number, b);
    case "copy-code":
      return copy(b.dataset.code || "", b);
    case "fill-code":
      return fillCode(r, b.dataset.code || "", b.dataset.sms || "", b);
    case "more":
      return loadHistory(r, b);
    case "intent":
      return doIntent(r, r.actions[Number(b.dataset.i)], b);
  }
});

/**
 * @param {RentalView} r
 * @param {string} code
 * @param {string} sms its key
 * @param {HTMLButtonElement} btn
 */
async function fillCode(r, code, sms, btn) {
  const tabId = await activeTab();
  const x = await request(btn, { type: "fill-code", tabId, code, record: r.key, sms });
  if (x) status(t("filled", x.filled), "ok");
}

/**
 * @param {RentalView} r
 * @param {HTMLButtonElement | null} [btn]
 */
async function loadHistory(r, btn = null) {
  const h = await request(btn, { type: "history", record: r.key });
  if (!h) return;
  const it = items.get(r.key);
  if (!it) return; // gone meanwhile
  // the totals this history answers; if the rental has more by now, its rebuild asks again
  histories.set(r.key, { sms: h.sms || [], other: h.other || [], total: r.sms_total + r.other_total });
  it.sig = "";
  place(it.r, it.li.previousSibling);
}

/**
 * @param {RentalView} r
 * @param {Action | undefined} a
 * @param {HTMLButtonElement} btn
 */
async function doIntent(r, a, btn) {
  if (!a) return;
  if (a.intent === "fill-number") {
    const tabId = await activeTab();
    const x = await request(btn, { type: "fill-phone", tabId, phone: "+" + r.number, record: r.key });
    if (x) status(t("filled", x.filled), "ok");
    return;
  }
  const found = a.options?.length ? btn.parentElement?.querySelector("select[data-intent]") : null;
  const sel = found instanceof HTMLSelectElement ? found : null;
  const option = sel ? sel.value : undefined;
  let question = say(a.confirm);
  if (a.quote) {
    const q = await request(btn, { type: "quote", record: r.key, option });
    if (!q) return;
    // the price line comes worded from Rust: the amount with its currency, or that it is unknown
    question = [question || `${a.label} +${r.number}?`, [sel?.selectedOptions[0]?.text, q.label].filter(Boolean).join(" · ")].join("\n");
  } else if (question && sel) question += "\n" + sel.selectedOptions[0].text;
  if (question && !(await ask(question))) return;
  const x = await request(btn, { type: "intent", record: r.key, intent: a.intent, ...(option !== undefined ? { option } : {}) });
  if (!x) return;
  status(done(x), "ok");
  reload();
}

// ---------------------------------------------------------------- loading the view

/** @type {View | null} */
let lastView = null;
let seq = 0,
  applied = 0,
  appliedAt = 0;
/**
 * @param {"view" | "refresh"} type
 * @param {Promise<{ view: View }>} [answer] the answer to a request already sent
 */
async function load(type, answer) {
  const mine = ++seq;
  let r;
  try {
    r = await (answer || send({ type }));
  } catch (e) {
    // a stopped worker starts again on the next message: ask once more
    if (!(/** @type {Failure} */ (e).lost)) throw e;
    await new Promise((res) => setTimeout(res, 300));
    r = await send({ type });
  }
  // the latest view made wins, whichever answer arrives last: a refresh's view is made after
  // its poll, after the views asked meanwhile (by request order for a view without at_ms)
  const at = r.view?.at_ms || 0;
  if (at ? at < appliedAt : mine < applied) return;
  applied = Math.max(applied, mine);
  appliedAt = Math.max(appliedAt, at);
  lastView = r.view;
  render(r.view);
}

const reload = () => load("view").catch((e) => status(e.message, "error"));

// storage changes: at most one view request per THROTTLE_MS, the last change always seen
/** @type {ReturnType<typeof setTimeout> | 0} */
let throttle = 0;
let lastLoad = 0,
  again = false;
function onStoreChange() {
  if (throttle) {
    again = true;
    return;
  }
  const wait = Math.max(0, lastLoad + THROTTLE_MS - Date.now());
  throttle = setTimeout(async () => {
    lastLoad = Date.now();
    again = false;
    try {
      await load("view");
    } catch (e) {
      status(/** @type {Failure} */ (e).message, "error");
    }
    throttle = 0;
    if (again) onStoreChange();
  }, wait);
}

// ---------------------------------------------------------------- new rental

/** @type {Catalogue | null} */
let cat = null;
let catSeq = 0;
/** @typedef {{ account?: string, kind?: string | null, service?: string, country?: string | null, operator?: string | null, duration?: string | null }} Choices */
/** @type {Choices} the last rental's choices (chrome.storage.local lastRent), offered again */
let pending = {};

/** @param {string} id */
const select = (id) => $(id, HTMLSelectElement);

/**
 * @param {HTMLSelectElement} sel
 * @param {{ value: string, label: import("../shared/messages.js").Words }[]} options
 * @param {string | null | undefined} value
 */
function fillSelect(sel, options, value) {
  sel.replaceChildren(...options.map((o) => el("option", { value: o.value, text: say(o.label) })));
  if (value != null && options.some((o) => o.value === String(value))) sel.value = String(value);
}

/** @param {string | null} changed the id of the choice the user changed (null: the form opened) */
async function loadForm(changed) {
  const accSel = select("f-account");
  const accounts = lastView?.accounts || [];
  if (!accSel.options.length) {
    accSel.replaceChildren(
      ...accounts.map((a) => el("option", { value: a.id, text: a.label ? `${a.label} (${providerName(a.provider)})` : providerName(a.provider) })),
    );
    /** @type {{ lastRent?: Choices }} */
    const { lastRent } = await chrome.storage.local.get("lastRent");
    if (lastRent && accounts.some((a) => a.id === lastRent.account)) {
      pending = lastRent;
      accSel.value = lastRent.account || "";
    }
  }
  const account = accSel.value;
  if (!account) return;
  if (pending.account && pending.account !== account) pending = {};
  const fresh = !changed || changed === "f-account";
  /** @type {(id: string, key: keyof Choices) => string | undefined} */
  const pick = (id, key) => (!fresh && select(id).value ? select(id).value : pending[key] || undefined);
  /** @type {{ type: "catalogue" } & Requests["catalogue"]} */
  const msg = { type: "catalogue", account, kind: pick("f-kind", "kind"), country: pick("f-country", "country"), duration: pick("f-duration", "duration") };
  const mine = ++catSeq;
  $("quote").textContent = t("loading");
  $("rent", HTMLButtonElement).disabled = true;
  let r;
  try {
    r = await send(msg);
  } catch (e) {
    if (mine !== catSeq) return;
    $("quote").textContent = "";
    return status(/** @type {Failure} */ (e).message, "error");
  }
  if (mine !== catSeq) return;
  cat = r;
  for (const x of r.services || []) x.label = say(x.label) || "";
  fillSelect(select("f-kind"), r.kinds || [], msg.kind);
  $("l-kind").hidden = !r.kinds?.length;
  fillSelect(select("f-country"), r.countries || [], r.country ?? msg.country);
  const op = select("f-operator").value || pending.operator;
  fillSelect(select("f-operator"), r.operators || [], op);
  $("l-operator").hidden = !r.operators?.length;
  fillSelect(select("f-duration"), r.durations || [], r.duration ?? msg.duration);
  $("l-duration").hidden = !r.durations?.length;
  fillServices();
}

// services matching the filter (code or name), keeping the selection when it still matches
function fillServices() {
  const q = $("f-filter", HTMLInputElement).value.trim().toLowerCase();
  const keep = select("f-service").value || pending.service;
  const svc = (cat?.services || []).filter((s) => !q || s.value.toLowerCase().includes(q) || (s.label || "").toLowerCase().includes(q));
  select("f-service").replaceChildren(...svc.map((s) => el("option", { value: s.value, text: `${s.label || s.value} — ${say(s.price)} · ${s.count ?? "?"}` })));
  if (keep && svc.some((s) => s.value === keep)) select("f-service").value = keep;
  showQuote();
}

function showQuote() {
  const s = cat?.services?.find((x) => x.value === select("f-service").value);
  // the price comes worded from Rust: with its currency, or that it is unknown
  $("quote").textContent = s ? `${t("price")}: ${say(s.price)} · ${t("available")}: ${s.count ?? "?"}` : "";
  $("rent", HTMLButtonElement).disabled = !s || s.count === 0;
}

/** @param {SubmitEvent} e */
async function submitRent(e) {
  e.preventDefault();
  const account = select("f-account").value;
  const s = cat?.services?.find((x) => x.value === select("f-service").value);
  if (!account || !s) return;
  const country = select("f-country").selectedOptions[0]?.text || "";
  if (!(await ask(t("confirmRent", s.label || s.value, country, say(s.price) || "")))) return;
  const choice = {
    account,
    kind: select("f-kind").value || null,
    service: s.value,
    country: select("f-country").value || null,
    operator: select("f-operator").value || null,
    duration: select("f-duration").value || null,
  };
  const r = await request($("rent", HTMLButtonElement), { type: "rent", ...choice });
  showQuote();
  if (!r) return;
  status(done(r), "ok");
  const lastRent = { ...choice, kind: choice.kind || "", operator: choice.operator || "", duration: choice.duration || "" };
  chrome.storage.local.set({ lastRent });
  pending = lastRent;
  $("new-rental", HTMLDetailsElement).open = false;
  reload();
}

// ---------------------------------------------------------------- archive

async function loadArchive() {
  const box = $("archive-list");
  box.replaceChildren(el("li", { class: "meta", text: t("loading") }));
  const r = await request(null, { type: "archive" });
  const items = r?.items || [];
  if (!items.length) return box.replaceChildren(el("li", { class: "meta", text: t("noArchive") }));
  box.replaceChildren(
    ...items.map((it) => {
      const b = el("button", { type: "button", class: "restore", text: t("restore") });
      b.onclick = async () => {
        const q = await request(b, { type: "restore-quote", account: it.account, id: it.id });
        if (!q || !(await ask(q.confirm))) return;
        const x = await request(b, { type: "restore", account: it.account, id: it.id });
        if (!x) return;
        status(done(x, t("saved")), "ok");
        load("refresh").catch((e) => status(e.message, "error"));
        loadArchive();
      };
      const when = it.closed ? fmtDate.format(new Date(it.closed * 1000)) : "";
      return el(
        "li",
        null,
        el(
          "div",
          { class: "row" },
          el("span", { class: "number", text: "+" + it.number }),
          el("span", { class: "svc", text: it.service }),
          el("span", { class: "meta", text: when }),
          b,
        ),
      );
    }),
  );
}

// ---------------------------------------------------------------- wiring

$("refresh", HTMLButtonElement).onclick = async () => {
  const b = $("refresh", HTMLButtonElement);
  b.disabled = true;
  try {
    await load("refresh");
  } catch (err) {
    status(/** @type {Failure} */ (err).message, "error");
  } finally {
    b.disabled = false;
  }
};
$("settings").onclick = () => chrome.runtime.openOptionsPage();
$("open-settings").onclick = () => chrome.runtime.openOptionsPage();
$("rent-form").addEventListener("submit", submitRent);
$("new-rental").addEventListener("toggle", () => $("new-rental", HTMLDetailsElement).open && loadForm(null));
for (const id of ["f-account", "f-kind", "f-country", "f-duration"]) $(id).addEventListener("change", () => loadForm(id));
$("f-service").addEventListener("change", showQuote);
$("f-filter").addEventListener("input", fillServices);
$("archive").addEventListener("toggle", () => $("archive", HTMLDetailsElement).open && loadArchive());
chrome.storage.onChanged.addListener((ch) => {
  // the popup's own remembered choice is no news
  if (Object.keys(ch).some((k) => k !== "lastRent")) onStoreChange();
});
setInterval(tick, 1000);

(async () => {
  try {
    try {
      await load("view", firstView);
    } catch (e) {
      if (/** @type {Failure} */ (e).lost) throw e;
      // a background that refused `limit`, or a first view that reached no worker (send() asks again)
      await load("view");
    }
  } catch (e) {
    $("loading").hidden = true;
    status(/** @type {Failure} */ (e).message, "error");
  }
  requestAnimationFrame(() => {
    performance.mark("otpdock:first-render");
    // after the first frame: the whole view if the first was partial; the user has now
    // seen what is new (the highlight stays until the next open); a poll brings the
    // providers' news
    setTimeout(async () => {
      if (lastView && partial(lastView)) await reload();
      send({ type: "seen" }).catch(() => {});
      load("refresh").catch((e) => status(e.message, "error"));
    }, 0);
  });
})();
