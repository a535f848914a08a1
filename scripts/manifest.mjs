// Writes the manifest for one browser from the source manifest, manifest.json at the
// repository root (the Chrome one, verbatim); the Firefox one is derived from it.
import { readFileSync } from "node:fs";

const browser = process.argv[2];
const base = JSON.parse(readFileSync(new URL("../manifest.json", import.meta.url)));
const m = structuredClone(base);
if (browser === "chrome") {
  // as written
} else if (browser === "firefox") {
  m.background = { scripts: [base.background.service_worker], type: "module" };
  delete m.minimum_chrome_version;
  m.browser_specific_settings = {
    gecko: {
      id: "otpdock@otpdock.app",
      // data_collection_permissions is read from Firefox 140 (the ESR line); older versions would not show it
      strict_min_version: "140.0",
      // OTP Dock sends nothing to its authors: API keys and SMS go only to the provider the user chose
      data_collection_permissions: { required: ["none"] },
    },
    // Firefox for Android reads data_collection_permissions from 142
    gecko_android: { strict_min_version: "142.0" },
  };
} else {
  console.error("usage: manifest.mjs chrome|firefox");
  process.exit(2);
}
process.stdout.write(JSON.stringify(m, null, 2) + "\n");
