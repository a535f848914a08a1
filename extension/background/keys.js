// OTP Dock background: where the accounts (API keys included) are kept.
// In the extension origin's IndexedDB, not in chrome.storage.local: a content
// script gets the page's IndexedDB, never the extension's, in Chromium and
// Firefox alike (Firefox cannot restrict storage.local to trusted contexts).
// Accounts stored in chrome.storage.local by older versions move here once.
/**
 * An account as the background keeps it, API key included: it never leaves the background
 * (the options page gets an AccountHint, shared/messages.js).
 * @typedef {{ id: string, provider: "smsonline" | "smspva", key: string, base: string | null, label: string }} Account
 */
const DB = "otpdock-keys";
const STORE = "kv";

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/**
 * Runs `fn` in one transaction; resolves to its request's result once the transaction is done.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(s: IDBObjectStore) => IDBRequest<T>} fn
 * @returns {Promise<T>}
 */
async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    t.oncomplete = () => {
      db.close();
      resolve(req.result);
    };
    t.onerror = t.onabort = () => {
      db.close();
      reject(t.error);
    };
  });
}

/** @type {Promise<void> | null} */
let migrated = null;
async function migrate() {
  const { accounts } = await chrome.storage.local.get("accounts");
  if (!Array.isArray(accounts)) return;
  const have = await tx("readonly", (s) => s.get("accounts"));
  if (!Array.isArray(have)) await tx("readwrite", (s) => s.put(accounts, "accounts"));
  await chrome.storage.local.remove("accounts");
}
// once per worker; a failed migration is tried again on the next call
function ready() {
  migrated ??= migrate().catch((e) => {
    migrated = null;
    throw e;
  });
  return migrated;
}

/** @returns {Promise<Account[]>} */
export async function loadAccounts() {
  await ready();
  return (await tx("readonly", (s) => s.get("accounts"))) || [];
}

/** @param {Account[]} accounts */
export async function storeAccounts(accounts) {
  await ready();
  await tx("readwrite", (s) => s.put(accounts, "accounts"));
}
