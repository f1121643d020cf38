/**
 * Fixtures whose poll-mode trace (ticks aside) is not native's, each for a reason the README's
 * poll-mode differences table names. test/fixtures.test.ts checks each entry still differs (an
 * entry that now matches fails, so the list stays true) and what does not differ:
 *
 * - "order": the same lines, in another order — cross-task order is the executor's (order within
 *   each task is native's): the multiset of lines and the outcome must be native's.
 * - "lazy": a poll-mode call runs its body at its first poll (an await, `then`, `spawn`), not at
 *   the call; a call nobody awaits never runs. What the program then observes differs (a value
 *   read before the body ran, a body that never ran): the outcome must be native's.
 */
export type PollDifference = "order" | "lazy";

export const POLL_DIFFERENCES: Readonly<Record<string, PollDifference>> = {
  "async-iteration/for-await-timing": "lazy",
  "basic/async-without-await": "lazy",
  "basic/await-assign-member": "lazy",
  "basic/await-compound-assign": "lazy",
  "bindings/derived-constructor-arrow": "lazy",
  "closures/closure-mutates-local": "lazy",
  "closures/escaping-closures": "lazy",
  "fuzz/15": "order",
  "fuzz/17": "order",
  "fuzz/17332-stmt": "order",
  "fuzz/20": "order",
  "fuzz/301951-stmt": "order",
  "fuzz/31": "order",
  "fuzz/3300-stmt": "order",
  "fuzz/3683": "lazy",
  "fuzz/4899": "lazy",
  "fuzz/6156-stmt": "lazy",
  "fuzz/7477": "order",
  "nested/async-in-async": "order",
  "nested/inner-captures-outer": "lazy",
  "params/default-throws-rejects": "lazy",
  "params/evaluation-order": "lazy",
  "timing/await-non-promise": "order",
  "timing/concurrent-interleaving": "lazy",
  "timing/microtasks-and-timers": "order",
};
