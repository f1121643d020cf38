"use strict";
// Poll mode, in the compiler's generated shape: transform() output of bench/workloads/e.ts with
// the changes a poll-mode program makes here — the wrapper calls $am.pollStartWithFrame (a lazy
// PollMachine) instead of $am.startWithFrame, and the harness's `task(i, gate)` spawns it (a
// poll-mode call runs only when awaited or spawned: the harness counts suspended tasks). What is
// measured per task is the Task, the machine, its frame and its wait on the gate promise.
// Written by hand until the compiler emits poll mode.
Object.defineProperty(exports, "__esModule", { value: true });
exports.probes = void 0;
exports.task = task;
exports.started = started;
const $am = require("async-machine/runtime");
var task$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitGate_L11"], { v: 1, id: "bench/workloads/e.ts#task", hash: "172e6d11ecfdf261", name: "task", file: "bench/workloads/e.ts", line: 7, awaits: [[11, 13, "gate"]], slots: [["x"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
// E: memory. Each task allocates a 10 KiB local whose last use is before its only await, then
// suspends on a shared gate. The harness starts 100 000 of them, collects garbage and measures
// the heap bytes retained per suspended task; `probes` holds weak references to every 100th
// local, so the harness also counts how many dead locals are still reachable.
const probes = [];
exports.probes = probes;
function task$resume($m, $v, $t) {
    let i, gate, big, x, g;
    const $f = $m.f;
    switch ($m.s) {
        case 0 /* Unresumed */:
            i = $f[0];
            gate = $f[1];
            big = new Array(1280).fill(i);
            x = big[i % 1280] + big.length;
            if (i % 100 === 0)
                probes.push(new WeakRef(big));
            $v = gate;
            $f[0] /* x */ = x;
            $f[1] /* dead */ = void 0;
            $m.s = 3 /* AwaitGate_L11 */;
            return $m.await($v);
        case 3 /* AwaitGate_L11 */:
            x = $f[0] /* x */;
            if ($t)
                throw $v;
            g = $v;
            return $m.ret(x + g);
    }
}
function task(i, gate) { return $am.spawn($am.pollStartWithFrame(task$resume, task$State, this, [i, gate])); }
// The executor polls at most its budget of tasks per drain, then yields to the host: the
// harness waits until every spawned task has been polled to its await before measuring.
async function started() {
    const executor = $am.getDefaultExecutor();
    while (executor.readyCount !== 0) await new Promise((resolve) => setImmediate(resolve));
}
