
// ---------------------------------------------------------------- keyboard commands
// Proposed for extension/background.js (written against its fill(), bindTab(), t(), now() and
// core.extractOtp()). Until background.js registers a commands.onCommand listener itself,
// e2e-firefox/lib.mjs appends this file to the *test copy* of background.js only.
// A shortcut grants activeTab on `tab`, so both commands work without the all-sites permission.
async function commandRecord(tabId, anyOpen) {
  const { store = "{}" } = await chrome.storage.local.get("store");
  const all = Object.entries(JSON.parse(store).records || {});
  // the rental bound to this tab (the most recently bound one if several are)
  const bound = all.filter(([, r]) => r.tab_id === tabId).sort(([, a], [, b]) => (b.awaiting_until || 0) - (a.awaiting_until || 0));
  if (bound.length) return bound[0];
  // fill-number on a tab nothing is bound to yet: only when exactly one rental is open (never guess)
  const open = all.filter(([, r]) => !["finished", "cancelled", "revoked", "expired"].includes(r.rental.state));
  return anyOpen && open.length === 1 ? open[0] : null;
}

async function onCommand(cmd, tab) {
  if (cmd === "fill-code") {
    const found = await commandRecord(tab.id, false);
    if (!found) throw { code: "NO_RENTAL", message: t("cmdNoRental") };
    // sms is newest first; "other" SMS (SMSPVA, another service) never count as the rental's code
    const sms = found[1].sms.find((m) => m.code && !m.other);
    if (!sms) throw { code: "NO_CODE", message: t("cmdNoCode") };
    const host = JSON.parse(core.extractOtp(sms.text) || "null")?.host || null;
    return fill(tab.id, "code", sms.code, host);
  }
  if (cmd === "fill-number") {
    const found = await commandRecord(tab.id, true);
    if (!found) throw { code: "NO_RENTAL", message: t("cmdNoRental") };
    const [key, r] = found;
    const res = await fill(tab.id, "phone", "+" + r.rental.number, null, { dialCode: r.rental.dial_code || "", iso: r.rental.provider === "smspva" ? r.rental.country || "" : "" });
    await bindTab(key, tab.id, tab.url ? new URL(tab.url).hostname : null);
    return res;
  }
}

chrome.commands.onCommand.addListener((cmd, tab) => {
  if (!tab?.id || (cmd !== "fill-code" && cmd !== "fill-number")) return;
  onCommand(cmd, tab).catch((e) => {
    const err = toErr(e);
    chrome.notifications.create("cmd:" + cmd, { type: "basic", iconUrl: chrome.runtime.getURL("icons/128.png"), title: t("extName"), message: err.message });
  });
});
