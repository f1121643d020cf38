"use strict";
// Poll mode, in the compiler's generated shape, for bench/workloads/s.ts: what the workload is
// in a poll-mode program — n tasks spawned on the executor (`spawn(small(i))`, each a lazy
// PollMachine that awaits once) and joined by awaiting their handles in turn, where native code
// joins n promises with Promise.all:
//
//     export async function run(n) {
//       const tasks = new Array(n);
//       for (let i = 0; i < n; i++) tasks[i] = spawn(small(i));
//       let sum = 0;
//       for (let i = 0; i < n; i++) sum += await tasks[i];
//       return sum;
//     }
//
// Written by hand until the compiler emits poll mode; `await run(n)` in the benchmark's native
// driver spawns the machine on the default executor through its `then`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const $am = require("async-machine/runtime");
var small$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitI_L4"], { v: 1, id: "bench/workloads/s.ts#small", hash: "a59e7b57b3354afc", name: "small", file: "bench/workloads/s.ts", line: 3, awaits: [[4, 13, "i"]], slots: [[]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
var run$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitTasks_L11"], { v: 1, id: "bench/poll/s.js#run", hash: "0000000000000000", name: "run", file: "bench/poll/s.js", line: 7, awaits: [[11, 37, "tasks[i]"]], slots: [["n", "tasks", "i", "sum"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
function small$resume($m, $v, $t) {
    let i, v;
    const $f = $m.f;
    switch ($m.s) {
        case 0 /* Unresumed */:
            i = $f[0];
            $v = i;
            $f[0] /* dead */ = void 0;
            $m.s = 3 /* AwaitI_L4 */;
            return $m.await($v);
        case 3 /* AwaitI_L4 */:
            if ($t)
                throw $v;
            v = $v;
            return $m.ret(v & 7);
    }
}
function small(i) { return $am.pollStartWithFrame(small$resume, small$State, this, [i]); }
function run$resume($m, $v, $t) {
    let n, tasks, i, sum;
    const $f = $m.f;
    let $l = $m.s;
    $mc: for (;;) {
        switch ($l) {
            case 0 /* Unresumed */:
                n = $f[0];
                tasks = new Array(n);
                for (let i = 0; i < n; i++)
                    tasks[i] = $am.spawn(small(i));
                sum = 0;
                i = 0;
                $l = 4;
                continue $mc;
            case 3 /* AwaitTasks_L11 */:
                n = $f[0] /* n */;
                tasks = $f[1] /* tasks */;
                i = $f[2] /* i */;
                sum = $f[3] /* sum */;
                if ($t)
                    throw $v;
                sum = sum + $v;
                i++;
            case 4:
                if (i < n) {
                    $v = tasks[i];
                    $f[1] /* tasks */ = tasks;
                    $f[2] /* i */ = i;
                    $f[3] /* sum */ = sum;
                    $m.s = 3 /* AwaitTasks_L11 */;
                    return $m.await($v);
                }
                return $m.ret(sum);
        }
    }
}
function run(n) { return $am.pollStartWithFrame(run$resume, run$State, this, [n, void 0, void 0, void 0]); }
