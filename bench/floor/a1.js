"use strict";
// The floor for workload A1 (bench/workloads/a1.ts) under native timing: one promise reaction
// per `await i` and nothing else — no machine, no state, no frame, no resume function. Each
// iteration attaches the one reaction closure to a fulfilled promise only this module reaches,
// whose prototype answers `constructor: undefined`, so `then` consults nothing user code can
// patch: exactly how async-machine's promise mode waits on a primitive. Its ratio to native is
// the lowest any implementation that keeps native's one-tick-per-await timing this way can reach.
const promiseThen = Promise.prototype.then;
const TICK = Promise.resolve();
Object.setPrototypeOf(TICK, Object.create(Promise.prototype, { constructor: { value: undefined } }));

function run(n) {
  return new Promise((resolve) => {
    let i = 0;
    let sum = 0;
    const step = () => {
      sum += i; // the awaited value is i
      i++;
      if (i < n) promiseThen.call(TICK, step);
      else resolve(sum);
    };
    if (n > 0) promiseThen.call(TICK, step);
    else resolve(sum);
  });
}

exports.run = run;
