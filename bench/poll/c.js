"use strict";
// Poll mode, in the compiler's generated shape: transform() output of bench/workloads/c.ts with
// the one change a poll-mode emit makes here — the wrapper calls $am.pollStartWithFrame (a lazy
// PollMachine) instead of $am.startWithFrame (no try/catch here, so no catch-dispatch change).
// Written by hand until the compiler emits poll mode; `await run(n)` in the benchmark's native
// driver spawns the machine on the default executor through its `then`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const $am = require("async-machine/runtime");
var fib$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitFib_L4", "AwaitFib_L4_2"], { v: 1, id: "bench/workloads/c.ts#fib", hash: "1d5dcc9e7ce257cc", name: "fib", file: "bench/workloads/c.ts", line: 2, awaits: [[4, 11, "fib(n - 1)"], [4, 32, "fib(n - 2)"]], slots: [["n"], ["$operand"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
// C: a deep async call tree, compiled code calling compiled code: async fib(n).
function fib$resume($m, $v, $t) {
    let n, $operand;
    const $f = $m.f;
    switch ($m.s) {
        case 0 /* Unresumed */:
            n = $f[0];
            if (n < 2)
                return $m.ret(n);
            $v = fib(n - 1);
            $m.s = 3 /* AwaitFib_L4 */;
            return $m.await($v);
        case 3 /* AwaitFib_L4 */:
            n = $f[0] /* n */;
            if ($t)
                throw $v;
            $operand = $v;
            $v = fib(n - 2);
            $f[0] /* operand */ = $operand;
            $m.s = 4 /* AwaitFib_L4_2 */;
            return $m.await($v);
        case 4 /* AwaitFib_L4_2 */:
            $operand = $f[0] /* operand */;
            if ($t)
                throw $v;
            return $m.ret($operand + $v);
    }
}
// C: a deep async call tree, compiled code calling compiled code: async fib(n).
function fib(n) { return $am.pollStartWithFrame(fib$resume, fib$State, this, [n]); }
function run(n) {
    return fib(n);
}

