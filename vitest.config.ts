// CommonJS syntax on purpose: package.json has "type": "commonjs", and Vite warns about ESM
// syntax in a config file loaded as CommonJS.
const { defineConfig } = require("vitest/config") as typeof import("vitest/config");

// Two cores: at most two workers. Forks, so each test file owns its `process` listeners
// (the fixture harness swaps `unhandledRejection` listeners while a program runs).
module.exports = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20000,
    pool: "forks",
    maxWorkers: 2,
  },
});
