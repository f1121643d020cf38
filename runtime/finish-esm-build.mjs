// The runtime's ES-module build (dist/esm/runtime, compiled by tsconfig.esm.json) made complete:
// relative imports get their ".js" extension (ES-module resolution does not guess one; webpack
// and Node require it), and a package.json marks the folder as ES modules with no side effects.
// Run by `npm run build` after tsc.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../dist/esm/", import.meta.url).pathname;

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith(".js")) {
      const text = readFileSync(path, "utf8");
      const fixed = text.replace(/(\bfrom\s+|\bimport\s+)"(\.{1,2}\/[^"]+)"/g, (whole, head, spec) => (spec.endsWith(".js") ? whole : `${head}"${isDir(dir, spec) ? `${spec}/index.js` : `${spec}.js`}"`));
      if (fixed !== text) writeFileSync(path, fixed);
    }
  }
}

function isDir(dir, spec) {
  try {
    return readdirSync(join(dir, spec)).length >= 0;
  } catch {
    return false;
  }
}

walk(join(root, "runtime"));
writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", sideEffects: false }, null, 2) + "\n");
