// OTP Dock pages (popup, options): the one set of helpers both use to say words
// and build elements. Everything from a provider, an SMS or a page goes in with
// textContent or an attribute, never as markup.

const plain = new Map(); // messages without arguments, looked up once

/** @type {Intl.PluralRules | undefined} */
let rules;
/**
 * The plural form of `k` for the count in `a[0]` (`filled__one`, `weeks__few`… from
 * scripts/locales.py), in the language the messages are in; "" when `k` has no forms.
 * @param {string} k
 * @param {ReadonlyArray<string | number | null | undefined>} a
 * @returns {string}
 */
export function plural(k, a) {
  const n = Number(a[0]);
  if (a[0] == null || a[0] === "" || !Number.isFinite(n)) return "";
  rules ||= new Intl.PluralRules(chrome.i18n.getMessage("locale") || "en");
  return chrome.i18n.getMessage(`${k}__${rules.select(n)}`, a.map(String));
}

/**
 * The locale's words for `k` (with `$1`… filled from `a`), or "" when it has none.
 * @param {string} k
 * @param {...(string | number)} a
 * @returns {string}
 */
export const t = (k, ...a) => {
  if (a.length) return plural(k, a) || chrome.i18n.getMessage(k, a.map(String)) || "";
  let m = plain.get(k);
  if (m === undefined) {
    m = chrome.i18n.getMessage(k) || "";
    plain.set(k, m);
  }
  return m;
};

/** The providers' own names. */
const PROVIDERS = { smsonline: "SMS.online", smspva: "SMSPVA" };
/**
 * A provider's own name (`SMS.online`, not the id `smsonline`).
 * @param {string} p
 */
export const providerName = (p) => PROVIDERS[/** @type {keyof typeof PROVIDERS} */ (p)] || p;
/**
 * What an account is called: the user's label, else its provider's name.
 * @param {{ label?: string | null, provider: string }} a
 */
export const accountName = (a) => a.label || providerName(a.provider);

/**
 * The page's element `id`, of the class `kind` (HTMLElement when not given); throws when the
 * page has no such element.
 * @template {HTMLElement} [E=HTMLElement]
 * @param {string} id
 * @param {new () => E} [kind]
 * @returns {E}
 */
export function $(id, kind) {
  const e = document.getElementById(id);
  if (!e || (kind && !(e instanceof kind))) throw new Error(`no #${id}${kind ? " " + kind.name : ""}`);
  return /** @type {E} */ (e);
}

// An element with attributes and children: `class`, `text` (textContent) and `label`
// (aria-label and title) are special; null, undefined and false attributes are left out.
/**
 * @template {keyof HTMLElementTagNameMap} T
 * @param {T} tag
 * @param {Record<string, unknown> | null} props attribute values are said with String()
 * @param {...(Node | string | null | undefined)} kids
 * @returns {HTMLElementTagNameMap[T]}
 */
export function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  if (props) {
    for (const k in props) {
      const v = props[k];
      if (v === undefined || v === null || v === false) continue;
      const s = v === true ? "" : String(v);
      if (k === "class") e.className = s;
      else if (k === "text") e.textContent = s;
      else if (k === "label") {
        e.setAttribute("aria-label", s);
        e.title = s;
      } else e.setAttribute(k, s);
    }
  }
  for (const c of kids) if (c != null) e.append(c);
  return e;
}

// The page's own words: data-i18n (text, the HTML's words when the locale has none),
// data-i18n-placeholder, data-i18n-label (aria-label and title), and its language.
export function localisePage() {
  for (const n of document.querySelectorAll("[data-i18n]")) {
    if (n instanceof HTMLElement) n.textContent = t(n.dataset.i18n || "") || n.textContent;
  }
  for (const n of document.querySelectorAll("[data-i18n-placeholder]")) {
    if (n instanceof HTMLInputElement) n.placeholder = t(n.dataset.i18nPlaceholder || "");
  }
  for (const n of document.querySelectorAll("[data-i18n-label]")) {
    if (!(n instanceof HTMLElement)) continue;
    n.setAttribute("aria-label", t(n.dataset.i18nLabel || ""));
    n.title = t(n.dataset.i18nLabel || "");
  }
  document.documentElement.lang = chrome.i18n.getUILanguage();
}

// Words arrive localised; a word still given as a locale key with arguments ({key, args},
// as the engine produces them) is said here, so either form renders.
/**
 * @param {import("./messages.js").Words | number} w
 * @returns {string | null | undefined}
 */
export function say(w) {
  if (w == null || typeof w === "string") return w;
  if (typeof w === "object") return (w.key && t(w.key, ...(w.args || []))) || (w.args || []).join(" ") || w.key || "";
  return String(w);
}

// an error's text: its message, else the locale's words for its code (err_<code>), else the code
/**
 * @param {import("./messages.js").AnyError} e
 * @returns {string}
 */
export function errText(e) {
  return e ? say(e.message) || t("err_" + e.code) || e.code || "?" : "";
}
