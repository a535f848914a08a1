// The words of the background: everything Rust hands over as codes and locale
// keys is said here, in the user's language, from _locales (one table:
// scripts/locales.py). No rules, only words.
/** @import { Catalogue, ErrorInfo, Opt, View, Words } from "../shared/messages.js" */
import { plural } from "../shared/dom.js";

/**
 * The locale's words for `k` with its arguments; the key itself when the locale has none.
 * @param {string} k
 * @param {...(string | number | null | undefined)} a
 */
export const t = (k, ...a) => (a.length && plural(k, a)) || chrome.i18n.getMessage(k, a.map(String)) || k;

const regionNames = (() => {
  try {
    return new Intl.DisplayNames([chrome.i18n.getUILanguage()], { type: "region" });
  } catch {
    return null;
  }
})();
/** @param {string | null | undefined} iso */
const region = (iso) => {
  try {
    return (iso && regionNames?.of(iso)) || null;
  } catch {
    return null;
  }
};

/**
 * A `{key, args}` label from Rust; an empty key means the text is args[0] (a string is said already).
 * @param {Words} l
 * @returns {string | null}
 */
export const say = (l) => (typeof l === "string" ? l : l ? (l.key ? t(l.key, ...l.args) : (l.args[0] ?? "")) : null);

/**
 * Any error (provider, engine, browser) as `{code, message, outcome_unknown}`.
 * @param {any} e whatever was thrown: a typed error, an engine error, a browser's Error or a string
 * @returns {ErrorInfo}
 */
export function localiseError(e) {
  if (typeof e === "string") e = { code: "INTERNAL", message: e };
  const code = e?.code || "INTERNAL";
  // Rust errors arrive as a code (or locale key) and parameters, their words are in _locales
  const message =
    e?.message || chrome.i18n.getMessage(e?.key || "err_" + code, (e?.params || []).map(String)) || chrome.i18n.getMessage("errBadRequest") || code;
  // `outcome_unknown` only where it is true: the fill-code/fill-phone contract is exactly {code, message}
  return e?.outcome_unknown ? { code, message, outcome_unknown: true } : { code, message };
}

/**
 * The engine's view with its words said (in place).
 * @param {View} v
 * @returns {View}
 */
export function localiseView(v) {
  for (const a of v.accounts) if (a.error) a.error = localiseError(a.error);
  v.banners = v.banners.map((b) => ({ code: b.code, level: b.level, message: t("banner_" + b.code, ...(b.params || [])) }));
  for (const r of v.rentals) {
    r.country_name = region(r.country_iso) || r.country;
    if (r.notice) r.notice = localiseError(r.notice);
    r.actions = r.actions.map((a) => ({
      ...a,
      label: say(a.label),
      confirm: say(a.confirm),
      note: say(a.note),
      options: a.options.map((o) => ({ value: o.value, label: say(o.label) })),
    }));
  }
  return v;
}

/**
 * @param {Catalogue} c
 * @returns {Catalogue}
 */
export function localiseCatalogue(c) {
  const opts = (/** @type {Opt[]} */ l) => l.map((o) => ({ value: o.value, label: (o.iso && region(o.iso)) || say(o.label) }));
  const services = c.services.map((s) => ({ ...s, price: say(s.price) }));
  return { ...c, kinds: opts(c.kinds), countries: opts(c.countries), operators: opts(c.operators), durations: opts(c.durations), services };
}
