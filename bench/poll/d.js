"use strict";
// Poll mode, in the compiler's generated shape: transform() output of bench/workloads/d.ts with
// the changes a poll-mode emit makes here — the wrapper calls $am.pollStartWithFrame (a lazy
// PollMachine) instead of $am.startWithFrame, and the catch dispatch sends $am.CANCEL from the labels whose handler is
// the catch to the finally.
// Written by hand until the compiler emits poll mode; `await run(n)` in the benchmark's native
// driver spawns the machine on the default executor through its `then`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const $am = require("async-machine/runtime");
var run$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitI_L8"], { v: 1, id: "bench/workloads/d.ts#run", hash: "4b6bfcff7ebaa7c6", name: "run", file: "bench/workloads/d.ts", line: 2, awaits: [[8, 21, "i"]], slots: [["n", "ok", "i", "caught", "finals"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
// D: a loop with try/catch/finally around an await; 1% of the iterations throw.
function run$resume($m, $v, $t) {
    let n, ok, caught, finals, i, $completion, $completionValue, $error, value, error;
    const $f = $m.f;
    let $l = $m.s;
    $mc: for (;;) {
        try {
            switch ($l) {
                case 0 /* Unresumed */:
                    n = $f[0];
                    ok = 0;
                    caught = 0;
                    $f[3] /* caught */ = caught;
                    finals = 0;
                    i = 0;
                    $l = 4;
                    continue $mc;
                case 3 /* AwaitI_L8 */:
                    n = $f[0] /* n */;
                    ok = $f[1] /* ok */;
                    i = $f[2] /* i */;
                    finals = $f[4] /* finals */;
                    if ($t)
                        throw $v;
                    value = $v;
                    if (value % 100 === 99)
                        throw new Error("boom " + value);
                    ok += value;
                    $completion = 0;
                    $l = 5;
                case 5:
                    finals++;
                    switch ($completion) {
                        case 1: return $m.ret($completionValue);
                        case 2: throw $completionValue;
                    }
                    i++;
                case 4:
                    if (i < n) {
                        $l = 7;
                        $v = i;
                        $f[1] /* ok */ = ok;
                        $f[2] /* i */ = i;
                        $f[4] /* finals */ = finals;
                        $m.s = 3 /* AwaitI_L8 */;
                        return $m.await($v);
                    }
                    caught = $f[3] /* caught */;
                    return $m.ret(ok + caught * 7 + finals * 3);
                case 6:
                    caught = $f[3] /* caught */;
                    error = $error;
                    caught += error.message.length;
                    $f[3] /* caught */ = caught;
                    $completion = 0;
                    $l = 5;
                    continue $mc;
            }
        }
        catch ($e) {
            switch ($l) {
                case 3:
                case 7:
                    if ($e === $am.CANCEL) {
                        $completion = 2;
                        $completionValue = $e;
                        $l = 5;
                        continue $mc;
                    }
                    $error = $e;
                    $l = 6;
                    continue $mc;
                case 6:
                    $completion = 2;
                    $completionValue = $e;
                    $l = 5;
                    continue $mc;
            }
            throw $e;
        }
    }
}
// D: a loop with try/catch/finally around an await; 1% of the iterations throw.
function run(n) { return $am.pollStartWithFrame(run$resume, run$State, this, [n, void 0, void 0, void 0, void 0]); }
