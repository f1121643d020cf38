/**
 * The cooperative budget of one task poll (Tokio's `coop` budget).
 *
 * A poll-mode machine continues at once after an await whose value is already there (a plain
 * value, a ready future, another machine that finished inline). A loop of such awaits would
 * never return to the executor, and every other task, timer and I/O callback would starve.
 * So each such continuation spends one unit of the budget; when it is spent, the machine
 * registers a wake for itself and returns `PENDING` — a forced yield — and the executor polls
 * the other ready tasks (and, after its own `budget` of polls, lets the host run).
 *
 * The budget is per task poll: `Task.run` refills it before polling (`beginPoll`) and ends the
 * window after (`endPoll`). A machine polled by hand, outside any task, refills it itself at
 * its outermost poll (`ownsWindow`).
 */

/** Ready continuations a task may make in one poll before it is made to yield. */
export const DEFAULT_TASK_BUDGET = 4096;

/** `left`: units left in the current window; `open`: a window is open (a task or an outermost poll). */
export const coop = { left: DEFAULT_TASK_BUDGET, open: false };

/** Opens a window of `units` for a task's poll; returns whether one was already open (nested executors). */
export function beginPoll(units: number): boolean {
  const wasOpen = coop.open;
  if (!wasOpen) {
    coop.left = units;
    coop.open = true;
  }
  return wasOpen;
}

/** Closes the window `beginPoll` opened (unless it was already open). */
export function endPoll(wasOpen: boolean): void {
  if (!wasOpen) coop.open = false;
}

/**
 * The promise job that delivers a poll-mode machine's promise outcome (`settleInto`) wakes
 * the machine's task. A drain queued from there would only run one job later, with nothing in
 * between that the wait needs: so while `active`, an executor that would queue a drain leaves
 * it in `pending` instead, and the job runs it at once after the wake (one tick per promise
 * wait, as native `await`, instead of two). Only one drain is kept; any other executor queues
 * its own as usual.
 */
export const settleJob: { active: boolean; pending: (() => void) | undefined } = { active: false, pending: undefined };
