// OTP Dock: every message between the parts. The popup and the options page send
// requests to the background (chrome.runtime.sendMessage); the background answers
// each with {ok: true, ...answer} or {ok: false, error: {code, message}}.
// The background's dispatcher (background/main.js) and the senders (popup, options,
// and the e2e tests) use these names; the background refuses any other.
import { errText, t } from "./dom.js";

// ---------------------------------------------------------------- what the background shows

/** A word as the engine gives it: a locale key and its arguments (an empty key: the text is args[0]). */
/** @typedef {{ key: string, args: string[] }} Label */
/** A word the popup says: already in the user's language, or still a Label (the popup says it then). */
/** @typedef {string | Label | null | undefined} Words */
/** @typedef {{ code: string, message: string, outcome_unknown?: boolean }} ErrorInfo */
/** @typedef {{ code: string, message?: Words, outcome_unknown?: boolean } | null | undefined} AnyError */
/**
 * @typedef {object} SmsView
 * @property {string} key
 * @property {string} from
 * @property {string} text
 * @property {number} date seconds
 * @property {string | null} code
 * @property {boolean} [unseen]
 */
/** @typedef {{ value: string, label: Words }} Choice */
/**
 * @typedef {object} Action one thing the user can do with a rental (src/engine/view.rs)
 * @property {string} intent
 * @property {Words} label
 * @property {boolean} [primary]
 * @property {Words} [confirm]
 * @property {Choice[]} options
 * @property {boolean} [quote] ask for the price first
 * @property {number | null} [enable_at] seconds
 * @property {number | null} [disable_at] seconds
 * @property {Words} [note]
 */
/**
 * @typedef {object} RentalView
 * @property {string} key the record
 * @property {string} account
 * @property {string} [account_label]
 * @property {"smsonline" | "smspva"} provider
 * @property {"rent" | "activation"} kind
 * @property {string} number without "+"
 * @property {string} state
 * @property {boolean} open
 * @property {string} service
 * @property {string | null} [service_name]
 * @property {string | null} [country]
 * @property {string | null} [country_iso]
 * @property {string | null} [country_name] said by the background
 * @property {number | null} [until] seconds
 * @property {string | null} [bound_host]
 * @property {SmsView[]} sms
 * @property {number} sms_total
 * @property {SmsView[]} other
 * @property {number} other_total
 * @property {AnyError} [notice]
 * @property {Action[]} actions
 */
/**
 * @typedef {object} AccountView
 * @property {string} id
 * @property {"smsonline" | "smspva"} provider
 * @property {string} label
 * @property {number | null} [balance]
 * @property {string | null} [currency]
 * @property {string | null} [balance_text] the balance with its currency, as shown
 * @property {AnyError} [error]
 */
/** @typedef {{ code: string, level: string, params?: string[], message?: Words }} Banner */
/**
 * @typedef {object} View the popup's view model (src/engine/view.rs), said by background/words.js
 * @property {number} now seconds, the background's clock
 * @property {number} [at_ms] when the view was made (ms): the popup keeps the latest made
 * @property {number} unseen
 * @property {AccountView[]} accounts
 * @property {Banner[]} banners
 * @property {RentalView[]} rentals
 * @property {number} [rentals_total] all rentals, when `rentals` holds only the first ones
 */
/** @typedef {{ value: string, label: Words, iso?: string | null }} Opt */
/** @typedef {{ value: string, label: string, cost?: number | null, count?: number | null, price: Words }} ServiceOpt `price`: with its currency, or words that it is unknown */
/**
 * @typedef {object} Catalogue the rent form's choices (src/engine/catalogue.rs)
 * @property {Opt[]} kinds
 * @property {string} [kind]
 * @property {Opt[]} countries
 * @property {string} [country]
 * @property {Opt[]} operators
 * @property {Opt[]} durations
 * @property {string} [duration]
 * @property {ServiceOpt[]} services
 * @property {string | null} [currency]
 */
/** @typedef {{ account: string, id: string, number: string, service: string, closed?: number | null }} ArchiveItem */
/** @typedef {{ autoFill: boolean, notify: boolean, fastPolling: boolean }} Settings */
/** @typedef {{ provider: string, key: string, base?: string | null, id?: string, label?: string }} NewAccount */
/** @typedef {{ id: string, provider: string, base: string | null, label: string, keyHint: string }} AccountHint */
/** @typedef {{ reconciled: boolean, message: string }} SpendAnswer */

