// CommonJS syntax on purpose: package.json has "type": "commonjs", and Vite warns about ESM
// syntax in a config file loaded as CommonJS.
const { defineConfig } = require("vitest/config") as typeof import("vitest/config");

// Two cores: at most two workers. Forks, so each test file owns its `process` listeners
// (the fixture harness swaps `unhandledRejection` listeners while a program runs).
// Timeouts are sized for a busy 2-core machine (another build or test run beside this one),
// not an idle one: many tests spawn tspc or a child Node, which can take several times longer
// under load. A timeout only has to turn a hang into a failure.
module.exports = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
