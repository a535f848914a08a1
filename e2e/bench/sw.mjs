// Service worker of the benchmark's stand-in extension (`bench-popup.mjs --extension`):
// the real popup files, real chrome.i18n, real runtime messaging and storage events,
// with this worker answering the view protocol from generated data. The number of
// rentals comes from the popup's URL (?n=1000).
import { generate } from "./bench-data.mjs";

const views = new Map();
const viewOf = (n) => {
  if (!views.has(n)) views.set(n, generate(n, Math.floor(Date.now() / 1000)));
  return views.get(n);
};
let bumps = 0;
let last = null;

function answer(msg, n, limit) {
  const g = viewOf(n);
  switch (msg.type) {
    case "view":
      // --view-limit: `limit` answers the first rentals and rentals_total
      if (limit && msg.limit) return { ok: true, view: { ...g.view, rentals: g.view.rentals.slice(0, msg.limit), rentals_total: g.view.rentals.length } };
      return { ok: true, view: g.view };
    case "refresh":
      return { ok: true, view: g.view };
    case "seen":
      return { ok: true };
    case "history": {
      const h = g.history[msg.record] || { sms: [], other: [] };
      return { ok: true, sms: h.sms, other: h.other };
    }
    case "__bench-bump": {
      // one rental gets a new SMS (the storage write that announces it is __bench-fire)
      bumps++;
      const code = String(990000 + bumps);
      const r = g.view.rentals[Math.min(msg.index, g.view.rentals.length - 1)];
      r.sms = [{ key: `bump${bumps}`, from: "Bench", text: "Bench code " + code, date: g.view.now + bumps, code, unseen: true }, ...r.sms].slice(0, 3);
      r.sms_total++;
      last = { key: r.key, code };
      return { ok: true, ...last };
    }
    case "__bench-fire":
      chrome.storage.local.set({ ["record:" + last.key]: bumps });
      return { ok: true };
    default:
      return { ok: false, error: { code: "BAD_REQUEST", message: "not in the benchmark: " + msg.type } };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  const q = new URL(sender.url || "x:", "x:/").searchParams;
  reply(answer(msg, Number(q.get("n") || 100), q.has("vl")));
});
