// The runtime's ES-module build (dist/esm/runtime, compiled by tsconfig.esm.json) made complete:
// relative imports get their ".js" extension (ES-module resolution does not guess one; webpack
// and Node require it), the runtime's private property names are shortened (mangle-private.mjs),
// and a package.json marks the folder as ES modules with no side effects.
// Run by `npm run build` after tsc.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { manglePrivateNames, privateNames } from "./mangle-private.mjs";

const root = new URL("../dist/esm/", import.meta.url).pathname;

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith(".js")) {
      const text = readFileSync(path, "utf8");
      const fixed = text.replace(/(\bfrom\s+|\bimport\s+)"(\.{1,2}\/[^"]+)"/g, (whole, head, spec) => (spec.endsWith(".js") ? whole : `${head}"${resolveSpecifier(dir, spec)}"`));
      if (fixed !== text) writeFileSync(path, fixed);
    }
  }
}

// As TypeScript resolves it: a file `spec.js` first (runtime/poll.ts beside the folder
// runtime/poll/), else the folder's index.js.
function resolveSpecifier(dir, spec) {
  if (existsSync(join(dir, `${spec}.js`))) return `${spec}.js`;
  if (existsSync(join(dir, spec, "index.js"))) return `${spec}/index.js`;
  throw new Error(`finish-esm-build: cannot resolve "${spec}" from ${dir}`);
}

walk(join(root, "runtime"));
manglePrivateNames(join(root, "runtime"), privateNames(new URL(".", import.meta.url).pathname));
writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", sideEffects: false }, null, 2) + "\n");
