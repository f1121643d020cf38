import * as $am from "async-machine/runtime/compiled";
var load$State = $am.states(["Unresumed", "Returned", "Panicked", "Await_L3"], { v: 1, id: "prog.ts#load", hash: "0c845c92a4852846", name: "load", file: "prog.ts", line: 2, awaits: [[3, 3, "null"]], slots: [["id"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
var total$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitLoad_L8"], { v: 1, id: "prog.ts#total", hash: "c808e590219f378e", name: "total", file: "prog.ts", line: 6, awaits: [[8, 32, "load(id)"]], slots: [["$iterator", "sum"]], captures: [], uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false } });
function load$resume($m, $v, $t) {
    let id;
    const $f = $m.f;
    switch ($m.s) {
        case 0 /* Unresumed */:
            id = $f[0];
            $v = null;
            $m.s = 3 /* Await_L3 */;
            return $m.await($v);
        case 3 /* Await_L3 */:
            id = $f[0] /* id */;
            if ($t)
                throw $v;
            return $m.ret(id * 2);
    }
}
$am.named(load$resume, "load");
load = $am.asyncFunction(({ "load"(id) { return $am.startWithFrame(load$resume, load$State, this, [id]); } })["load"]);
$am.named(total$resume, "total");
total = $am.asyncFunction(({ "total"(ids) { return $am.startWithFrame(total$resume, total$State, this, [ids, void 0]); } })["total"]);
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
                case 3 /* AwaitLoad_L8 */:
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
                        $m_1.s = 3 /* AwaitLoad_L8 */;
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
