"use strict";
// A hand-written state machine for workload A1 (bench/workloads/a1.ts): the practical limit of
// the representation. One class defined once; per call one machine object, its promise and two
// reaction closures made once per machine (none per await). `await i` is
// `then(PromiseResolve(i), onFulfilled, onRejected)`: one microtask tick, as native.
// (Deviation kept for speed: `then` consults `constructor`/@@species of the awaited promise,
// which native `await` does not; unobservable unless Promise is patched.)
const NativePromise = Promise;
const promiseResolve = Promise.resolve.bind(Promise);
const promiseThen = Promise.prototype.then;

class A1Machine {
  constructor(n) {
    this.state = 0;
    this.n = n;
    this.i = 0;
    this.sum = 0;
    this.left = 0;
    this.resolve = undefined;
    this.reject = undefined;
    this.promise = new NativePromise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.onFulfilled = (value) => this.step(value, false);
    this.onRejected = (error) => this.step(error, true);
  }

  step(value, isThrow) {
    try {
      for (;;) {
        switch (this.state) {
          case 0: // Start: let sum = 0; let i = 0
            this.sum = 0;
            this.i = 0;
            this.state = 1;
          // falls through
          case 1: // loop test; `sum += await i` evaluates `sum` first
            if (this.i < this.n) {
              this.left = this.sum;
              this.state = 2;
              promiseThen.call(promiseResolve(this.i), this.onFulfilled, this.onRejected);
              return;
            }
            this.state = 3;
            this.resolve(this.sum);
            return;
          case 2: // AwaitI: resumed
            if (isThrow) throw value;
            this.sum = this.left + value;
            this.i++;
            this.state = 1;
            continue;
          default:
            return;
        }
      }
    } catch (error) {
      this.state = 3;
      this.reject(error);
    }
  }
}

function run(n) {
  const m = new A1Machine(n);
  m.step(undefined, false);
  return m.promise;
}

exports.run = run;
