// Serves the popup's directory (and generated payloads) to the popup benchmark and smoke run.
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";

export const ROOT = resolve(new URL("../..", import.meta.url).pathname);

// Where the popup's page is in an extension directory: popup/popup.html, or popup.html
// at the top in revisions before the extension was laid out by part.
export const popupPage = (dir) => (existsSync(join(dir, "popup/popup.html")) ? "popup/popup.html" : "popup.html");

// --dir, --rev (extension/ of a git revision), else dist/chrome when it is at least as
// new as extension/popup/popup.js, else extension/
export function pickDir({ dir, rev } = {}) {
  if (dir) return resolve(dir);
  if (rev) {
    const tmp = mkdtempSync(join(tmpdir(), "otpdock-bench-"));
    execFileSync("sh", ["-c", `git -C "${ROOT}" archive "${rev}" extension | tar -x -C "${tmp}"`]);
    return join(tmp, "extension");
  }
  const dist = join(ROOT, "dist/chrome"),
    src = join(ROOT, "extension");
  const js = "popup/popup.js";
  if (existsSync(join(dist, js)) && statSync(join(dist, js)).mtimeMs >= statSync(join(src, js)).mtimeMs) return dist;
  return src;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
};

// payloads: path -> string, served as JSON
export async function serve(dir, payloads = new Map()) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (payloads.has(path)) return res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=3600" }).end(payloads.get(path));
    const file = join(dir, path.replace(/^\/+/, ""));
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", "cache-control": "max-age=3600" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    popup: "/" + popupPage(dir),
    payloads,
    messages: JSON.parse(readFileSync(join(dir, "_locales/en/messages.json"), "utf8")),
    close: () => server.close(),
  };
}

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
