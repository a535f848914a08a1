// Generated rentals for the popup benchmark. `generate` is self-contained (no
// imports, no closure) because the benchmark also ships it into the page, where
// the stub background answers "history" from it.
export function generate(n, now) {
  const HOURS = [4, 8, 12, 24, 72, 168, 360, 720];
  const SERVICES = ["tg", "wa", "go", "ig", "fb", "vk", "ds", "tw", "am", "ub"];
  const NAMES = {
    tg: "Telegram",
    wa: "WhatsApp",
    go: "Google",
    ig: "Instagram",
    fb: "Facebook",
    vk: "VKontakte",
    ds: "Discord",
    tw: "Twitter",
    am: "Amazon",
    ub: "Uber",
  };
  const accounts = [
    // one account the user named, one without a name (shown as its provider)
    { id: "acc-so", provider: "smsonline", label: "", balance: 1234.5, currency: "RUB", balance_text: "1234.50 RUB", error: null },
    { id: "acc-pva", provider: "smspva", label: "Work", balance: 87.25, currency: "USD", balance_text: "87.25 USD", error: null },
  ];
  const SMS_PER_RENTAL = 20;
  const sms = (key, i, j, own) => {
    const code = String(100000 + ((i * 7919 + j * 104729) % 900000));
    const svc = own ? NAMES[SERVICES[i % SERVICES.length]] : "Other service " + (j % 4);
    return {
      key: `${key}:${own ? "s" : "o"}${j}`,
      from: svc,
      text: `${svc} code: ${code}. Do not share it with anyone, our staff will never ask for it. #${j}`,
      date: now - i * 600 - j * 60,
      code: own ? code : null,
      unseen: own && j === 0 && i % 10 === 0,
    };
  };
  const rentals = [];
  const history = {};
  for (let i = 0; i < n; i++) {
    const pva = i % 2 === 1;
    const provider = pva ? "smspva" : "smsonline";
    const account = pva ? "acc-pva" : "acc-so";
    const id = String(500000 + i);
    const key = `${account}:${provider}:${id}`;
    const kind = !pva && i % 4 === 0 ? "activation" : "rent";
    const open = i < n * 0.7;
    const created = now - i * 600;
    const hasSms = i % 3 !== 2;
    const own = hasSms ? Array.from({ length: SMS_PER_RENTAL }, (_, j) => sms(key, i, j, true)) : [];
    const other = pva && hasSms ? Array.from({ length: 2 + (i % 5) }, (_, j) => sms(key, i, j, false)) : [];
    history[key] = { sms: own, other };
    let state;
    if (!open) state = ["finished", "cancelled", "expired", "revoked"][i % 4];
    else if (pva && i % 5 === 1) state = "needs_activation";
    else state = hasSms ? "received" : "waiting";
    const number = String(79000000000 + i * 137);
    const actions = [];
    const act = (intent, label, extra = {}) =>
      actions.push({ intent, label, primary: false, confirm: null, options: [], quote: false, enable_at: null, disable_at: null, note: null, ...extra });
    if (open) {
      act("fill-number", "Fill");
      if (!pva && kind === "activation") {
        if (hasSms) {
          act("another-sms", "Another SMS");
          act("finish", "Finish");
        } else act("cancel", "Cancel", { enable_at: now + 60 + i }); // a fresh activation: cancel after 2 minutes
      } else if (!pva) {
        act("prolong", "Prolong", { options: HOURS.map((h) => ({ value: String(h), label: `${h} h` })), quote: true, confirm: `Prolong +${number}?` });
        act("finish", "Finish");
        // SMS.online: cancel only in the first 20 minutes (the newest rents are still inside them)
        if (!hasSms) act("cancel", "Cancel", { disable_at: i < 10 ? now + 900 : created + 1200, confirm: `Cancel +${number}?` });
      } else {
        if (state === "needs_activation") act("activate", "Activate", { primary: true });
        act("prolong", "Prolong", {
          options: [
            ["week", 1],
            ["week", 2],
            ["month", 1],
            ["month", 2],
          ].map(([u, k]) => ({ value: `${u}:${k}`, label: { key: u + "s", args: [String(k)] } })), // words as the engine hands them
          quote: true,
          confirm: `Prolong +${number}?`,
          note: "up to 83 more days",
        });
        act("add-service", "Add service", { options: SERVICES.map((s) => ({ value: s, label: NAMES[s] })) });
        act("delete", "Delete", { confirm: `Delete +${number}?` });
      }
    }
    const svc = SERVICES[i % SERVICES.length];
    rentals.push({
      key,
      account,
      account_label: pva ? "SMSPVA" : "SMS.online",
      provider,
      kind,
      number,
      state,
      open,
      service: svc,
      service_name: NAMES[svc],
      country: pva ? "RU" : "0",
      country_name: "Russia",
      until: open ? now + 3600 * (1 + (i % 200)) : now - 3600,
      created,
      bound_host: i % 7 === 0 ? "shop.example" : null,
      sms: own.slice(0, 3),
      sms_total: own.length,
      other: other.slice(0, 3),
      other_total: other.length,
      notice: i === 3 ? { code: "OUTCOME_UNKNOWN", message: "The provider did not answer; check this rental before trying again." } : null,
      actions,
    });
  }
  // the background's order: open first, newest first
  rentals.sort((a, b) => b.open - a.open || (b.created || 0) - (a.created || 0));
  const view = { now, unseen: rentals.reduce((k, r) => k + r.sms.filter((m) => m.unseen).length, 0), accounts, banners: [], rentals };
  // the store of the popup before the view model (commit 1553aaa): every SMS of every record
  const records = {};
  for (const r of rentals) {
    const h = history[r.key];
    records[r.key] = {
      account: r.account,
      rental: {
        id: r.key.split(":").pop(),
        provider: r.provider,
        kind: r.kind,
        number: r.number,
        service: r.service,
        service_name: r.service_name,
        country: r.country,
        state: r.state,
        until: r.until,
        created: r.created,
        can_prolong: r.provider === "smspva",
        prolong_max_days: 83,
      },
      sms: h.sms.map(({ unseen, ...m }) => m),
      unseen: h.sms.filter((m) => m.unseen).map((m) => m.key),
    };
  }
  const legacy = {
    store: { records, balances: { "acc-so": 1234.5, "acc-pva": 87.25 }, errors: {} },
    accounts: accounts.map(({ id, provider, label }) => ({ id, provider, label })),
  };
  return { view, history, legacy };
}
