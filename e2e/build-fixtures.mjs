// Bundles the framework fixture pages (real React, Preact, Vue, input-otp,
// react-otp-input, vue3-otp-input, imask, intl-tel-input from npm) with esbuild.
import { build } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { compile } from "svelte/compiler";

// compiles .svelte components for the Svelte fixture
const svelte = {
  name: "svelte",
  setup(b) {
    b.onLoad({ filter: /\.svelte$/ }, (args) => {
      const { js } = compile(readFileSync(args.path, "utf8"), { filename: args.path, generate: "client" });
      return { contents: js.code, loader: "js" };
    });
  },
};
import { join } from "node:path";

const dir = new URL("./fixtures/", import.meta.url).pathname;
export async function buildFixtures() {
  const entries = readdirSync(join(dir, "src")).map((f) => join(dir, "src", f));
  await build({
    entryPoints: entries,
    outdir: join(dir, "build"),
    bundle: true,
    plugins: [svelte],
    conditions: ["svelte", "browser"],
    format: "esm",
    jsx: "automatic",
    define: {
      "process.env.NODE_ENV": '"production"',
      "process.env": "{}",
      __VUE_OPTIONS_API__: "true",
      __VUE_PROD_DEVTOOLS__: "false",
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
    },
    logLevel: "error",
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
  });
}
if (import.meta.url === `file://${process.argv[1]}`) await buildFixtures();
