// Bundles the UI's script (src/main.js and the npm packages it imports) into
// one minified app.js with esbuild, and writes app.js.d (a depfile naming
// every input, so the build redoes it when one changes). Run by the CMake build:
//   node build.mjs --outdir build/release/src/ui
// Exits non-zero, with esbuild's message, when the bundle cannot be built.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf("--outdir");
if (at < 0 || !process.argv[at + 1]) {
  console.error("usage: node build.mjs --outdir DIR");
  process.exit(2);
}
const outfile = path.resolve(process.argv[at + 1], "app.js");

// The bundle carries its packages' names and licences (all MIT).
function banner(inputs) {
  const packages = new Set();
  for (const file of inputs) {
    const m = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]);
  }
  const lines = [...packages].sort().map((name) => {
    const meta = JSON.parse(readFileSync(path.join(here, "node_modules", name, "package.json"), "utf8"));
    return ` * ${name} ${meta.version} (${meta.license})`;
  });
  return `/* Playground web UI (ui/src), bundled with:\n${lines.join("\n")}\n */\n`;
}

const common = {
  entryPoints: [path.join(here, "src/main.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  logLevel: "warning",
  absWorkingDir: here,
};
// First pass: which packages end up in the bundle; second: the bundle with that banner.
const probe = await build({ ...common, write: false, metafile: true });
const used = Object.entries(Object.values(probe.metafile.outputs)[0].inputs)
  .filter(([, input]) => input.bytesInOutput > 0)
  .map(([file]) => file);
const result = await build({ ...common, outfile, banner: { js: banner(used) }, metafile: true });
const escape = (file) => path.resolve(here, file).replace(/ /g, "\\ ");
writeFileSync(`${outfile}.d`, `${escape(outfile)}: ${Object.keys(probe.metafile.inputs).map(escape).join(" \\\n  ")}\n`);
const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.log(`ui: ${path.relative(process.cwd(), outfile)} ${(bytes / 1024).toFixed(1)} KiB`);
