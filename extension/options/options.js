// OTP Dock options: provider keys (validated with a live call) and behaviour.
// Keys are sent only to the background worker.
import { $, el, localisePage, providerName, t } from "../shared/dom.js";
import { send } from "../shared/messages.js";
/** @import { Settings } from "../shared/messages.js" */

localisePage();

/** @param {string} id */
const checkbox = (id) => $(id, HTMLInputElement);

/**
 * @param {string} id
 * @param {string} text
 * @param {"ok" | "error"} [kind]
 */
function show(id, text, kind) {
  $(id).textContent = text;
  $(id).className = kind || "";
}

async function listAccounts() {
  const { accounts } = await send({ type: "accounts" });
  $("accounts").replaceChildren(
    ...accounts.map((a) => {
      const rm = el("button", { type: "button", text: t("remove") });
      rm.onclick = async () => {
        await send({ type: "remove-account", id: a.id });
        listAccounts();
      };
      return el("li", null, el("span", { class: "name", text: `${providerName(a.provider)} ${a.keyHint}${a.base ? " · " + a.base : ""}` }), rm);
    }),
  );
}

// A custom API URL needs access to its host; ask for exactly that origin.
/** @param {string | null} base */
async function ensureHost(base) {
  if (!base) return true;
  let u;
  try {
    u = new URL(base);
  } catch {
    return false;
  }
  const origin = `${u.protocol}//${u.hostname}/*`;
  if (await chrome.permissions.contains({ origins: [origin] })) return true;
  try {
    return await chrome.permissions.request({ origins: [origin] });
  } catch {
    return false;
  }
}

$("acc-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const account = {
    provider: $("a-provider", HTMLSelectElement).value,
    key: $("a-key", HTMLInputElement).value,
    base: $("a-base", HTMLInputElement).value.trim() || null,
  };
  $("a-save", HTMLButtonElement).disabled = true;
  show("a-status", t("checking"));
  try {
    // the permission request must run in the click's user gesture, before any await on messages
    const granted = await ensureHost(account.base);
    if (!granted && account.base) {
      // CORS-enabled endpoints still work without the permission; the live check below decides
    }
    const r = await send({ type: "save-account", account });
    show("a-status", r.balance_text != null ? t("keyOk", r.balance_text) : t("keyOkOrders", String(r.orders)), "ok");
    $("a-key", HTMLInputElement).value = "";
    listAccounts();
  } catch (err) {
    show("a-status", (err instanceof Error && err.message) || String(err), "error");
  } finally {
    $("a-save", HTMLButtonElement).disabled = false;
  }
});

async function loadSettings() {
  /** @type {{ settings?: Partial<Settings> }} */
  const { settings = {} } = await chrome.storage.local.get("settings");
  checkbox("s-autofill").checked = settings.autoFill !== false;
  checkbox("s-notify").checked = settings.notify !== false;
  checkbox("s-fast").checked = settings.fastPolling !== false;
  checkbox("s-allsites").checked = await chrome.permissions.contains({ origins: ["<all_urls>"] });
}

for (const [id, key] of [
  ["s-autofill", "autoFill"],
  ["s-notify", "notify"],
  ["s-fast", "fastPolling"],
]) {
  $(id).addEventListener("change", async () => {
    await send({ type: "settings", settings: { [key]: checkbox(id).checked } });
    show("s-status", t("saved"), "ok");
  });
}
$("s-allsites").addEventListener("change", async () => {
  const on = checkbox("s-allsites").checked;
  const ok = on
    ? await chrome.permissions.request({ origins: ["<all_urls>"] }).catch(() => false)
    : await chrome.permissions.remove({ origins: ["<all_urls>"] });
  if (on && !ok) checkbox("s-allsites").checked = false;
  show("s-status", t("saved"), "ok");
});

// the default endpoint of the chosen provider, as a hint
/** @type {Record<string, string>} */
const DEFAULT_BASE = { smsonline: "https://api.sms.online/stubs/handler_api.php", smspva: "https://smspva.com/api/rent.php" };
$("a-provider").addEventListener("change", () => {
  $("a-base", HTMLInputElement).placeholder = DEFAULT_BASE[$("a-provider", HTMLSelectElement).value];
});

// Keyboard shortcuts: the manifest's commands with the keys the user has now
// (they can be changed or removed in the browser's own shortcut settings).
const IS_FIREFOX = location.protocol === "moz-extension:";
/** @type {Record<string, string>} */
const COMMAND_TEXT = { _execute_action: "cmdOpenPopup", "fill-code": "cmdFillCode", "fill-number": "cmdFillNumber" };
async function listShortcuts() {
  const commands = await chrome.commands.getAll();
  $("shortcuts").replaceChildren(
    ...commands.map((c) => {
      const keys = el("span", { class: "keys" });
      if (c.shortcut) {
        c.shortcut.split("+").forEach((k, i) => {
          if (i) keys.append("+");
          keys.append(el("kbd", { text: k }));
        });
      } else {
        keys.textContent = t("shortcutNone");
      }
      return el(
        "li",
        { "data-command": c.name },
        el("span", { class: "name", text: COMMAND_TEXT[c.name || ""] ? t(COMMAND_TEXT[c.name || ""]) : c.description || c.name }),
        keys,
      );
    }),
  );
  $("shortcuts-how").textContent = t(IS_FIREFOX ? "shortcutsHowFirefox" : "shortcutsHowChrome");
}
$("shortcuts-change").addEventListener("click", () => {
  // Firefox (137+; the manifest asks for 140) opens about:addons on its shortcut view;
  // Chrome lets an extension open its shortcuts page
  // (Firefox's own API, not in @types/chrome)
  if (IS_FIREFOX) /** @type {typeof chrome.commands & { openShortcutSettings(): void }} */ (chrome.commands).openShortcutSettings();
  else chrome.tabs.create({ url: "chrome://extensions/shortcuts" });
});

// Export: the text is built in Rust (background), saved here as a file
const EXPORT_TYPES = { csv: "text/csv;charset=utf-8", json: "application/json" };
for (const format of /** @type {("csv" | "json")[]} */ (["csv", "json"])) {
  $("export-" + format).addEventListener("click", async () => {
    try {
      const { text } = await send({ type: "export", format });
      const url = URL.createObjectURL(new Blob([text], { type: EXPORT_TYPES[format] }));
      const day = new Date().toISOString().slice(0, 10);
      const a = el("a", { href: url, download: `otpdock-${day}.${format}`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      show("export-status", "");
    } catch (err) {
      show("export-status", err instanceof Error ? err.message : String(err), "error");
    }
  });
}

listAccounts();
loadSettings();
listShortcuts();
