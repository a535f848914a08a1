// OTP Dock popup: rentals, SMS, codes and actions. Everything from a provider
// or an SMS is rendered with textContent only.
const t = (k, ...a) => chrome.i18n.getMessage(k, a.map(String)) || k;
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const fixedTab = params.has("tab") ? Number(params.get("tab")) : null;

function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k === "label") e.setAttribute("aria-label", v), (e.title = v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids) if (c != null) e.append(c);
  return e;
}

for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
for (const n of document.querySelectorAll("[data-i18n-placeholder]")) n.placeholder = t(n.dataset.i18nPlaceholder);
for (const n of document.querySelectorAll("[data-i18n-label]")) {
  n.setAttribute("aria-label", t(n.dataset.i18nLabel));
  n.title = t(n.dataset.i18nLabel);
}
document.documentElement.lang = chrome.i18n.getUILanguage();

async function send(msg) {
  const r = await chrome.runtime.sendMessage(msg);
  if (!r?.ok) throw r?.error || { code: "INTERNAL", message: "?" };
  return r;
}

function status(text, kind = "") {
  const s = $("status");
  s.textContent = text || "";
  s.className = kind;
}

async function run(btn, fn, okText) {
  if (btn) btn.disabled = true;
  try {
    const r = await fn();
    if (okText) status(typeof okText === "function" ? okText(r) : okText, "ok");
    return r;
  } catch (e) {
    status(e.message || String(e), "error");
  } finally {
    if (btn) btn.disabled = false;
  }
}

