"use strict";
// A hand-written state machine for workload C (bench/workloads/c.ts, async fib): the practical
// limit of the representation. One class defined once; per call one machine object, its
// promise and two reaction closures (made lazily at the first await, none per await).
// `await p` on the native promise a callee returns is `then(p, onFulfilled, onRejected)`: one
// tick, as native. (`then` consults `constructor`/@@species, which native `await` does not.)
const NativePromise = Promise;
const promiseThen = Promise.prototype.then;

class FibMachine {
  constructor(n) {
    this.state = 0;
    this.n = n;
    this.a = 0;
    this.resolve = undefined;
    this.reject = undefined;
    this.promise = new NativePromise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.onFulfilled = undefined;
    this.onRejected = undefined;
  }

  wait(state, promise) {
    this.state = state;
    if (this.onFulfilled === undefined) {
      this.onFulfilled = (value) => this.step(value, false);
      this.onRejected = (error) => this.step(error, true);
    }
    promiseThen.call(promise, this.onFulfilled, this.onRejected);
  }

  step(value, isThrow) {
    try {
      switch (this.state) {
        case 0: // Start
          if (this.n < 2) {
            this.state = 3;
            this.resolve(this.n);
            return;
          }
          this.wait(1, fib(this.n - 1));
          return;
        case 1: // AwaitFib_1 [n]
          if (isThrow) throw value;
          this.a = value;
          this.wait(2, fib(this.n - 2));
          return;
        case 2: // AwaitFib_2 [a]
          if (isThrow) throw value;
          this.state = 3;
          this.resolve(this.a + value);
          return;
        default:
          return;
      }
    } catch (error) {
      this.state = 3;
      this.reject(error);
    }
  }
}

function fib(n) {
  const m = new FibMachine(n);
  m.step(undefined, false);
  return m.promise;
}

function run(n) {
  return fib(n);
}

exports.run = run;
