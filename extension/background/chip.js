// OTP Dock background: the inline one-tap chip. Offered only when a fresh code arrives
// for a rental bound to a tab (not auto-filled: auto-fill off, or it found nothing to fill
// then), when the user allowed every site, and when the same Rust check as every fill
// (src/site.rs) allows the tab's top frame. The chip gets no code: its click sends the
// nonce it was shown with, and the background fills the code it was shown for
// through the usual, re-authorised path.
/** @import { Dock, DockHooks } from "../wasm/otpdock.js" */
/** @typedef {Parameters<DockHooks["fresh"]>[0][number]} Fresh */
import { extractOtp } from "../wasm/otpdock.js";
import { fill, locate } from "./fill.js";
import { t } from "./words.js";

const TTL_MS = 10 * 60 * 1000;
/** @type {Map<number | undefined, { nonce: string, record: string, sms: string, expires: number }>} */
const offers = new Map(); // tabId -> the chip shown there

const allSites = () => chrome.permissions.contains({ origins: ["<all_urls>"] }).catch(() => false);

/**
 * Shows the chip in the tab the rental of `f` (a new SMS with a code) is bound to.
 * @param {Dock} dock
 * @param {Fresh} f
 */
export async function offer(dock, f) {
  const b = dock.binding(f.record);
  if (!b?.host || !(await allSites())) return false;
  const webotp = extractOtp(f.sms.text)?.host || null;
  const rect = await locate(b.tab_id, f.sms.code || "", { trigger: "auto", bound: b.host, webotp }).catch(() => null);
  if (!rect) return false;
  const nonce = crypto.randomUUID();
  offers.set(b.tab_id, { nonce, record: f.record, sms: f.sms.key, expires: Date.now() + TTL_MS });
  const service = f.service || "+" + f.number;
  const target = { tabId: b.tab_id, frameIds: [0] };
  await chrome.scripting.executeScript({ target, files: ["content/chip.js"] });
  await chrome.scripting.executeScript({
    target,
    func: (o) => globalThis.__otpdockChip?.show(o),
    args: [{ nonce, rect, ttl: TTL_MS, text: t("chipFill", service), label: t("chipFillLabel", service, "+" + f.number), close: t("chipClose") }],
  });
  return true;
}

/**
 * The chip was clicked (a message from our content script in the tab's top frame).
 * @param {Dock} dock
 * @param {{ nonce?: unknown }} msg
 * @param {chrome.runtime.MessageSender} sender
 */
export async function chipFill(dock, msg, sender) {
  const tabId = sender.tab?.id;
  const o = offers.get(tabId);
  if (!o || sender.frameId !== 0 || typeof msg.nonce !== "string" || msg.nonce !== o.nonce || Date.now() > o.expires) throw { code: "FORBIDDEN" };
  offers.delete(tabId);
  const b = dock.binding(o.record);
  if (!b || b.tab_id !== tabId) throw { code: "NOT_BOUND", message: t("cmdNoRental") };
  // the code the chip was shown for (its SMS, as the engine keeps it)
  const m = dock.history(o.record)?.sms.find((/** @type {{ key: string }} */ x) => x.key === o.sms);
  if (!m?.code) throw { code: "NO_CODE", message: t("cmdNoCode") };
  const r = await fill(/** @type {number} */ (tabId), "code", m.code, { trigger: "auto", bound: b.host, webotp: extractOtp(m.text)?.host || null });
  return { filled: r.filled };
}

/**
 * The tab closed or left: its chip offer ends.
 * @param {number} tabId
 */
export const forget = (tabId) => offers.delete(tabId);
