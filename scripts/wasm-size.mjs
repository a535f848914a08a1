#!/usr/bin/env node
// What each crate costs in the shipped wasm (issue 10: "measure what each crate costs").
//
// The shipped module has no names, so this makes the same module again with them: build.sh's
// wasm-opt run on wasm-bindgen's output, with -g (keep the name section) instead of stripping.
// The code is the same (a check below compares its code section with the shipped one, byte
// for byte); only names are kept. Each function is then counted under the crate (for otpdock:
// the module) that its name starts with: a generic of core or alloc instantiated for our types
// counts as core or alloc; `<X as Y>::f` counts under X's crate, or Y's when X is a primitive,
// a reference, a tuple, a slice or a generic parameter. Functions wasm-opt made (merging
// similar ones) have no name. "gzip alone" is that crate's function bodies compressed on their
// own, so the column adds up to more than the module's gzip (less shared context).
//
// Usage: node scripts/wasm-size.mjs [rows]   (after ./build.sh)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const rows = Number.parseInt(process.argv[2] ?? "30", 10) || 30;
const shipped = join(ROOT, "dist/chrome/wasm/otpdock_bg.wasm");
const named = join(ROOT, "target/wasm-size/named.wasm");
mkdirSync(dirname(named), { recursive: true });

// build.sh's wasm-opt flags, names kept (-g) and DWARF stripped instead of all debug info
const build = readFileSync(join(ROOT, "build.sh"), "utf8");
const call = build.match(/node_modules\/\.bin\/wasm-opt ([^"]+)"\$out\/otpdock_bg\.wasm"/s);
if (!call) throw new Error("build.sh: the wasm-opt call was not found");
const flags = call[1]
  .replace(/\\\n/g, " ")
  .split(/\s+/)
  .filter((f) => f && f !== "--strip-debug");
execFileSync(join(ROOT, "node_modules/.bin/wasm-opt"), ["-g", "--strip-dwarf", ...flags, join(ROOT, "target/wasm-out/otpdock_bg.wasm"), "-o", named], {
  stdio: "inherit",
});

/** The sections of a module: [{id, name?, start, end}] (payload bounds). */
function sections(b) {
  if (b.length < 8 || b.readUInt32BE(0) !== 0x0061736d) throw new Error("not a wasm module");
  const out = [];
  let i = 8;
  while (i < b.length) {
    const id = b[i++];
    const [size, at] = leb(b, i);
    const s = { id, start: at, end: at + size };
    if (id === 0) {
      const [n, p] = leb(b, at);
      s.name = b.subarray(p, p + n).toString("utf8");
      s.start = p + n;
    }
    out.push(s);
    i = at + size;
  }
  return out;
}

function leb(b, i) {
  let r = 0;
  let shift = 0;
  for (;;) {
    if (i >= b.length) throw new Error("truncated wasm module");
    const x = b[i++];
    r += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (x < 0x80) return [r, i];
  }
}

function importedFunctions(b, s) {
  let [n, i] = leb(b, s.start);
  let funcs = 0;
  for (; n > 0; n--) {
    for (let k = 0; k < 2; k++) {
      const [l, j] = leb(b, i);
      i = j + l;
    }
    const kind = b[i++];
    if (kind === 0) {
      funcs++;
      i = leb(b, i)[1];
    } else if (kind === 1) {
      i++; // reftype
      const flag = b[i++];
      i = leb(b, i)[1];
      if (flag & 1) i = leb(b, i)[1];
    } else if (kind === 2) {
      const flag = b[i++];
      i = leb(b, i)[1];
      if (flag & 1) i = leb(b, i)[1];
    } else if (kind === 3) {
      i += 2;
    } else {
      i = leb(b, i + 1)[1]; // tag
    }
  }
  return funcs;
}

/** Function index -> name, from the name section's function names. */
function functionNames(b, s) {
  const names = new Map();
  let i = s.start;
  while (i < s.end) {
    const sub = b[i++];
    const [size, at] = leb(b, i);
    if (sub === 1) {
      let [n, j] = leb(b, at);
      for (; n > 0; n--) {
        const [idx, p] = leb(b, j);
        const [l, q] = leb(b, p);
        names.set(idx, b.subarray(q, q + l).toString("utf8"));
        j = q + l;
      }
    }
    i = at + size;
  }
  return names;
}

const PRIMITIVE = /^(u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64|bool|char|str)$/;

/** The crate a type or trait path belongs to, or null for a primitive, a reference, a tuple,
 * a slice, a pointer or a bare generic parameter (`T`). */
function crateOf(path) {
  const p = path.trim();
  if (/^[&*([]/.test(p) || /^dyn /.test(p)) return null;
  const m = p.match(/^([A-Za-z_][A-Za-z0-9_]*)/);
  if (!m || PRIMITIVE.test(m[1]) || (/^[A-Z][A-Za-z0-9]*$/.test(m[1]) && !p.includes("::"))) return null;
  return p;
}

/** `<X as Y>::f` -> [X, Y]; `<X>::f` -> [X, null]; else null. */
function implParts(name) {
  if (!name.startsWith("<")) return null;
  let depth = 0;
  let as = -1;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === "<") depth++;
    else if (c === ">" && name[i - 1] !== "-") {
      depth--;
      if (depth === 0) return as < 0 ? [name.slice(1, i), null] : [name.slice(1, as), name.slice(as + 4, i)];
    } else if (depth === 1 && as < 0 && name.startsWith(" as ", i)) as = i;
  }
  return null;
}

function owner(name) {
  if (!name) return "(unnamed: made by wasm-opt)";
  if (/^__wbg_|^__wbindgen|^__externref|^__wbgtest/.test(name)) return "wasm-bindgen glue";
  let path = name.replace(/\[[0-9a-f]{16}\]/g, "");
  const impl = implParts(path);
  if (impl) path = crateOf(impl[0]) ?? (impl[1] && crateOf(impl[1])) ?? "core";
  const m = path.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:::([A-Za-z_][A-Za-z0-9_]*))?(?:::([A-Za-z_][A-Za-z0-9_]*))?/);
  if (!m) return "(other)";
  if (m[1] === "otpdock") {
    if (m[2] === "engine" && m[3] && /^[a-z]/.test(m[3]) && m[3] !== "engine_error") return `otpdock::engine::${m[3]}`;
    return m[2] ? `otpdock::${m[2]}` : "otpdock";
  }
  // a bare name: an export, which wasm-bindgen names after the JS API (dock_new, planPhone)
  if (!m[2]) return impl ? "core" : "exports (wasm-bindgen shims)";
  return m[1];
}

const b = readFileSync(named);
const secs = sections(b);
const imports = secs.find((s) => s.id === 2);
const code = secs.find((s) => s.id === 10);
const data = secs.find((s) => s.id === 11);
const nameSec = secs.find((s) => s.id === 0 && s.name === "name");
if (!code || !nameSec) throw new Error("no code or name section in " + named);
const names = functionNames(b, nameSec);
const base = imports ? importedFunctions(b, imports) : 0;

const shippedBytes = readFileSync(shipped);
const shippedCode = sections(shippedBytes).find((s) => s.id === 10);
const codeBytes = b.subarray(code.start, code.end);
if (!shippedCode || !shippedBytes.subarray(shippedCode.start, shippedCode.end).equals(codeBytes)) {
  throw new Error("the named module's code differs from the shipped one: rebuild with ./build.sh");
}

const groups = new Map();
let [n, i] = leb(b, code.start);
for (let f = 0; f < n; f++) {
  const [size, at] = leb(b, i);
  const key = owner(names.get(base + f));
  const g = groups.get(key) ?? { functions: 0, raw: 0, bodies: [] };
  g.functions++;
  g.raw += at + size - i;
  g.bodies.push(b.subarray(i, at + size));
  groups.set(key, g);
  i = at + size;
}
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const dataBytes = data ? b.subarray(data.start, data.end) : Buffer.alloc(0);

const fmt = (x) => x.toLocaleString("en-US");
console.log(
  `wasm ${fmt(shippedBytes.length)} B, ${fmt(gz(shippedBytes))} B gzip: code ${fmt(codeBytes.length)} B ` +
    `(${fmt(gz(codeBytes))} gzip alone), data ${fmt(dataBytes.length)} B (${fmt(gz(dataBytes))} gzip alone)`,
);
console.log(`${"crate or module".padEnd(34)}${"functions".padStart(10)}${"code B".padStart(9)}${"gzip alone".padStart(12)}`);
const sorted = [...groups.entries()].sort((x, y) => y[1].raw - x[1].raw);
for (const [k, g] of sorted.slice(0, rows)) {
  console.log(`${k.padEnd(34)}${String(g.functions).padStart(10)}${fmt(g.raw).padStart(9)}${fmt(gz(Buffer.concat(g.bodies))).padStart(12)}`);
}
const rest = sorted.slice(rows);
if (rest.length) {
  const raw = rest.reduce((s, [, g]) => s + g.raw, 0);
  const fns = rest.reduce((s, [, g]) => s + g.functions, 0);
  console.log(`${`(${rest.length} more)`.padEnd(34)}${String(fns).padStart(10)}${fmt(raw).padStart(9)}`);
}
