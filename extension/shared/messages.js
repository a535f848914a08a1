// OTP Dock: every message between the parts. The popup and the options page send
// requests to the background (chrome.runtime.sendMessage); the background answers
// each with {ok: true, ...answer} or {ok: false, error: {code, message}}.
// The background's dispatcher (background/main.js) and the senders (popup, options,
// and the e2e tests) use these names; the background refuses any other.
import { errText } from "./dom.js";

/** Every request type the background answers. */
export const MESSAGES = Object.freeze({
  // the popup (and the options page where noted)
  VIEW: "view", // the popup's view model, optionally its first `limit` rentals
  REFRESH: "refresh", // poll now; answered with the view when the poll is done (≤ 15 s)
  SEEN: "seen", // the user has seen the new SMS (badge cleared)
  HISTORY: "history", // every SMS of one rental
  FILTER: "filter", // the record keys the popup's filter box keeps for a query
  INTENT: "intent", // an action of a rental's view entry (may spend)
  QUOTE: "quote", // the price of an intent before it is confirmed
  CATALOGUE: "catalogue", // the rent form's choices and prices
  RENT: "rent", // a new rental (spends)
  ARCHIVE: "archive", // closed rentals that can be restored
  RESTORE_QUOTE: "restore-quote", // the price of a restore
  RESTORE: "restore", // restore an archived rental (spends)
  FILL_CODE: "fill-code", // fill a code into a tab
  FILL_PHONE: "fill-phone", // fill a rental's number into a tab, binding the rental to it
  BIND_TAB: "bind-tab", // bind a rental to a tab and host
  // the inline chip (content/chip.js in a bound tab's top frame): fill the bound rental's code
  CHIP_FILL: "chip-fill",
  // the options page only
  SETTINGS: "settings",
  ACCOUNTS: "accounts", // accounts with key hints (never the keys)
  SAVE_ACCOUNT: "save-account", // checked with a live call before it is kept
  REMOVE_ACCOUNT: "remove-account",
  EXPORT: "export", // rentals, SMS and known spends as CSV or JSON text (no keys)
});

/** Requests the background answers only when they come from the options page (API keys, settings). */
export const OPTIONS_ONLY = Object.freeze([MESSAGES.SETTINGS, MESSAGES.ACCOUNTS, MESSAGES.SAVE_ACCOUNT, MESSAGES.REMOVE_ACCOUNT, MESSAGES.EXPORT]);

// ---------------------------------------------------------------- sending (pages)

/** A request that failed: its error's words, and whether it ever got an answer. */
export class Failure extends Error {
  constructor(error, lost = false) {
    super(errText(error) || "?");
    this.code = error?.code;
    this.lost = lost; // the message never got an answer (worker stopped)
    this.outcomeUnknown = lost || !!error?.outcome_unknown;
  }
}

/** Sends a request; the raw answer promise (settle() reads it). */
export function post(msg) {
  try {
    return chrome.runtime.sendMessage(msg);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The answer of a posted request, or a Failure (lost: nobody answered). */
export async function settle(answer) {
  let r;
  try {
    r = await answer;
  } catch (e) {
    // "message channel closed", "Receiving end does not exist": nobody answered
    throw new Failure({ code: "NO_ANSWER", message: String(e?.message || e) }, true);
  }
  if (r === undefined) throw new Failure({ code: "NO_ANSWER", message: "no answer" }, true);
  if (!r?.ok) throw new Failure(r?.error);
  return r;
}

/** Sends a request and waits for its answer (see settle). */
export const send = (msg) => settle(post(msg));
