"use strict";
// The floor for workload C (bench/workloads/c.ts, async fib) of async-machine's representation
// with native semantics: per call a `Machine`-shaped object (runtime/machine.ts: the same ten
// fields) and its frame; the resume function async-machine generates for `fib` (a `switch` over
// the state, the frame's loads and stores); and the least driver that keeps native behaviour —
// a call that finishes before its first await returns a settled promise, one that waits continues
// in a native async function that `await`s each awaited object itself (exact `constructor` and
// `@@species` lookups, one tick) and calls the resume function, with the try/catch that turns a
// throw into a rejection. None of the runtime around it: no start function, no first-wait or
// primitive path, no completion listeners, no inspection hooks. What async-machine costs above
// this is its runtime's plumbing; what this costs above native is the representation itself.
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
const promiseReject = Promise.reject;
const DONE = true;

// As generated for `fib` (fixtures show the same shape), with `$m.await(x)` / `$m.ret(x)` written out.
function fib$resume($m, $v, $t) {
  let n, $operand;
  switch ($m.s) {
    case 0:
      n = $m.f[0];
      if (n < 2) {
        $m.r = n;
        return DONE;
      }
      $v = fib(n - 1);
      $m.s = 3;
      $m.awaiting = $v;
      return undefined;
    case 3:
      n = $m.f[0];
      if ($t) throw $v;
      $operand = $v;
      $v = fib(n - 2);
      $m.f[0] = $operand;
      $m.s = 4;
      $m.awaiting = $v;
      return undefined;
    case 4:
      $operand = $m.f[0];
      if ($t) throw $v;
      $m.r = $operand + $v;
      return DONE;
  }
}

function fib(n) {
  const m = new MachineShape(fib$resume, [n], undefined, this, undefined);
  let result;
  try {
    result = m.resume(m, undefined, false);
  } catch (error) {
    m.s = 2;
    return promiseReject.call(NativePromise, error);
  }
  if (result === DONE) {
    m.s = 1;
    m.f = undefined;
    return promiseResolve.call(NativePromise, m.r);
  }
  return drive(m, m.awaiting);
}

async function drive(m, awaiting) {
  for (;;) {
    let value;
    let isThrow = false;
    try {
      value = await awaiting;
    } catch (error) {
      value = error;
      isThrow = true;
    }
    let result;
    try {
      result = m.resume(m, value, isThrow);
    } catch (error) {
      m.s = 2;
      throw error;
    }
    if (result === DONE) {
      m.s = 1;
      m.f = undefined;
      return m.r;
    }
    awaiting = m.awaiting;
  }
}

function run(n) {
  return fib(n);
}

exports.run = run;
