"use strict";
// Poll mode, in the compiler's generated shape: transform() output of bench/workloads/b1.ts with
// the changes a poll-mode program makes here — the wrappers call $am.pollStartWithFrame (lazy
// PollMachines) instead of $am.startWithFrame; the channel is the runtime's ($am.channel: recv()
// is a future, no promise per message) instead of the workload's promise channel; and `pong`,
// which must run while `ping` does, is spawned (a poll-mode call runs only when awaited).
// Written by hand until the compiler emits poll mode; `await run(n)` in the benchmark's native
// driver spawns the machine on the default executor through its `then`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.run = run;
const $am = require("async-machine/runtime");
var ping$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitRecv_L26"], { v: 1, id: "bench/workloads/b1.ts#ping", hash: "351fb68347fa1fe5", name: "ping", file: "bench/workloads/b1.ts", line: 22, awaits: [[26, 19, "back.recv()"]], slots: [["n", "out", "back", "sum", "i"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
var pong$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitRecv_L36"], { v: 1, id: "bench/workloads/b1.ts#pong", hash: "a8e8ae8c29500b49", name: "pong", file: "bench/workloads/b1.ts", line: 33, awaits: [[36, 19, "inbox.recv()"]], slots: [["inbox", "reply", "count"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
var run$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitPing_L47", "AwaitPonger_L48"], { v: 1, id: "bench/workloads/b1.ts#run", hash: "4b5aa60983ef9cbc", name: "run", file: "bench/workloads/b1.ts", line: 43, awaits: [[47, 15, "ping(n, toPong, toPing)"], [48, 17, "ponger"]], slots: [["ponger"], ["sum"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
// B1: two async functions ping-ponging values through a channel (poll mode: the runtime's, no promises).
function ping$resume($m, $v, $t) {
    let n, out, back, sum, i, reply;
    const $f = $m.f;
    let $l = $m.s;
    $mc: for (;;) {
        switch ($l) {
            case 0 /* Unresumed */:
                n = $f[0];
                out = $f[1];
                back = $f[2];
                sum = 0;
                i = 0;
                $l = 4;
                continue $mc;
            case 3 /* AwaitRecv_L26 */:
                n = $f[0] /* n */;
                out = $f[1] /* out */;
                back = $f[2] /* back */;
                sum = $f[3] /* sum */;
                i = $f[4] /* i */;
                if ($t)
                    throw $v;
                reply = $v;
                sum += reply;
                i++;
            case 4:
                if (i < n) {
                    out.send(i);
                    $v = back.recv();
                    $f[3] /* sum */ = sum;
                    $f[4] /* i */ = i;
                    $m.s = 3 /* AwaitRecv_L26 */;
                    return $m.await($v);
                }
                out.send(-1);
                return $m.ret(sum);
        }
    }
}
function ping(n, out, back) { return $am.pollStartWithFrame(ping$resume, ping$State, this, [n, out, back, void 0, void 0]); }

function pong$resume($m_1, $v_1, $t_1) {
    let inbox, reply, count, value;
    const $f_1 = $m_1.f;
    let $l_1 = $m_1.s;
    $mc_1: for (;;) {
        switch ($l_1) {
            case 0 /* Unresumed */:
                inbox = $f_1[0];
                reply = $f_1[1];
                count = 0;
                $l_1 = 4;
                continue $mc_1;
            case 3 /* AwaitRecv_L36 */:
                inbox = $f_1[0] /* inbox */;
                reply = $f_1[1] /* reply */;
                count = $f_1[2] /* count */;
                if ($t_1)
                    throw $v_1;
                value = $v_1;
                if (value < 0)
                    return $m_1.ret(count);
                count++;
                reply.send(value * 2);
            case 4:
                $v_1 = inbox.recv();
                $f_1[2] /* count */ = count;
                $m_1.s = 3 /* AwaitRecv_L36 */;
                return $m_1.await($v_1);
        }
    }
}
function pong(inbox, reply) { return $am.pollStartWithFrame(pong$resume, pong$State, this, [inbox, reply, void 0]); }

function run$resume($m_2, $v_2, $t_2) {
    let n, toPong, toPing, ponger, sum, count;
    const $f_2 = $m_2.f;
    switch ($m_2.s) {
        case 0 /* Unresumed */:
            n = $f_2[0];
            toPong = $am.channel();
            toPing = $am.channel();
            ponger = $am.spawn(pong(toPong, toPing));
            $v_2 = ping(n, toPong, toPing);
            $f_2[0] /* ponger */ = ponger;
            $m_2.s = 3 /* AwaitPing_L47 */;
            return $m_2.await($v_2);
        case 3 /* AwaitPing_L47 */:
            ponger = $f_2[0] /* ponger */;
            if ($t_2)
                throw $v_2;
            sum = $v_2;
            $v_2 = ponger;
            $f_2[0] /* sum */ = sum;
            $m_2.s = 4 /* AwaitPonger_L48 */;
            return $m_2.await($v_2);
        case 4 /* AwaitPonger_L48 */:
            sum = $f_2[0] /* sum */;
            if ($t_2)
                throw $v_2;
            count = $v_2;
            return $m_2.ret(sum + count);
    }
}
function run(n) { return $am.pollStartWithFrame(run$resume, run$State, this, [n]); }
