// OTP Dock background: filling codes and numbers into tabs.
// Every fill (auto-fill after a new SMS, the popup's buttons, the fill-code /
// fill-phone messages) asks the one Rust check (core.fillAuthorize, src/site.rs)
// which frames of the tab may be filled; the content script is injected only
// into those frames, and each write re-checks that its frame still shows the
// origin that was authorised.
import * as core from "../wasm/otpdock.js";
import { t } from "./words.js";

/** @typedef {"code" | "phone"} FillKind */
/**
 * Who asks for a fill: the user, or an auto-fill for a rental bound on `bound`; `webotp`: the
 * host an SMS names ("@host #code").
 * @typedef {{ trigger?: "auto" | "user", bound?: string | null, webotp?: string | null }} FillAuth
 */
/** @typedef {{ code: string, message: string, top?: string }} FillError */
/**
 * src/site.rs's answer: the frames that may be filled, the ones left alone, their origins.
 * @typedef {{ ok: true, frames: number[], denied: { frame: number, code: string }[], origins: Map<number, string>, host: string }} Allowed
 */
/**
 * src/fill.rs's plan.
 * @typedef {{ mode: "single", idx: number, value: string }
 *   | { mode: "split", writes: OtpdockWrite[] }
 *   | { mode: "phone", select: OtpdockWrite | null, writes: OtpdockWrite[] }
 *   | { mode: "none", reason: string }} Plan
 */
/** @typedef {{ fields: OtpdockField[], where: { frameId: number, idx: number, origin: string }[], host: string }} Collected */

const PSL_PATH = "psl/public_suffix_list.dat";

// The Public Suffix List ships as data (Debian's publicsuffix, copied by build.sh)
// and is handed to Rust once; if it cannot be loaded, only same-origin frames are filled.
/** @type {Promise<unknown> | null} */
let started = null;
/** @param {Promise<unknown>} ready the engine, once loaded */
export function start(ready) {
  started ??= ready
    .then(() => fetch(chrome.runtime.getURL(PSL_PATH)))
    .then((r) => (r.ok ? r.text() : ""))
    .then((text) => core.siteLoadPsl(text))
    .catch(() => 0);
  return started;
}

// The host of an http(s) URL (punycode, as the URL parser gives it), or "".
/** @param {string} url */
export function hostOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.hostname : "";
  } catch {
    return "";
  }
}

/**
 * @param {unknown} e
 * @returns {FillError}
 */
function accessError(e) {
  const m = String(/** @type {any} */ (e)?.message || e);
  if (/No tab with id|Invalid tab/i.test(m)) return { code: "NO_TAB", message: t("errNoTab") };
  return { code: "NO_ACCESS", message: t("errNoAccess") };
}

// The origin of every frame of the tab, read without injecting the helper.
/** @param {number} tabId */
async function frames(tabId) {
  let res;
  try {
    res = await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, func: () => location.origin });
  } catch (e) {
    throw accessError(e);
  }
  return res.map((r) => ({ id: r.frameId, url: typeof r.result === "string" ? r.result : "null" }));
}

// Asks Rust which frames may be filled; throws its typed refusal as {code, message}.
/**
 * @param {number} tabId
 * @param {FillKind} kind
 * @param {FillAuth} auth
 * @returns {Promise<Allowed>}
 */
async function authorize(tabId, kind, auth) {
  const fr = await frames(tabId);
  const top = fr.find((f) => f.id === 0)?.url || "null";
  const req = {
    kind,
    trigger: auth.trigger === "auto" ? "auto" : "user",
    bound_host: auth.bound || null,
    webotp_host: auth.webotp || null,
    top_url: top,
    frames: fr,
  };
  const a = JSON.parse(core.fillAuthorize(JSON.stringify(req)));
  if (!a.ok) {
    if (a.code === "HOST_MISMATCH") throw { code: a.code, message: t("errHostMismatch", a.host), top: hostOf(top) };
    throw { code: a.code || "NO_ACCESS", message: t("errNoAccess"), top: hostOf(top) };
  }
  a.origins = new Map(fr.map((f) => [f.id, f.url]));
  a.host = hostOf(top);
  return a;
}

/**
 * @param {number} tabId
 * @param {number[]} frameIds
 */
async function inject(tabId, frameIds) {
  try {
    await chrome.scripting.executeScript({ target: { tabId, frameIds }, files: ["content/fill.js"] });
  } catch (e) {
    throw accessError(e);
  }
}

/**
 * @param {number} tabId
 * @param {Allowed} allowed
 * @returns {Promise<Collected>}
 */
async function collect(tabId, allowed) {
  const res = await chrome.scripting.executeScript({
    target: { tabId, frameIds: allowed.frames },
    func: () => ({ fields: globalThis.__otpdock?.collect() || [], origin: location.origin }),
  });
  const fields = [];
  const where = [];
  for (const r of res) {
    if (!r.result) continue;
    // only frames the check allowed, still showing the origin it allowed
    if (allowed.origins.get(r.frameId) !== r.result.origin) continue;
    for (const f of r.result.fields) {
      where.push({ frameId: r.frameId, idx: f.idx, origin: r.result.origin });
      fields.push({ ...f, idx: fields.length, frame: r.frameId });
    }
  }
  return { fields, where, host: allowed.host };
}

