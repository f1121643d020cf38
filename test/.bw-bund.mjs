import { build } from "esbuild"; import * as zlib from "node:zlib"; import fs from "node:fs";
const src = process.argv[2];
const out = await build({ entryPoints: [src], bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "silent", absWorkingDir: process.cwd() });
const code = out.outputFiles[0].text; fs.writeFileSync("/tmp/bund-out.js", code);
console.log(code.length, zlib.gzipSync(code, { level: 9 }).length);
