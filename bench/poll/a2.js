"use strict";
// Poll mode, in the compiler's generated shape: transform() output of bench/workloads/a2.ts with
// the changes a poll-mode emit makes here — the wrapper calls $am.pollStartWithFrame (a lazy
// PollMachine) instead of $am.startWithFrame, and nothing else (no try/catch here).
// Written by hand until the compiler emits poll mode; `await run(n)` in the benchmark's native
// driver spawns the machine on the default executor through its `then`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const $am = require("async-machine/runtime");
var run$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitReady_L7"], { v: 1, id: "bench/workloads/a2.ts#run", hash: "c73caf94aa972b7a", name: "run", file: "bench/workloads/a2.ts", line: 4, awaits: [[7, 12, "ready"]], slots: [["n", "i", "sum"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
// A2: the same loop awaiting an already-resolved native promise (one tick per await).
const ready = Promise.resolve(1);

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
            case 3 /* AwaitReady_L7 */:
                n = $f[0] /* n */;
                i = $f[1] /* i */;
                sum = $f[2] /* sum */;
                if ($t)
                    throw $v;
                sum = sum + $v;
                i++;
            case 4:
                if (i < n) {
                    $v = ready;
                    $f[1] /* i */ = i;
                    $f[2] /* sum */ = sum;
                    $m.s = 3 /* AwaitReady_L7 */;
                    return $m.await($v);
                }
                return $m.ret(sum + n);
        }
    }
}
function run(n) { return $am.pollStartWithFrame(run$resume, run$State, this, [n, void 0, void 0]); }