// ---------------------------------------------------------------- the messages

/**
 * Every request the background answers, by type: what a request carries besides `type`.
 * @typedef {object} Requests
 * @property {{ limit?: number }} view the popup's view model, optionally its first `limit` rentals
 * @property {{}} refresh poll now; answered with the view when the poll is done (≤ 15 s)
 * @property {{}} seen the user has seen the new SMS (badge cleared)
 * @property {{ record: string }} history every SMS of one rental
 * @property {{ query: string }} filter the record keys the popup's filter box keeps for a query (decided in Rust)
 * @property {{ record: string, intent: string, option?: string }} intent an action of a rental's view entry (may spend)
 * @property {{ record: string, option?: string }} quote the price of an intent before it is confirmed
 * @property {{ account: string, kind?: string, country?: string, duration?: string }} catalogue the rent form's choices and prices
 * @property {{ account: string, kind: string | null, service: string, country: string | null, operator: string | null, duration: string | null }} rent a new rental (spends)
 * @property {{}} archive closed rentals that can be restored
 * @property {{ account: string, id: string }} restore-quote the price of a restore
 * @property {{ account: string, id: string }} restore restore an archived rental (spends)
 * @property {{ tabId: number | undefined, code: string, record?: string, sms?: string }} fill-code fill a code into a tab
 * @property {{ tabId: number | undefined, phone: string, record?: string, dialCode?: string, iso?: string }} fill-phone fill a number into a tab, binding the rental to it
 * @property {{ record: string, tabId: number, host?: string | null }} bind-tab bind a rental to a tab and host
 * @property {{ nonce: string }} chip-fill (the inline chip, content/chip.js in a bound tab's top frame) fill the code it was shown for
 * @property {{ settings?: Partial<Settings> }} settings (options page only) change settings; answers them all
 * @property {{}} accounts (options page only) accounts with key hints, never the keys
 * @property {{ account: NewAccount }} save-account (options page only) checked with a live call before it is kept
 * @property {{ id: string }} remove-account (options page only)
 * @property {{ format: "csv" | "json" }} export (options page only) rentals, SMS and known spends as text, never keys
 */
/**
 * What the background answers to each request type (besides `ok: true`).
 * @typedef {object} Answers
 * @property {{ view: View }} view
 * @property {{ view: View }} refresh
 * @property {{}} seen
 * @property {{ sms: SmsView[], other: SmsView[] }} history
 * @property {{ keys: string[] }} filter
 * @property {SpendAnswer} intent
 * @property {{ price?: number | null, currency?: string | null, label: string }} quote `label`: the price line, or that it is unknown
 * @property {Catalogue} catalogue
 * @property {SpendAnswer & { record: string }} rent
 * @property {{ items: ArchiveItem[] }} archive
 * @property {{ price?: number | null, number?: string, days?: number | null, confirm: string }} restore-quote
 * @property {SpendAnswer} restore
 * @property {{ filled: number }} fill-code
 * @property {{ filled: number }} fill-phone
 * @property {{}} bind-tab
 * @property {{ filled: number }} chip-fill
 * @property {Settings} settings
 * @property {{ accounts: AccountHint[] }} accounts
 * @property {{ id: string, balance: number | null, balance_text: string | null, orders: number | null }} save-account (`balance_text`: the balance with its currency, as the engine writes it)
 * @property {{}} remove-account
 * @property {{ text: string }} export
 */
/** @typedef {keyof Requests} MessageType */
/**
 * A request of type K, as sent.
 * @template {MessageType} K
 * @typedef {{ type: K } & Requests[K]} Request
 */
/** @typedef {{ [K in MessageType]: Request<K> }[MessageType]} AnyRequest */
/**
 * The answer on the wire: {ok: true, ...answer} or {ok: false, error}.
 * @template {MessageType} K
 * @typedef {({ ok: true } & Answers[K]) | { ok: false, error: ErrorInfo }} Reply
 */

