const { defineConfig } = require("vitest/config") as typeof import("vitest/config");
module.exports = defineConfig({ test: { include: ["test/tools/*.tool.ts"], testTimeout: 60000 } });
