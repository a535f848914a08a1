// OTP Dock options: provider keys (validated with a live call) and behaviour.
// Keys are sent only to the background worker.
const t = (k, ...a) => chrome.i18n.getMessage(k, a.map(String)) || k;
const $ = (id) => document.getElementById(id);
for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t(n.dataset.i18n);
document.documentElement.lang = chrome.i18n.getUILanguage();

async function send(msg) {
  const r = await chrome.runtime.sendMessage(msg);
  if (!r?.ok) throw r?.error || { message: "?" };
  return r;
}

function say(id, text, kind) {
  $(id).textContent = text;
  $(id).className = kind || "";
}

async function listAccounts() {
  const { accounts } = await send({ type: "accounts" });
  $("accounts").replaceChildren(
    ...accounts.map((a) => {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = `${a.provider === "smsonline" ? "SMS.online" : "SMSPVA"} ${a.keyHint}${a.base ? " · " + a.base : ""}`;
      const rm = document.createElement("button");
      rm.type = "button";
      rm.textContent = t("remove");
      rm.onclick = async () => {
        await send({ type: "remove-account", id: a.id });
        listAccounts();
      };
      li.append(name, rm);
      return li;
    }),
  );
}

// A custom API URL needs access to its host; ask for exactly that origin.
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
  const account = { provider: $("a-provider").value, key: $("a-key").value, base: $("a-base").value.trim() || null };
  $("a-save").disabled = true;
  say("a-status", t("checking"));
  try {
    // the permission request must run in the click's user gesture, before any await on messages
    const granted = await ensureHost(account.base);
    if (!granted && account.base) {
      // CORS-enabled endpoints still work without the permission; the live check below decides
    }
    const r = await send({ type: "save-account", account });
    say("a-status", r.balance != null ? t("keyOk", Number(r.balance).toFixed(2)) : t("keyOkOrders", r.orders), "ok");
    $("a-key").value = "";
    listAccounts();
  } catch (err) {
    say("a-status", err.message || String(err), "error");
  } finally {
    $("a-save").disabled = false;
  }
});

async function loadSettings() {
  const { settings = {} } = await chrome.storage.local.get("settings");
  $("s-autofill").checked = settings.autoFill !== false;
  $("s-notify").checked = settings.notify !== false;
  $("s-fast").checked = settings.fastPolling !== false;
  $("s-allsites").checked = await chrome.permissions.contains({ origins: ["<all_urls>"] });
}

for (const [id, key] of [["s-autofill", "autoFill"], ["s-notify", "notify"], ["s-fast", "fastPolling"]]) {
  $(id).addEventListener("change", async () => {
    await send({ type: "settings", settings: { [key]: $(id).checked } });
    say("s-status", t("saved"), "ok");
  });
}
$("s-allsites").addEventListener("change", async () => {
  const on = $("s-allsites").checked;
  const ok = on ? await chrome.permissions.request({ origins: ["<all_urls>"] }).catch(() => false) : await chrome.permissions.remove({ origins: ["<all_urls>"] });
  if (on && !ok) $("s-allsites").checked = false;
  say("s-status", t("saved"), "ok");
});

// the default endpoint of the chosen provider, as a hint
const DEFAULT_BASE = { smsonline: "https://api.sms.online/stubs/handler_api.php", smspva: "https://smspva.com/api/rent.php" };
$("a-provider").addEventListener("change", () => ($("a-base").placeholder = DEFAULT_BASE[$("a-provider").value]));

// Keyboard shortcuts: the manifest's commands with the keys the user has now
// (they can be changed or removed in the browser's own shortcut settings).
const IS_FIREFOX = location.protocol === "moz-extension:";
const COMMAND_TEXT = { _execute_action: "cmdOpenPopup", "fill-code": "cmdFillCode", "fill-number": "cmdFillNumber" };
async function listShortcuts() {
  const commands = await chrome.commands.getAll();
  $("shortcuts").replaceChildren(
    ...commands.map((c) => {
      const li = document.createElement("li");
      li.dataset.command = c.name;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = COMMAND_TEXT[c.name] ? t(COMMAND_TEXT[c.name]) : c.description || c.name;
      const keys = document.createElement("span");
      keys.className = "keys";
      if (c.shortcut) {
        c.shortcut.split("+").forEach((k, i) => {
          if (i) keys.append("+");
          const kbd = document.createElement("kbd");
          kbd.textContent = k;
          keys.append(kbd);
        });
      } else {
        keys.textContent = t("shortcutNone");
      }
      li.append(name, keys);
      return li;
    }),
  );
  $("shortcuts-how").textContent = t(IS_FIREFOX ? "shortcutsHowFirefox" : "shortcutsHowChrome");
}
$("shortcuts-change").addEventListener("click", () => {
  // Firefox (137+; the manifest asks for 140) opens about:addons on its shortcut view;
  // Chrome lets an extension open its shortcuts page
  if (IS_FIREFOX) chrome.commands.openShortcutSettings();
  else chrome.tabs.create({ url: "chrome://extensions/shortcuts" });
});

listAccounts();
loadSettings();
listShortcuts();
