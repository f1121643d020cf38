// A minimal TypeScript loader for the webpack build (webpack reads no TypeScript by itself).
const esbuild = require("esbuild");

module.exports = function stripTypes(source) {
  const out = esbuild.transformSync(source, { loader: "ts", sourcemap: "external", sourcefile: this.resourcePath });
  this.callback(null, out.code, out.map);
};
