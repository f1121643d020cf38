"use strict";
// Poll mode, in the compiler's generated shape: transform() output of bench/workloads/a1.ts with
// the one change a poll-mode emit makes here — the wrapper calls $am.pollStartWithFrame (a lazy
// PollMachine) instead of $am.startWithFrame (no try/catch here, so no catch-dispatch change).
// Written by hand until the compiler emits poll mode; `await run(n)` in the benchmark's native
// driver spawns the machine on the default executor through its `then`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const $am = require("async-machine/runtime");
var run$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitI_L5"], { v: 1, id: "bench/workloads/a1.ts#run", hash: "9ef18c8279140c2c", name: "run", file: "bench/workloads/a1.ts", line: 2, awaits: [[5, 12, "i"]], slots: [["n", "i", "sum"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
// A1: a tight loop awaiting a plain (non-promise) value. Each `await` costs one microtask tick.
function run$resume($m, $v, $t) {
    let n, sum, i;
    const $f = $m.f;
    let $l = $m.s;
    $mc: for (;;) {
        switch ($l) {
            case 0 /* Unresumed */:
                n = $f[0];
                sum = 0;
                i = 0;
                $l = 4;
                continue $mc;
            case 3 /* AwaitI_L5 */:
                n = $f[0] /* n */;
                i = $f[1] /* i */;
                sum = $f[2] /* sum */;
                if ($t)
                    throw $v;
                sum = sum + $v;
                i++;
            case 4:
                if (i < n) {
                    $v = i;
                    $f[1] /* i */ = i;
                    $f[2] /* sum */ = sum;
                    $m.s = 3 /* AwaitI_L5 */;
                    return $m.await($v);
                }
                return $m.ret(sum);
        }
    }
}
// A1: a tight loop awaiting a plain (non-promise) value. Each `await` costs one microtask tick.
function run(n) { return $am.pollStartWithFrame(run$resume, run$State, this, [n, void 0, void 0]); }

