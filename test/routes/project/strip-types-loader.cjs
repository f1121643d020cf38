// A minimal TypeScript loader for the webpack build (webpack reads no TypeScript by itself):
// esbuild strips the types, and its map is chained to the map of the loader before it.
const esbuild = require("esbuild");
const remapping = require("@jridgewell/remapping");

module.exports = function stripTypes(source, inputMap) {
  const out = esbuild.transformSync(source, { loader: "ts", sourcemap: "external", sourcefile: this.resourcePath });
  const map = inputMap ? remapping([out.map, inputMap], () => null) : out.map;
  this.callback(null, out.code, map);
};
