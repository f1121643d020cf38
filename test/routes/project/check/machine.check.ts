import { expect, test } from "vitest";
import { check, double, isCompiled, total } from "../src/store";

test("runs the compiled functions", async () => {
  expect(isCompiled(total)).toBe(true);
  expect(isCompiled(double)).toBe(true);
  expect(await total(4)).toBe(12);
});

test("a thrown error maps to its line in store.ts", async () => {
  const error = await check(5).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(String(error?.stack)).toMatch(/store\.ts:23:11/);
});
