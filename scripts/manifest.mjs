// Writes the manifest for one browser from extension/manifest.base.json.
import { readFileSync } from "node:fs";

const browser = process.argv[2];
const base = JSON.parse(readFileSync(new URL("../extension/manifest.base.json", import.meta.url)));
const m = structuredClone(base);
if (browser === "chrome") {
  m.background = { service_worker: "background.js", type: "module" };
  m.minimum_chrome_version = "116";
} else if (browser === "firefox") {
  m.background = { scripts: ["background.js"], type: "module" };
  m.browser_specific_settings = { gecko: { id: "otpdock@otpdock.app", strict_min_version: "128.0" } };
} else {
  console.error("usage: manifest.mjs chrome|firefox");
  process.exit(2);
}
process.stdout.write(JSON.stringify(m, null, 2) + "\n");
