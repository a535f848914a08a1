// OTP Dock inline chip, injected on demand by the background into the top frame of
// a tab bound to a rental that just received a code (and only when the user allowed
// every site). It shows "Fill code from <service>" next to the code field; it never
// holds the code: a real (trusted) click or Enter asks the background, which
// re-authorises the fill with the Rust check and fills through the usual path.
// Its DOM lives in a closed shadow root: page scripts can neither read it nor click it.
/** @typedef {{ x: number, y: number, w: number, h: number }} Box */
(() => {
  if (globalThis.__otpdockChip) return;
  /** @type {HTMLElement | null} */
  let host = null;
  let timer = 0;

  function remove() {
    clearTimeout(timer);
    host?.remove();
    host = null;
    document.removeEventListener("keydown", onKey, true);
  }
  /** @param {KeyboardEvent} e */
  function onKey(e) {
    if (e.key === "Escape" && e.isTrusted) remove();
  }

  const INTERACTIVE = "a[href],button,input,select,textarea,summary,[role=button],[role=link],[tabindex],[contenteditable=true]";
  const overlaps = (/** @type {Box} */ a, /** @type {Box} */ b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  // the page's own controls, in page coordinates
  function controls() {
    const out = [];
    for (const e of document.querySelectorAll(INTERACTIVE)) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out.push({ x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height });
    }
    return out;
  }

  // below the field, else to its right, else above it: the first place that covers none of the page's controls
  /** @param {Box} f */
  function place(f) {
    if (!host) return;
    const { width: w, height: h } = host.getBoundingClientRect();
    const spots = [
      { x: f.x, y: f.y + f.h + 4 },
      { x: f.x + f.w + 8, y: f.y },
      { x: f.x, y: f.y - h - 4 },
    ].map((s) => ({ x: Math.max(0, s.x), y: Math.max(0, s.y), w, h }));
    const busy = controls();
    const spot = spots.find((s) => !busy.some((c) => overlaps(s, c))) || spots[0];
    host.style.left = spot.x + "px";
    host.style.top = spot.y + "px";
  }

  const CSS = `:host{all:initial;position:absolute;z-index:2147483647;display:block}
.chip{display:flex;align-items:center;gap:4px;font:13px/1.3 system-ui,sans-serif;background:#fff;color:#1b1f24;border:1px solid #2563eb;border-radius:16px;padding:2px 4px 2px 2px;box-shadow:0 1px 4px rgba(0,0,0,.25)}
button{font:inherit;color:inherit;background:transparent;border:0;border-radius:14px;padding:3px 8px;cursor:pointer}
.fill{background:#2563eb;color:#fff}
button:focus-visible{outline:2px solid #1b1f24;outline-offset:1px}
.msg:empty{display:none}
.msg{color:#c5221f;max-width:240px}
@media (prefers-color-scheme:dark){.chip{background:#1f2125;color:#e8eaed;border-color:#8ab4f8}.msg{color:#f28b82}button:focus-visible{outline-color:#e8eaed}}`;

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {Partial<HTMLElementTagNameMap[K]>} props
   */
  const make = (tag, props) => Object.assign(document.createElement(tag), props);

  /** @param {OtpdockChipOffer} o the field's box in page coordinates and the words */
  function show(o) {
    remove();
    host = document.createElement("otpdock-chip");
    const root = host.attachShadow({ mode: "closed" });
    const style = make("style", { textContent: CSS });
    const box = make("div", { className: "chip" });
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", o.label);
    const fill = make("button", { type: "button", className: "fill", textContent: o.text });
    fill.setAttribute("aria-label", o.label);
    const close = make("button", { type: "button", className: "close", textContent: "×", title: o.close });
    close.setAttribute("aria-label", o.close);
    const msg = make("span", { className: "msg" });
    msg.setAttribute("role", "status");
    fill.addEventListener("click", async (/** @type {MouseEvent} */ e) => {
      // a page script's synthetic click (element.click(), dispatchEvent) is not the user's
      if (!e.isTrusted) return;
      fill.disabled = true;
      try {
        const r = await chrome.runtime.sendMessage({ type: "chip-fill", nonce: o.nonce });
        if (r?.ok) return remove();
        msg.textContent = r?.error?.message || "";
      } catch {
        remove();
      } finally {
        fill.disabled = false;
      }
    });
    close.addEventListener("click", (/** @type {MouseEvent} */ e) => e.isTrusted && remove());
    box.append(fill, close, msg);
    root.append(style, box);
    // a child of <html>: its coordinates are the page's, whatever the body's position
    document.documentElement.append(host);
    place(o.rect);
    document.addEventListener("keydown", onKey, true);
    timer = setTimeout(remove, o.ttl || 600000);
  }

  globalThis.__otpdockChip = { show, remove };
})();
