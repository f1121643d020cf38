// vitest through the vite plugin: the check asserts it ran compiled functions.
import asyncMachine from "async-machine/vite";

export default {
  plugins: [asyncMachine({ include: ["src/**"], report: "silent" })],
  test: { include: ["check/**/*.check.ts"], pool: "forks", maxWorkers: 1 },
};
