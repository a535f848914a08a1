// The stub `chrome` object the popup benchmark injects into popup.html, and the
// in-page probes that time the first painted frame. Both run in the page (they
// are shipped as source): they must not reference anything outside themselves.
export function installStub(cfg, generate) {
  const M = cfg.messages;
  const getMessage = (name, subs) => {
    const m = M[name];
    if (!m) return "";
    const args = Array.isArray(subs) ? subs : subs == null ? [] : [subs];
    const s = m.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, p) => m.placeholders?.[p.toLowerCase()]?.content ?? "");
    return s.replace(/\$(\d)/g, (_, d) => args[d - 1] ?? "");
  };
  // The answer to "view" is parsed from a string per request, which stands for the
  // deserialisation of a runtime message (the transfer itself happens off the popup's
  // main thread). The string is fetched from the bench server once (the warm-up run)
  // and kept in sessionStorage, so that later runs pay neither a fetch nor a huge script.
  let viewJson = null;
  let legacyJson = null;
  let loading = null;
  const keep = (s) => {
    if (cfg.legacy) legacyJson = s;
    else viewJson = s;
    return s;
  };
  const data = () =>
    (loading ||= (async () => {
      const kept = sessionStorage.getItem(cfg.dataUrl);
      if (kept) return keep(kept);
      const s = await (await fetch(cfg.dataUrl)).text();
      try {
        sessionStorage.setItem(cfg.dataUrl, s);
      } catch {}
      return keep(s);
    })());
  const limited = async (k) => {
    const key = cfg.dataUrl + "?limit=" + k;
    let s = sessionStorage.getItem(key);
    if (!s) {
      await data();
      const v = JSON.parse(viewJson);
      s = JSON.stringify({ ...v, rentals: v.rentals.slice(0, k), rentals_total: v.rentals.length });
      try {
        sessionStorage.setItem(key, s);
      } catch {}
    }
    return s;
  };
  let full = null;
  const all = () => (full ||= generate(cfg.n, cfg.now));
  const calls = [];
  const listeners = [];
  const local = {};
  const answer = async (msg) => {
    calls.push(msg.type);
    // --view-limit: "view" with `limit` answers the first rentals and rentals_total
    if (msg.type === "view" && msg.limit && cfg.viewLimit && !cfg.legacy) return { ok: true, view: JSON.parse(await limited(msg.limit)) };
    if (msg.type === "view" || msg.type === "refresh") await data();
    if (cfg.legacy) {
      switch (msg.type) {
        case "view":
        case "refresh":
          return { ok: true, ...JSON.parse(legacyJson), lastPoll: cfg.now, settings: {} };
        case "seen":
          return { ok: true };
        default:
          return { ok: true, result: [] };
      }
    }
    switch (msg.type) {
      case "view":
      case "refresh":
        return { ok: true, view: JSON.parse(viewJson) };
      case "seen":
        return { ok: true };
      case "history": {
        const h = all().history[msg.record] || { sms: [], other: [] };
        return { ok: true, sms: h.sms, other: h.other };
      }
      case "quote":
        return { ok: true, price: 12.5, currency: "RUB", label: "Price: 12.5 RUB" };
      case "intent":
        return { ok: true, message: `${msg.intent} done`, reconciled: false };
      case "fill-code":
      case "fill-phone":
        return { ok: true, filled: 1 };
      case "catalogue":
        return {
          ok: true,
          kinds:
            msg.account === "acc-so"
              ? [
                  { value: "rent", label: "Rent" },
                  { value: "activation", label: "Activation" },
                ]
              : [],
          countries: [
            { value: "0", label: "Russia" },
            { value: "1", label: "Ukraine" },
          ],
          country: msg.country || "0",
          operators: [{ value: "any", label: "Any" }],
          durations: [
            { value: "4", label: "4 h" },
            { value: "24", label: "24 h" },
          ],
          duration: msg.duration || "24",
          services: ["tg", "wa", "go", "ig"].map((s, i) => ({ value: s, label: s.toUpperCase(), cost: 10 + i, count: 25 - i, price: `${10 + i} RUB` })),
          currency: "RUB",
        };
      case "rent":
        return { ok: true, message: "+79000000000", reconciled: false };
      case "archive":
        return { ok: true, items: [{ account: "acc-pva", id: "9", number: "79000000009", service: "tg", closed: cfg.now - 86400 }] };
      case "restore-quote":
        return { ok: true, confirm: "Restore +79000000009 for 155?" };
      case "restore":
        return { ok: true, message: "Restored", reconciled: false };
      default:
        return { ok: false, error: { code: "BAD_REQUEST", message: "unknown " + msg.type } };
    }
  };
  const clone = (x) => (x === undefined ? {} : JSON.parse(JSON.stringify(x)));
  globalThis.chrome = {
    i18n: { getMessage, getUILanguage: () => "en" },
    runtime: {
      id: "bench",
      sendMessage: (msg) => new Promise((res) => setTimeout(() => res(answer(msg)), 0)),

      openOptionsPage: () => {},
      getURL: (p) => location.origin + "/" + p,
    },
    tabs: { query: async () => [{ id: 1 }] },
    storage: {
      local: {
        get: async (keys) => {
          const ks = keys == null ? Object.keys(local) : Array.isArray(keys) ? keys : [keys];
          return Object.fromEntries(ks.filter((k) => k in local).map((k) => [k, clone(local[k])]));
        },
        set: async (o) => {
          const changes = {};
          for (const [k, v] of Object.entries(o)) {
            changes[k] = { oldValue: local[k], newValue: clone(v) };
            local[k] = changes[k].newValue;
          }
          for (const l of listeners) l(changes, "local");
        },
      },
      onChanged: { addListener: (f) => listeners.push(f) },
    },
  };
  // one rental gets a new SMS (prepared outside the timed part), then the store "changes"
  let bumps = 0;
  globalThis.__stub = {
    calls,
    bump(index) {
      bumps++;
      const code = String(990000 + bumps);
      if (cfg.legacy) {
        const l = JSON.parse(legacyJson);
        const keys = Object.keys(l.store.records);
        const key = keys[Math.min(index, keys.length - 1)];
        l.store.records[key].sms.unshift({ key: `bump${bumps}`, from: "Bench", text: "Bench code " + code, date: cfg.now + bumps, code });
        legacyJson = JSON.stringify(l);
        return { key, code };
      }
      const v = JSON.parse(viewJson);
      const r = v.rentals[Math.min(index, v.rentals.length - 1)];
      r.sms = [{ key: `bump${bumps}`, from: "Bench", text: "Bench code " + code, date: v.now + bumps, code, unseen: true }, ...r.sms].slice(0, 3);
      r.sms_total++;
      v.now += 1;
      viewJson = JSON.stringify(v);
      return { key: r.key, code };
    },
    fire() {
      // the popup before the view model listened for "store"; the engine writes one key per record
      const changes = cfg.legacy ? { store: { newValue: legacyJson } } : { ["record:" + bumps]: { newValue: bumps } };
      for (const l of listeners) l(changes, "local");
    },
  };
}

// In-page probes (shipped as source too): the first frame painted after the first rental
// entered #rentals, and the long tasks until then.
export function installProbe() {
  const bench = { longtasks: [], docStart: performance.now() };
  globalThis.__bench = bench;
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) bench.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  const afterPaint = (f) =>
    requestAnimationFrame(() => {
      const raf = performance.now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => f(raf, performance.now());
      ch.port2.postMessage(0);
    });
  bench.afterPaint = afterPaint;
  const mo = new MutationObserver(() => {
    if (!document.querySelector("#rentals li")) return;
    mo.disconnect();
    bench.firstLi = performance.now();
    afterPaint((raf, paint) => {
      bench.raf = raf;
      bench.paint = paint;
      bench.liAtPaint = document.querySelectorAll("#rentals > li").length;
    });
  });
  mo.observe(document, { childList: true, subtree: true });
}