/** Every request type by name, for code that wants a name rather than a string. */
export const MESSAGES = Object.freeze({
  VIEW: "view",
  REFRESH: "refresh",
  SEEN: "seen",
  HISTORY: "history",
  FILTER: "filter",
  INTENT: "intent",
  QUOTE: "quote",
  CATALOGUE: "catalogue",
  RENT: "rent",
  ARCHIVE: "archive",
  RESTORE_QUOTE: "restore-quote",
  RESTORE: "restore",
  FILL_CODE: "fill-code",
  FILL_PHONE: "fill-phone",
  BIND_TAB: "bind-tab",
  CHIP_FILL: "chip-fill",
  SETTINGS: "settings",
  ACCOUNTS: "accounts",
  SAVE_ACCOUNT: "save-account",
  REMOVE_ACCOUNT: "remove-account",
  EXPORT: "export",
});
// the names and the typed list above are the same set (a type error otherwise)
/** @typedef {(typeof MESSAGES)[keyof typeof MESSAGES]} Named */
/** @type {[Exclude<MessageType, Named>, Exclude<Named, MessageType>] extends [never, never] ? true : never} */
export const NAMES_MATCH_TYPES = true;

/**
 * Requests the background answers only when they come from the options page (API keys, settings, export).
 * @type {readonly MessageType[]}
 */
export const OPTIONS_ONLY = Object.freeze([MESSAGES.SETTINGS, MESSAGES.ACCOUNTS, MESSAGES.SAVE_ACCOUNT, MESSAGES.REMOVE_ACCOUNT, MESSAGES.EXPORT]);

// ---------------------------------------------------------------- sending (pages)

/** A request that failed: its error's words, and whether it ever got an answer. */
export class Failure extends Error {
  /**
   * @param {AnyError} error
   * @param {boolean} [lost] the message never got an answer (worker stopped)
   */
  constructor(error, lost = false) {
    super(errText(error) || "?");
    this.code = error?.code;
    this.lost = lost;
    this.outcomeUnknown = lost || !!error?.outcome_unknown;
    /** nobody took the message (the worker was stopping or not listening yet): nothing was done */
    this.undelivered = error?.code === NOT_DELIVERED;
  }
}

const NOT_DELIVERED = "NOT_DELIVERED";
// Chrome's words when no listener took a message: it reached no one, so nothing was done
// (unlike "message channel closed", where the background got it and its answer was lost)
const UNDELIVERED = /Receiving end does not exist/i;

/**
 * Requests that may spend money: never sent a second time by send(), even one that was
 * not delivered; the user sees that nothing was done and asks again.
 * @type {readonly MessageType[]}
 */
export const SPENDS = Object.freeze([MESSAGES.INTENT, MESSAGES.RENT, MESSAGES.RESTORE]);
/** Never sent twice by send(): the spends, and a new account (the background names it, so twice would keep two). */
const ONCE = Object.freeze([...SPENDS, MESSAGES.SAVE_ACCOUNT]);
/** waits before sending an undelivered request again (a worker starting takes ~100 ms) */
const RESEND_MS = [100, 250, 500];

/**
 * Sends a request; the raw answer promise (settle() reads it).
 * @template {MessageType} K
 * @param {{ type: K } & Requests[K]} msg
 * @returns {Promise<Reply<K> | undefined>}
 */
export function post(msg) {
  try {
    return chrome.runtime.sendMessage(msg);
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * The answer of a posted request, or a Failure (lost: nobody answered).
 * @template {{ ok: boolean, error?: AnyError }} R
 * @param {Promise<R | undefined>} answer
 * @returns {Promise<Extract<R, { ok: true }>>}
 */
export async function settle(answer) {
  let r;
  try {
    r = await answer;
  } catch (e) {
    const why = String(/** @type {Error} */ (e)?.message || e);
    if (UNDELIVERED.test(why)) throw new Failure({ code: NOT_DELIVERED, message: t("errNotDelivered") || why });
    // "message channel closed": the background got it and nobody answered
    throw new Failure({ code: "NO_ANSWER", message: why }, true);
  }
  if (r === undefined) throw new Failure({ code: "NO_ANSWER", message: "no answer" }, true);
  if (!r?.ok) throw new Failure(r?.error);
  return /** @type {Extract<R, { ok: true }>} */ (r);
}

/**
 * Sends a request and waits for its answer (see settle). A request that reached no one
 * (the worker was stopping as it came) is sent again, up to three times, unless it may
 * spend or adds an account (ONCE).
 * @template {MessageType} K
 * @param {{ type: K } & Requests[K]} msg
 * @returns {Promise<{ ok: true } & Answers[K]>}
 */
export async function send(msg) {
  for (let i = 0; ; i++) {
    try {
      return await settle(post(msg));
    } catch (e) {
      if (!(e instanceof Failure && e.undelivered) || ONCE.includes(msg.type) || i >= RESEND_MS.length) throw e;
      await new Promise((res) => setTimeout(res, RESEND_MS[i]));
    }
  }
}
