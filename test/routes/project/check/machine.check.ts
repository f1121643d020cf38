import { expect, test } from "vitest";
import { double, isCompiled, total } from "../src/store";

test("runs the compiled functions", async () => {
  expect(isCompiled(total)).toBe(true);
  expect(isCompiled(double)).toBe(true);
  expect(await total(4)).toBe(12);
});
