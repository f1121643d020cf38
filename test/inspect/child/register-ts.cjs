// Loaded with `node -r` by the child processes of test/inspect: lets them require the runtime's
// TypeScript sources (types stripped with typescript's transpileModule, CommonJS), so the tests
// do not depend on a fresh `npm run build`.
const fs = require("node:fs");
const ts = require("typescript");

require.extensions[".ts"] = function (module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const out = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, ignoreDeprecations: "6.0" },
  });
  module._compile(out.outputText, filename);
};
