// Filling a code or a phone number into a tab: inject the on-demand content
// script, collect field descriptions, let Rust plan the writes, apply them.
import { planCode, planPhone } from "../wasm/otpdock.js";
import { t } from "./words.js";

function site(host) {
  const p = (host || "").split(".");
  return p.slice(-2).join(".");
}

async function inject(tabId) {
  try {
    await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: ["content/fill.js"] });
  } catch (e) {
    const m = String(e?.message || e);
    if (/No tab with id|Invalid tab/i.test(m)) throw { code: "NO_TAB", message: t("errNoTab") };
    throw { code: "NO_ACCESS", message: t("errNoAccess") };
  }
}

async function collect(tabId) {
  const res = await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, func: () => ({ fields: globalThis.__otpdock?.collect() || [], host: location.hostname }) });
  const top = res.find((r) => r.frameId === 0)?.result?.host || "";
  const fields = [];
  const where = [];
  for (const r of res) {
    if (!r.result) continue;
    // only the page's own site: never cross-site frames (ads, widgets)
    if (r.frameId !== 0 && site(r.result.host) !== site(top)) continue;
    for (const f of r.result.fields) {
      where.push({ frameId: r.frameId, idx: f.idx });
      fields.push({ ...f, idx: fields.length, frame: r.frameId });
    }
  }
  return { fields, where, host: top };
}

/**
 * Fills `value` (a code or a phone number) into tab `tabId`; waits up to 5 s for the field.
 * opts: {auto, boundHost, webotpHost, dialCode, iso}. An automatic fill goes only to the
 * exact host the rental was bound on; a code sent for a site ("@host #code") only to that site.
 */
export async function fill(tabId, kind, value, opts = {}) {
  if (!Number.isInteger(tabId)) throw { code: "BAD_REQUEST", message: t("errBadRequest") };
  try {
    await chrome.tabs.get(tabId);
  } catch {
    throw { code: "NO_TAB", message: t("errNoTab") };
  }
  await inject(tabId);
  const deadline = Date.now() + 5000;
  let plan, c;
  for (;;) {
    c = await collect(tabId);
    if (kind === "code" && opts.webotpHost && !(c.host === opts.webotpHost || c.host.endsWith("." + opts.webotpHost))) {
      throw { code: "HOST_MISMATCH", message: t("errHostMismatch", opts.webotpHost) };
    }
    if (kind === "code" && opts.auto && (!opts.boundHost || c.host !== opts.boundHost)) {
      throw { code: "HOST_MISMATCH", message: t("errHostMismatch", opts.boundHost || "?") };
    }
    plan = JSON.parse(kind === "code" ? planCode(JSON.stringify(c.fields), value) : planPhone(JSON.stringify(c.fields), value, opts.dialCode || "", opts.iso || ""));
    if (plan.mode !== "none" || plan.reason !== "NO_FIELD" || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (plan.mode === "none") {
    const code = plan.reason === "NO_FIELD" ? "NO_FIELD" : plan.reason;
    throw { code, message: kind === "code" ? t("errNoField") : t("errNoPhoneField") };
  }
  const writes = plan.mode === "single" ? [{ idx: plan.idx, value: plan.value }] : plan.writes;
  const select = plan.select || null;
  // group by frame; each frame applies its own writes
  const byFrame = new Map();
  const job = (frameId) => {
    if (!byFrame.has(frameId)) byFrame.set(frameId, { writes: [], select: null });
    return byFrame.get(frameId);
  };
  for (const w of writes) {
    const at = c.where[w.idx];
    job(at.frameId).writes.push({ idx: at.idx, value: w.value });
  }
  if (select) {
    const at = c.where[select.idx];
    job(at.frameId).select = { idx: at.idx, value: select.value };
  }
  let filled = 0;
  for (const [frameId, j] of byFrame) {
    const [r] = await chrome.scripting.executeScript({
      target: { tabId, frameIds: [frameId] },
      func: (w, split, sel) => globalThis.__otpdock.apply(w, split, sel),
      args: [j.writes, plan.mode === "split", j.select],
    });
    filled += r?.result?.filled || 0;
  }
  if (!filled) throw { code: "NOT_ACCEPTED", message: kind === "code" ? t("errNoField") : t("errNoPhoneField") };
  return { filled, mode: plan.mode };
}