// Fills `value` (a code or a phone number) into tab `tabId`; waits up to 5 s for the field to appear.
// `auth`: {trigger: "auto"|"user", bound: host the rental was bound on, webotp: host the SMS names}.
// Resolves to {filled, mode, host}; rejects with {code, message}.
/**
 * @param {number | undefined} tabId
 * @param {FillKind} kind
 * @param {string} value
 * @param {FillAuth} [auth]
 * @param {{ dialCode?: string, iso?: string }} [meta] the phone's dial code and country
 * @returns {Promise<{ filled: number, mode: string, host: string }>}
 */
export async function fill(tabId, kind, value, auth = {}, meta = {}) {
  await started;
  if (typeof tabId !== "number" || !Number.isInteger(tabId)) throw { code: "BAD_REQUEST", message: t("errBadRequest") };
  try {
    await chrome.tabs.get(tabId);
  } catch {
    throw { code: "NO_TAB", message: t("errNoTab") };
  }
  const since = Date.now();
  const injected = new Set();
  /** @type {Plan} */
  let plan;
  /** @type {Collected} */
  let c;
  /** @type {Allowed} */
  let allowed;
  for (;;) {
    allowed = await authorize(tabId, kind, auth);
    const fresh = allowed.frames.filter((id) => !injected.has(id));
    if (fresh.length) {
      await inject(tabId, fresh);
      for (const id of fresh) injected.add(id);
    }
    c = allowed.frames.length
      ? await collect(tabId, allowed).catch(() => ({ fields: [], where: [], host: allowed.host }))
      : { fields: [], where: [], host: allowed.host };
    plan = JSON.parse(
      kind === "code" ? core.planCode(JSON.stringify(c.fields), value) : core.planPhone(JSON.stringify(c.fields), value, meta.dialCode || "", meta.iso || ""),
    );
    // Rust decides whether to look again (no field yet, within 5 s) and keeps the pace
    if (!(await core.fillRetry(since, plan.mode, plan.mode === "none" ? plan.reason : ""))) break;
  }
  if (plan.mode === "none") {
    // nothing to fill on the page's own site while frames of other sites were left alone
    const code = plan.reason !== "NO_FIELD" ? plan.reason : allowed.denied.length ? "CROSS_SITE_FRAME" : "NO_FIELD";
    throw { code, message: kind === "code" ? t("errNoField") : t("errNoPhoneField") };
  }
  const writes = plan.mode === "single" ? [{ idx: plan.idx, value: plan.value }] : plan.writes;
  const select = (plan.mode === "phone" && plan.select) || null;
  // group by frame; each frame applies its own writes
  /** @type {Map<number, { writes: OtpdockWrite[], select: OtpdockWrite | null, origin: string }>} */
  const byFrame = new Map();
  /** @param {Collected["where"][number]} at */
  const job = (at) => {
    let j = byFrame.get(at.frameId);
    if (!j) {
      j = { writes: [], select: null, origin: at.origin };
      byFrame.set(at.frameId, j);
    }
    return j;
  };
  for (const w of writes) {
    const at = c.where[w.idx];
    job(at).writes.push({ idx: at.idx, value: w.value });
  }
  if (select) {
    const at = c.where[select.idx];
    job(at).select = { idx: at.idx, value: select.value };
  }
  let filled = 0;
  for (const [frameId, j] of byFrame) {
    const [r] = await chrome.scripting.executeScript({
      target: { tabId, frameIds: [frameId] },
      // a frame that navigated since the check is not written to
      /** @type {(w: OtpdockWrite[], split: boolean, sel: OtpdockWrite | null, origin: string) => Promise<{ filled: number }> | { filled: number }} */
      func: (w, split, sel, origin) => (location.origin === origin && globalThis.__otpdock ? globalThis.__otpdock.apply(w, split, sel) : { filled: 0 }),
      args: [j.writes, plan.mode === "split", j.select, j.origin],
    });
    filled += r?.result?.filled || 0;
  }
  if (!filled) throw { code: "NOT_ACCEPTED", message: kind === "code" ? t("errNoField") : t("errNoPhoneField") };
  return { filled, mode: plan.mode, host: allowed.host };
}

// Where the code field of the tab's top frame is, as the fill would find it (same Rust
// check and plan, nothing written): {x, y, w, h} in page coordinates, or null (no access,
// not allowed, no field, or only in a frame).
/**
 * @param {number} tabId
 * @param {string} value the code
 * @param {FillAuth} auth
 * @returns {Promise<{ x: number, y: number, w: number, h: number } | null>}
 */
export async function locate(tabId, value, auth) {
  await started;
  const allowed = await authorize(tabId, "code", auth);
  if (!allowed.frames.includes(0)) return null;
  await inject(tabId, [0]);
  const c = await collect(tabId, { ...allowed, frames: [0] });
  /** @type {Plan} */
  const plan = JSON.parse(core.planCode(JSON.stringify(c.fields), value));
  if (plan.mode === "none") return null;
  const idx = plan.mode === "single" ? [plan.idx] : plan.writes.map((w) => w.idx);
  /** @type {{ x: number, y: number, w: number, h: number, frame: number }[]} */
  const boxes = idx.map((i) => /** @type {any} */ (c.fields[i])).filter((f) => f && f.frame === 0);
  if (!boxes.length) return null;
  const x = Math.min(...boxes.map((f) => f.x));
  const y = Math.min(...boxes.map((f) => f.y));
  return { x, y, w: Math.max(...boxes.map((f) => f.x + f.w)) - x, h: Math.max(...boxes.map((f) => f.y + f.h)) - y };
}
