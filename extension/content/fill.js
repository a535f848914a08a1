// OTP Dock page helper, injected on demand into the tab being filled.
// It only describes form fields and writes the values the background decided;
// it never sees API keys, SMS text or other tabs' data.
// Types (checked by tsc, see tsconfig.json): F is any form control; nodes of the page are any.
/** @typedef {HTMLInputElement & Pick<HTMLSelectElement, "options">} F */
(() => {
  if (globalThis.__otpdock) return;
  /** @type {F[]} */
  const els = [];
  const groups = new WeakMap();
  let gid = 0;
  // open and closed shadow roots (chrome.dom throws for non-HTML elements such as SVG)
  const root = (/** @type {any} */ el) => {
    if (!(el instanceof HTMLElement)) return null;
    try {
      return globalThis.chrome?.dom?.openOrClosedShadowRoot?.(el) || /** @type {any} */ (el).openOrClosedShadowRoot || el.shadowRoot;
    } catch {
      return el.shadowRoot;
    }
  };

  /** @type {(node: ParentNode, out: F[]) => F[]} */
  function walk(node, out) {
    for (const el of node.querySelectorAll("*")) {
      const t = el.tagName;
      if (t === "INPUT" || t === "SELECT" || t === "TEXTAREA") out.push(/** @type {F} */ (el));
      const sr = root(el);
      if (sr) walk(sr, out);
    }
    return out;
  }

  const txt = (/** @type {string | null | undefined} */ s, n = 160) => (s || "").replace(/\s+/g, " ").trim().slice(0, n);

  /** @param {any} el */
  function group(el) {
    let p = el.parentElement || el.getRootNode().host;
    for (let i = 0; p && i < 5; i++) {
      if (p.querySelectorAll("input").length > 1) break;
      p = p.parentElement;
    }
    if (!p) return "";
    if (!groups.has(p)) groups.set(p, "g" + ++gid);
    return groups.get(p);
  }

  /** @param {F} el */
  function labelOf(el) {
    const parts = [];
    for (const l of el.labels || []) parts.push(l.textContent);
    const by = el.getAttribute("aria-labelledby");
    if (by) for (const id of by.split(/\s+/)) parts.push(/** @type {any} */ (el.getRootNode()).getElementById?.(id)?.textContent || "");
    return txt(parts.join(" "));
  }

  /** @param {F} el */
  function around(el) {
    const box = el.closest("form,[role=dialog],fieldset,section") || el.parentElement?.parentElement?.parentElement;
    if (!box) return "";
    let s = "";
    for (const h of box.querySelectorAll("h1,h2,h3,h4,legend,p,label,span,div")) {
      if (h.children.length > 2) continue;
      s += " " + h.textContent;
      if (s.length > 300) break;
    }
    return txt(s, 300);
  }

  // Text just before el in reading order, up to the previous visible form control, buttons aside (its heading,
  // instruction paragraph or caption), crossing out of shadow roots; nearest last, at most 200 chars.
  const SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|OPTION)$/;
  const shown = (/** @type {any} */ e) => !e.checkVisibility || e.checkVisibility();
  /** @param {any} el */
  function before(el) {
    const parts = [];
    let len = 0;
    let steps = 0;
    scan: for (let at = el; at && len < 200; at = at.getRootNode().host) {
      const w = document.createTreeWalker(at.getRootNode(), 5);
      w.currentNode = at;
      // biome-ignore lint/suspicious/noAssignInExpressions: the walker moves only while the budget lasts
      for (let /** @type {any} */ n; len < 200 && ++steps < 300 && (n = w.previousNode()); ) {
        if (n.nodeType === 1) {
          if (/^(INPUT|SELECT|TEXTAREA)$/.test(n.tagName) && !/^(hidden|submit|button|reset|image)$/.test(n.type) && shown(n)) break scan;
        } else if (n.parentElement && !SKIP.test(n.parentElement.tagName) && shown(n.parentElement)) {
          const t = txt(n.data, 200);
          if (t) {
            parts.push(t);
            len += t.length + 1;
          }
        }
      }
    }
    return parts.reverse().join(" ").slice(-200);
  }

  /** @param {F} el */
  function prefixOf(el) {
    const box = el.closest(".iti,.react-tel-input,.PhoneInput") || el.parentElement?.parentElement;
    if (!box) return "";
    const dial = box.querySelector(".iti__selected-dial-code,.selected-dial-code");
    if (dial) return txt(dial.textContent, 8);
    for (const c of box.querySelectorAll("span,div,label,button")) {
      const t = (c.textContent || "").trim();
      if (c.children.length === 0 && /^\+\d{1,4}$/.test(t)) return t;
    }
    return "";
  }

  /** @type {(el: F, st: CSSStyleDeclaration, r: DOMRect) => boolean} */
  function visible(el, st, r) {
    if (r.width < 1 || r.height < 1 || st.display === "none" || st.visibility === "hidden" || st.visibility === "collapse") return false;
    if (r.right < 0 || r.bottom < 0 || r.left > innerWidth + 2000 || r.top > document.documentElement.scrollHeight + 2000) return false;
    let o = 1;
    for (let /** @type {any} */ p = el; p && p.nodeType === 1; p = p.parentElement || p.getRootNode().host) o *= parseFloat(getComputedStyle(p).opacity || "1");
    // input-otp and similar: one transparent input above visible slots
    return o > 0.05 || /one-time-code/i.test(el.autocomplete || "") || r.width >= 40;
  }

  function collect() {
    els.length = 0;
    const out = [];
    for (const el of walk(document, [])) {
      const st = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const tag = el.tagName.toLowerCase();
      if (tag === "input" && /^(hidden|submit|button|checkbox|radio|file|image|reset|range|color|date|datetime-local|month|week|time)$/.test(el.type)) continue;
      const data = [...el.attributes]
        .filter((a) => a.name.startsWith("data-") || a.name === "title")
        .map((a) => a.name + " " + a.value)
        .join(" ");
      const idx = els.push(el) - 1;
      out.push({
        idx,
        tag,
        type: tag === "input" ? el.type : tag,
        name: el.name || "",
        id: el.id || "",
        cls: txt(String(el.className || ""), 200),
        placeholder: el.placeholder || "",
        aria: el.getAttribute("aria-label") || "",
        label: labelOf(el),
        autocomplete: el.getAttribute("autocomplete") || "",
        inputmode: el.inputMode || el.getAttribute("inputmode") || "",
        pattern: el.getAttribute("pattern") || "",
        maxlength: el.maxLength ?? -1,
        minlength: el.minLength ?? -1,
        size: el.size || -1,
        x: r.left + scrollX,
        y: r.top + scrollY,
        w: r.width,
        h: r.height,
        visible: visible(el, st, r),
        disabled: !!el.disabled,
        readonly: !!el.readOnly,
        // a prefilled dial code ("+1") is not user text
        has_value: tag !== "select" && (el.value || "").replace(/[\s+()-]/g, "").length > 3,
        focused: el === document.activeElement || /** @type {any} */ (el.getRootNode()).activeElement === el,
        text: around(el),
        before: before(el),
        data: txt(data, 200),
        group: group(el),
        prefix: tag === "input" ? prefixOf(el) : "",
        options: tag === "select" ? [...el.options].slice(0, 300).map((o) => [o.value, txt(o.text, 60)]) : [],
      });
    }
    // payment frames (Stripe, Braintree, Adyen...) are cross-site and never collected: describe them, never written
    for (const f of [...document.querySelectorAll("iframe")].slice(0, 20)) {
      out.push({
        idx: els.push(/** @type {any} */ (f)) - 1,
        tag: "iframe",
        data: txt(`${f.title} ${f.name} ${f.id} ${f.className} ${(f.src || "").split("?")[0]}`, 200),
        visible: shown(f),
      });
    }
    return out;
  }

  const tick = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

  /** @type {(el: F, type: string, ch: string) => boolean} */
  function key(el, type, ch) {
    const code = /\d/.test(ch) ? "Digit" + ch : /[a-z]/i.test(ch) ? "Key" + ch.toUpperCase() : "";
    return el.dispatchEvent(new KeyboardEvent(type, { key: ch, code, bubbles: true, cancelable: true, composed: true }));
  }

  /** @type {(el: F, v: string) => void} */
  function setNative(el, v) {
    const proto =
      el instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : el instanceof HTMLSelectElement
          ? HTMLSelectElement.prototype
          : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, v);
  }

  // focus, keydown, keypress, beforeinput, native value set, input, keyup, change
  /** @type {(el: F, v: string) => Promise<void>} */
  async function write(el, v) {
    el.focus({ preventScroll: true });
    el.dispatchEvent(new FocusEvent("focusin", { bubbles: true, composed: true }));
    if (el.tagName === "SELECT") {
      setNative(el, v);
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
    const last = v.slice(-1);
    key(el, "keydown", last);
    key(el, "keypress", last);
    const go = el.dispatchEvent(new InputEvent("beforeinput", { inputType: "insertText", data: v, bubbles: true, cancelable: true, composed: true }));
    if (go) {
      setNative(el, v);
      el.dispatchEvent(new InputEvent("input", { inputType: "insertText", data: v, bubbles: true, composed: true }));
    }
    key(el, "keyup", last);
    el.dispatchEvent(new Event("change", { bubbles: true }));
    await tick(0);
  }

  /** @type {(el: F, text: string) => boolean} */
  function paste(el, text) {
    const dt = new DataTransfer();
    dt.setData("text/plain", text);
    el.focus({ preventScroll: true });
    return el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true, composed: true }));
  }

  const matches = (/** @type {OtpdockWrite[]} */ ws) => ws.every((w) => els[w.idx] && (els[w.idx].value || "").replace(/\s|-/g, "") === w.value);

  // writes: [{idx, value}]; split: one char per box in order
  /** @type {OtpdockPage["apply"]} */
  async function apply(writes, split, select) {
    if (select && els[select.idx]) await write(els[select.idx], select.value);
    if (split) {
      const first = els[writes[0].idx];
      paste(first, writes.map((w) => w.value).join(""));
      await tick(30);
      if (!matches(writes)) {
        for (const w of writes) {
          const el = els[w.idx];
          if (!el?.isConnected) continue;
          if ((el.value || "") === w.value) continue;
          await write(el, w.value);
          await tick(15);
        }
      }
    } else {
      for (const w of writes) if (els[w.idx]) await write(els[w.idx], w.value);
    }
    await tick(30);
    // a component that rewrote a box (auto-advance into the next one) may need the remaining chars
    if (split && !matches(writes)) {
      for (const w of writes) {
        const el = els[w.idx];
        if (el && (el.value || "") !== w.value) {
          await write(el, w.value);
          await tick(15);
        }
      }
    }
    let filled = 0;
    for (const w of writes) {
      const v = (els[w.idx]?.value || "").replace(/[\s()-]/g, "");
      // (an empty field never matches, even an empty write)
      if (
        v.length > 0 &&
        v.endsWith(
          w.value
            .replace(/[\s()-]/g, "")
            .replace(/^\+/, "")
            .slice(-Math.min(4, w.value.length)),
        )
      )
        filled++;
    }
    return { filled, expected: writes.length };
  }

  globalThis.__otpdock = { collect, apply };
})();
