"use strict";
// The floor for workload C (bench/workloads/c.ts, async fib) of a machine that waits on objects
// with native `await`, as async-machine's promise mode must for exact `constructor`/@@species
// lookups: per call an object shaped like async-machine's `Machine` (runtime/machine.ts: ten
// fields) and a one-slot frame; a call that returns at once settles a promise, one that awaits
// continues in a native async function (the driver) that awaits the callees natively. The state
// and result are stored where a machine stores them. No resume function, no dispatch, no frame
// loads or stores: what is left of a machine's per-call cost when everything else is free.
class MachineShape {
  constructor(resume, frame, names, thisArg, args) {
    this.s = 0;
    this.f = frame;
    this.c = undefined;
    this.t = thisArg;
    this.a = args;
    this.r = undefined;
    this.names = names;
    this.resume = resume;
    this.promise = undefined;
    this.awaiting = undefined;
  }
}

const NativePromise = Promise;
const promiseResolve = Promise.resolve;

// A call that returns before its first await settles at once (no driver); one that awaits
// continues in a native async function, the driver.
function fib(n) {
  const m = new MachineShape(fib, [n], undefined, this, undefined);
  if (n < 2) {
    m.s = 1;
    m.r = n;
    return promiseResolve.call(NativePromise, n);
  }
  return drive(m, n);
}

async function drive(m, n) {
  m.s = 3;
  const a = await fib(n - 1);
  m.s = 4;
  const b = await fib(n - 2);
  m.s = 1;
  return (m.r = a + b);
}

function run(n) {
  return fib(n);
}

exports.run = run;
