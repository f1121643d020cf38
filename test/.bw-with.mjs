import * as $am from "async-machine/runtime/compiled";
var load$State = $am.states(["Unresumed", "Returned", "Panicked", "Await_L4"], { v: 1, id: "with.ts#load", hash: "1eb1a380aa64bbbd", name: "load", file: "with.ts", line: 3, awaits: [[4, 3, "null"]], slots: [["id"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
var total$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitLoad_L9"], { v: 1, id: "with.ts#total", hash: "d21a78f60a5215c1", name: "total", file: "with.ts", line: 7, awaits: [[9, 32, "load(id)"]], slots: [["$iterator", "sum"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
$am.named(load$resume, "load");
load = $am.asyncFunction(({ "load"(id) { return $am.startWithFrame(load$resume, load$State, this, [id]); } })["load"]);
$am.named(total$resume, "total");
total = $am.asyncFunction(({ "total"(ids) { return $am.startWithFrame(total$resume, total$State, this, [ids, void 0]); } })["total"]);
import { Executor, fromPromise, join, select, sleep } from "async-machine/runtime";
function load$resume($m, $v, $t) {
    let id;
    const $f = $m.f;
    switch ($m.s) {
        case 0 /* Unresumed */:
            id = $f[0];
            $v = null;
            $m.s = 3 /* Await_L4 */;
            return $m.await($v);
        case 3 /* Await_L4 */:
            id = $f[0] /* id */;
            if ($t)
                throw $v;
            return $m.ret(id * 2);
    }
}
function load(id) { return $am.startWithFrame(load$resume, load$State, this, [id]); }
function total$resume($m_1, $v_1, $t_1) {
    let ids, sum, $iterator, $step, $completion, $completionValue, id;
    const $f_1 = $m_1.f;
    let $l_1 = $m_1.s;
    $mc_1: for (;;) {
        try {
            switch ($l_1) {
                case 0 /* Unresumed */:
                    ids = $f_1[0];
                    sum = 0;
                    $iterator = $am.getIterator(ids);
                    $f_1[0] /* iterator */ = $iterator;
                    $l_1 = 4;
                    continue $mc_1;
                case 3 /* AwaitLoad_L9 */:
                    $iterator = $f_1[0] /* iterator */;
                    sum = $f_1[1] /* sum */;
                    if ($t_1)
                        throw $v_1;
                    sum = sum + $v_1;
                    $l_1 = 4;
                case 4:
                    $step = $am.iteratorStep($iterator);
                    if ($step) {
                        id = $step.value;
                        $l_1 = 7;
                        $v_1 = load(id);
                        $f_1[1] /* sum */ = sum;
                        $m_1.s = 3 /* AwaitLoad_L9 */;
                        return $m_1.await($v_1);
                    }
                case 5: return $m_1.ret(sum);
                case 6:
                    $am.iteratorClose($iterator, $completion === 2);
                    switch ($completion) {
                        case 1: return $m_1.ret($completionValue);
                        case 2: throw $completionValue;
                    }
                    $l_1 = 5;
                    continue $mc_1;
            }
        }
        catch ($e_1) {
            switch ($l_1) {
                case 3:
                case 7:
                    $completion = 2;
                    $completionValue = $e_1;
                    $l_1 = 6;
                    continue $mc_1;
            }
            throw $e_1;
        }
    }
}
export function total(ids) { return $am.startWithFrame(total$resume, total$State, this, [ids, void 0]); }
export function both() { return new Executor().run(select([join([fromPromise(total([1, 2])), sleep(1)]), sleep(1000)])); }