async function activeTab() {
  if (fixedTab != null) return fixedTab;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

const STATE_KEYS = { waiting: "stateWaiting", received: "stateReceived", needs_activation: "stateNeedsActivation", activating: "stateActivating", waiting_retry: "stateWaitingRetry", finished: "stateFinished", cancelled: "stateCancelled", revoked: "stateRevoked", expired: "stateExpired" };
const OPEN = new Set(["waiting", "received", "needs_activation", "activating", "waiting_retry"]);
const SO_COUNTRIES = { 0: "Russia", 1: "Ukraine", 2: "Kazakhstan", 3: "China", 4: "Philippines", 6: "Indonesia", 10: "Vietnam", 12: "USA (virtual)", 15: "Poland", 16: "United Kingdom", 22: "India", 32: "Romania", 36: "Canada", 43: "Germany", 62: "Turkey", 73: "Brazil", 78: "France", 86: "Italy", 187: "USA" };

let view = null;

function fmtLeft(sec) {
  if (sec <= 0) return t("stateExpired");
  const d = Math.floor(sec / 86400), h = Math.floor((sec % 86400) / 3600), m = Math.floor((sec % 3600) / 60), s = sec % 60;
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}:${String(s).padStart(2, "0")}`;
}

async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = el("textarea", {}, text);
    document.body.append(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
  const old = btn.textContent;
  btn.textContent = t("copied");
  setTimeout(() => (btn.textContent = old), 1200);
}

function act(account, request, btn, confirmText) {
  return async () => {
    if (confirmText && !(await ask(confirmText))) return;
    const r = await run(btn, () => send({ type: "action", account, request }), (r) => (r.reconciled ? t("reconciled") : ""));
    if (r) refresh(false);
  };
}

function ask(text) {
  const d = $("confirm");
  $("confirm-text").textContent = text;
  d.showModal();
  return new Promise((res) => d.addEventListener("close", () => res(d.returnValue === "yes"), { once: true }));
}

function rentalItem(key, rec, acc) {
  const r = rec.rental;
  const open = OPEN.has(r.state);
  const li = el("li", { "data-record": key, "aria-label": `+${r.number} ${r.service_name || r.service || ""}` });
  const number = "+" + r.number;
  li.append(
    el("div", { class: "row" },
      el("span", { class: "state " + r.state, text: t(STATE_KEYS[r.state] || r.state) }),
      el("span", { class: "number", text: number }),
      el("button", { type: "button", class: "copy-number", text: t("copy"), label: t("copyNumber"), onclick: (e) => copy(number, e.currentTarget) }),
      open ? el("button", { type: "button", class: "fill-number", text: t("fill"), label: t("fillNumber"), onclick: (e) => fillNumber(key, r, e.currentTarget) }) : null,
    ),
  );
  const meta = [r.service_name || r.service, r.country ? (r.provider === "smsonline" ? SO_COUNTRIES[r.country] || r.country : r.country) : null, r.kind === "activation" ? t("kindActivation") : t("kindRent"), acc?.label || acc?.provider].filter(Boolean).join(" · ");
  li.append(el("div", { class: "meta", text: meta }));
  if (r.until) {
    const left = el("span", { class: "left", "data-until": r.until });
    li.append(el("div", { class: "meta" }, `${t("expires")}: ${new Date(r.until * 1000).toLocaleString()} · `, left));
  }
  const sms = rec.sms || [];
  if (!sms.length && open) li.append(el("div", { class: "meta", text: t("noSms") }));
  // the newest 3 first; the rest of the history one click away (nothing is ever dropped)
  const smsBox = (m) => {
    const box = el("div", { class: "sms" + (rec.unseen?.includes(m.key) ? " unseen" : "") });
    if (m.code) {
      box.append(
        el("div", { class: "row" },
          el("mark", { class: "code", text: m.code, "aria-label": t("code") + " " + m.code }),
          el("button", { type: "button", class: "copy-code", text: t("copyCode"), onclick: (e) => copy(m.code, e.currentTarget) }),
          el("button", { type: "button", class: "fill-code primary", text: t("fillCode"), onclick: (e) => fillCode(m.code, e.currentTarget, key, m.key) }),
        ),
      );
    }
    const when = new Date(m.date * 1000);
    const stamp = when.toDateString() === new Date().toDateString() ? when.toLocaleTimeString() : when.toLocaleString();
    box.append(el("div", { class: "text", text: m.text }), el("div", { class: "meta", text: [m.from, stamp].filter(Boolean).join(" · ") }));
    return box;
  };
  for (const m of sms.slice(0, 3)) li.append(smsBox(m));
  if (sms.length > 3) {
    const more = el("button", { type: "button", class: "more", text: t("showAll", sms.length) });
    more.onclick = () => more.replaceWith(...sms.slice(3).map(smsBox));
    li.append(more);
  }
  if (open) li.append(actions(key, rec, acc));
  return li;
}

function actions(key, rec, acc) {
  const r = rec.rental;
  const a = el("div", { class: "row actions" });
  const id = r.id;
  const account = rec.account;
  if (r.provider === "smsonline" && r.kind === "activation") {
    const got = (rec.sms || []).length > 0;
    if (got) {
      a.append(el("button", { type: "button", text: t("anotherSms"), onclick: (e) => act(account, { method: "setStatus", id, status: 3 }, e.currentTarget)() }));
      a.append(el("button", { type: "button", text: t("finish"), onclick: (e) => act(account, { method: "setStatus", id, status: 6 }, e.currentTarget)() }));
    } else {
      const wait = r.created ? r.created + 120 - Math.floor(Date.now() / 1000) : 0;
      const b = el("button", { type: "button", class: "cancel", text: t("cancel"), onclick: (e) => act(account, { method: "setStatus", id, status: 8 }, e.currentTarget)() });
      if (wait > 0) {
        b.disabled = true;
        b.dataset.enableAt = r.created + 120;
        b.title = t("cancelIn", wait);
        a.append(b, el("span", { class: "meta cancel-wait", "data-enable-at": r.created + 120, text: t("cancelIn", wait) }));
      } else a.append(b);
    }
  } else if (r.provider === "smsonline") {
    const hours = el("select", { "aria-label": t("duration") }, ...[4, 8, 12, 24, 72, 168, 360, 720].map((h) => el("option", { value: h, text: t("hours", h) })));
    a.append(hours, el("button", { type: "button", text: t("prolong"), onclick: (e) => act(account, { method: "continueRentNumber", id, rent_time: Number(hours.value) }, e.currentTarget, `${t("prolong")} +${r.number}: ${t("hours", hours.value)}?`)() }));
    a.append(el("button", { type: "button", text: t("finish"), onclick: (e) => act(account, { method: "setRentStatus", id, status: 1 }, e.currentTarget)() }));
    if (!(rec.sms || []).length) a.append(el("button", { type: "button", text: t("cancel"), onclick: (e) => act(account, { method: "setRentStatus", id, status: 2 }, e.currentTarget)() }));
  } else {
    if (r.state === "needs_activation") a.append(el("button", { type: "button", class: "primary", text: t("activate"), onclick: (e) => act(account, { method: "activate", id }, e.currentTarget)() }));
    if (r.can_prolong) {
      const max = r.prolong_max_days ?? 0;
      const opts = [["week", 1], ["week", 2], ["month", 1], ["month", 2]].filter(([u, n]) => (u === "week" ? 7 : 30) * n <= max);
      if (opts.length) {
        const sel = el("select", { "aria-label": t("duration") }, ...opts.map(([u, n]) => el("option", { value: u + ":" + n, text: t(u === "week" ? "weeks" : "months", n) })));
        a.append(sel, el("button", { type: "button", text: t("prolong"), onclick: (e) => { const [dtype, n] = sel.value.split(":"); act(account, { method: "prolong", id, dtype, dcount: Number(n) }, e.currentTarget, `${t("prolong")} +${r.number}: ${sel.selectedOptions[0].text}?`)(); } }));
      }
      a.append(el("span", { class: "meta", text: t("prolongMax", max) }));
    } else a.append(el("span", { class: "meta", text: t("prolongLater") }));
    a.append(el("button", { type: "button", text: t("addService"), onclick: (e) => addService(account, r, e.currentTarget) }));
    a.append(el("button", { type: "button", text: t("delete"), onclick: (e) => act(account, { method: "delete", id }, e.currentTarget, `${t("delete")} +${r.number}?`)() }));
  }
  return a;
}

async function addService(account, r, btn) {
  const data = await run(btn, () => send({ type: "action", account, request: { method: "getdata", country: r.country || "RU" } }));
  if (!data) return;
  const sel = el("select", { "aria-label": t("service") }, ...data.result.map((s) => el("option", { value: s.service, text: s.name })));
  const go = el("button", { type: "button", text: t("confirm"), onclick: (e) => act(account, { method: "add_service_to_order", id: r.id, service: sel.value, pnumber: r.number }, e.currentTarget)() });
  btn.replaceWith(sel, go);
}

async function fillCode(code, btn, record, sms) {
  const tabId = await activeTab();
  await run(btn, () => send({ type: "fill-code", tabId, code, record, sms }), (r) => t("filled", r.filled));
}

async function fillNumber(key, r, btn) {
  const tabId = await activeTab();
  await run(btn, () => send({ type: "fill-phone", tabId, phone: "+" + r.number, dialCode: r.dial_code || "", iso: r.provider === "smspva" ? r.country || "" : "", record: key }), (x) => t("filled", x.filled));
}

function render() {
  const v = view;
  $("loading").hidden = true;
  const accounts = Object.fromEntries(v.accounts.map((a) => [a.id, a]));
  const bal = $("balances");
  bal.textContent = v.accounts
    .filter((a) => v.store.balances?.[a.id] != null)
    .map((a) => `${t("balance")}: ${v.store.balances[a.id].toFixed(2)}`)
    .join(" · ");
  const errs = Object.entries(v.store.errors || {}).filter(([id]) => accounts[id]);
  if (errs.length) status(errs.map(([id, e]) => `${accounts[id].label || accounts[id].provider}: ${e.message}`).join("\n"), "error");
  const list = $("rentals");
  const recs = Object.entries(v.store.records || {})
    .filter(([, r]) => accounts[r.account])
    .sort(([, a], [, b]) => (OPEN.has(b.rental.state) - OPEN.has(a.rental.state)) || (b.rental.created || 0) - (a.rental.created || 0));
  list.replaceChildren(...recs.map(([k, r]) => rentalItem(k, r, accounts[r.account])));
  const empty = !recs.length;
  $("empty").hidden = !empty;
  $("empty-hint").textContent = v.accounts.length ? t("emptyHint") : t("noAccounts");
  $("open-settings").hidden = v.accounts.length > 0;
  $("new-rental").hidden = !v.accounts.length;
  $("archive").hidden = !v.accounts.some((a) => a.provider === "smspva");
  tick();
}

function tick() {
  const nowS = Math.floor(Date.now() / 1000);
  for (const s of document.querySelectorAll("[data-until]")) s.textContent = t("left", fmtLeft(Number(s.dataset.until) - nowS));
  for (const b of document.querySelectorAll("button[data-enable-at]")) {
    const w = Number(b.dataset.enableAt) - nowS;
    b.disabled = w > 0;
    b.title = w > 0 ? t("cancelIn", w) : "";
  }
  for (const s of document.querySelectorAll("span[data-enable-at]")) {
    const w = Number(s.dataset.enableAt) - nowS;
    s.textContent = w > 0 ? t("cancelIn", w) : "";
  }
}

// what the list shows; polls that change nothing visible (timestamps) do not re-render,
// so an open select or a focused button in the list keeps its state
function signature(v) {
  const recs = Object.entries(v.store.records || {}).map(([k, r]) => [k, r.rental, (r.sms || []).map((m) => m.key), r.unseen]);
  return JSON.stringify([recs, v.store.balances, v.store.errors, v.accounts]);
}
let shown = "";

async function refresh(poll) {
  try {
    view = await send({ type: poll ? "refresh" : "view" });
    const sig = signature(view);
    if (sig === shown) return;
    shown = sig;
    render();
  } catch (e) {
    status(e.message, "error");
  }
}

// ---------------------------------------------------------------- new rental

let offers = null;
function option(value, text) {
  return el("option", { value, text });
}

// the last rental's choices, offered again (favourite service and country)
let pending = {};
async function loadForm() {
  const accSel = $("f-account");
  if (!accSel.options.length) {
    accSel.replaceChildren(...view.accounts.map((a) => option(a.id, (a.label || a.provider) + " (" + a.provider + ")")));
    const { lastRent } = await chrome.storage.local.get("lastRent");
    if (lastRent && view.accounts.some((a) => a.id === lastRent.account)) {
      pending = lastRent;
      accSel.value = lastRent.account;
      if (lastRent.kind) $("f-kind").value = lastRent.kind;
    }
  }
  const acc = view.accounts.find((a) => a.id === accSel.value);
  if (!acc) return;
  if (pending.account && pending.account !== acc.id) pending = {};
  const so = acc.provider === "smsonline";
  $("l-kind").hidden = !so;
  $("l-operator").hidden = !so || $("f-kind").value === "activation";
  $("l-duration").hidden = so && $("f-kind").value === "activation";
  $("quote").textContent = t("loading");
  if (so) {
    const hours = $("f-duration").value || pending.duration || "24";
    $("f-duration").replaceChildren(...[4, 8, 12, 24, 72, 168, 360, 720, 2160].map((h) => option(h, t("hours", h))));
    $("f-duration").value = [4, 8, 12, 24, 72, 168, 360, 720, 2160].map(String).includes(String(hours)) ? hours : "24";
    const r = await run(null, () => send({ type: "action", account: acc.id, request: { method: "getRentServicesAndCountries", rent_time: Number(hours), country: $("f-country").value || null } }));
    if (!r) return;
    offers = r.result;
    const keepC = $("f-country").value || pending.country;
    $("f-country").replaceChildren(...offers.countries.map((c) => option(c, SO_COUNTRIES[c] || c)));
    if (keepC && offers.countries.includes(keepC)) $("f-country").value = keepC;
    $("f-operator").replaceChildren(...offers.operators.map((o) => option(o, o)));
    offers.services = offers.services.map((s) => ({ ...s, name: s.code }));
    fillServices();
  } else {
    if (!$("f-country").options.length || $("f-country").dataset.provider !== "smspva") {
      const c = await run(null, () => send({ type: "action", account: acc.id, request: { method: "getcountries" } }));
      if (!c) return;
      $("f-country").replaceChildren(...c.result.map((x) => option(x.code, x.name)));
      $("f-country").dataset.provider = "smspva";
      $("f-duration").replaceChildren(...[["week", 1], ["week", 2], ["week", 3], ["month", 1], ["month", 2], ["month", 3]].map(([u, n]) => option(u + ":" + n, t(u === "week" ? "weeks" : "months", n))));
      if (pending.country && c.result.some((x) => x.code === pending.country)) $("f-country").value = pending.country;
      if (pending.duration && [...$("f-duration").options].some((o) => o.value === pending.duration)) $("f-duration").value = pending.duration;
    }
    const [dtype, dcount] = $("f-duration").value.split(":");
    const d = await run(null, () => send({ type: "action", account: acc.id, request: { method: "getdata", country: $("f-country").value, dtype, dcount: Number(dcount) } }));
    if (!d) return;
    const days = (dtype === "week" ? 7 : 30) * Number(dcount);
    offers = { services: d.result.map((s) => ({ code: s.service, name: s.name, cost: s.price_day != null ? +(s.price_day * days).toFixed(2) : null, count: s.count })) };
    fillServices();
  }
  showQuote();
}

// services matching the filter (code or name), keeping the selection when it still matches
function fillServices() {
  const q = $("f-filter").value.trim().toLowerCase();
  const keep = $("f-service").value || pending.service;
  const list = (offers?.services || []).filter((s) => !q || s.code.toLowerCase().includes(q) || (s.name || "").toLowerCase().includes(q));
  $("f-service").replaceChildren(...list.map((s) => option(s.code, `${s.name} — ${s.cost ?? "?"} · ${s.count ?? 0}`)));
  if (keep && list.some((s) => s.code === keep)) $("f-service").value = keep;
  showQuote();
}

function showQuote() {
  const s = offers?.services.find((x) => x.code === $("f-service").value);
  $("quote").textContent = s ? `${t("price")}: ${s.cost ?? "?"} · ${t("available")}: ${s.count ?? 0}` : "";
  $("rent").disabled = !s || !s.count;
}

async function submitRent(e) {
  e.preventDefault();
  const acc = view.accounts.find((a) => a.id === $("f-account").value);
  const s = offers?.services.find((x) => x.code === $("f-service").value);
  if (!acc || !s) return;
  const country = $("f-country").selectedOptions[0]?.text || "";
  if (!(await ask(t("confirmRent", s.name || s.code, country, s.cost ?? "?")))) return;
  let request;
  if (acc.provider === "smsonline") {
    request = $("f-kind").value === "activation"
      ? { method: "getNumber", service: s.code, country: $("f-country").value }
      : { method: "getRentNumber", service: s.code, country: $("f-country").value, operator: $("f-operator").value || null, rent_time: Number($("f-duration").value) };
  } else {
    const [dtype, dcount] = $("f-duration").value.split(":");
    request = { method: "create", service: s.code, country: $("f-country").value, dtype, dcount: Number(dcount) };
  }
  const r = await run($("rent"), () => send({ type: "action", account: acc.id, request }), (r) => (r.reconciled ? t("reconciled") : "+" + r.result.number));
  if (r) {
    const lastRent = { account: acc.id, kind: $("f-kind").value, country: $("f-country").value, operator: $("f-operator").value, duration: $("f-duration").value, service: s.code };
    chrome.storage.local.set({ lastRent });
    pending = lastRent;
    $("new-rental").open = false;
    refresh(false);
  }
}

// ---------------------------------------------------------------- archive

async function loadArchive() {
  const list = $("archive-list");
  list.replaceChildren(el("li", { class: "meta", text: t("loading") }));
  const items = [];
  for (const acc of view.accounts.filter((a) => a.provider === "smspva")) {
    const r = await run(null, () => send({ type: "action", account: acc.id, request: { method: "get_rent_history", skip: 0, take: 20 } }));
    for (const it of r?.result || []) items.push([acc, it]);
  }
  if (!items.length) return list.replaceChildren(el("li", { class: "meta", text: t("noArchive") }));
  list.replaceChildren(
    ...items.map(([acc, it]) => {
      const b = el("button", { type: "button", class: "restore", text: t("restore") });
      b.onclick = async () => {
        const q = await run(b, () => send({ type: "action", account: acc.id, request: { method: "restore_user_precalc", id: it.order_id } }));
        if (!q) return;
        if (!(await ask(t("restoreQuote", "+" + (q.result.number || it.number), q.result.price, q.result.out_days ?? "?")))) return;
        const r = await run(b, () => send({ type: "action", account: acc.id, request: { method: "restore_user", id: it.order_id } }), (x) => (x.reconciled ? t("reconciled") : t("saved")));
        if (r) {
          refresh(true);
          loadArchive();
        }
      };
      const when = it.closed ? new Date(it.closed * 1000).toLocaleDateString() : "";
      return el("li", {}, el("div", { class: "row" }, el("span", { class: "number", text: "+" + it.number }), el("span", { class: "svc", text: it.service }), el("span", { class: "meta", text: when }), b));
    }),
  );
}

// ---------------------------------------------------------------- wiring

$("refresh").onclick = (e) => run(e.currentTarget, () => refresh(true));
$("settings").onclick = () => chrome.runtime.openOptionsPage();
$("open-settings").onclick = () => chrome.runtime.openOptionsPage();
$("rent-form").addEventListener("submit", submitRent);
$("new-rental").addEventListener("toggle", () => $("new-rental").open && loadForm());
for (const id of ["f-account", "f-kind", "f-country", "f-duration"]) $(id).addEventListener("change", loadForm);
$("f-service").addEventListener("change", showQuote);
$("f-filter").addEventListener("input", fillServices);
$("archive").addEventListener("toggle", () => $("archive").open && loadArchive());
chrome.storage.onChanged.addListener((ch) => {
  if (ch.store || ch.accounts) refresh(false);
});
setInterval(tick, 1000);

(async () => {
  await refresh(false);
  // the user has now seen what is new; the highlight stays until the next open
  send({ type: "seen" }).catch(() => {});
  refresh(true);
})();
