// @ts-nocheck -- generated-shape code, untyped as the compiler's output is.
/**
 * Poll-mode machines written exactly as the compiler emits them (transform() output of the
 * sources in the comments below, with two changes a poll-mode emit makes): the wrapper calls
 * `$am.pollStartWithFrame` instead of `$am.startWithFrame`, and every catch-dispatch case whose
 * handler is a `catch` first sends `$am.CANCEL` to the nearest enclosing `finally` (or rethrows
 * it when there is none) — see runtime/poll-machine.ts. Nothing else differs.
 *
 * Sources:
 *   count(n)       let sum = 0; for (let i = 0; i < n; i++) sum += await i; return sum;
 *   fib(n)         if (n < 2) return n; return (await fib(n - 1)) + (await fib(n - 2));
 *   guarded(log, work, cleanupWait)
 *                  try { log("try"); const v = await work; log("after " + v); return v; }
 *                  catch (e) { log("catch " + e); return "caught"; }
 *                  finally { log("finally"); await cleanupWait; log("finally end"); }
 *   nested(log, child)
 *                  try { try { return await child; } catch (e) { log("inner catch"); }
 *                        finally { log("inner finally"); } } finally { log("outer finally"); }
 *   loop(log, next)
 *                  for (let i = 0; i < 3; i++) { try { await next(); } finally { log("finally " + i); } } return "done";
 *   catchOnly(log, x)
 *                  try { return await x; } catch (e) { log("catch"); return "caught"; }
 */
import * as $am from "../../runtime/index";
var count$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitI_L3"], {
  v: 1,
  id: "shapes.ts#count",
  hash: "13b9df34b4508e86",
  name: "count",
  file: "shapes.ts",
  line: 1,
  awaits: [[3, 38, "i"]],
  slots: [["n", "i", "sum"]],
  captures: [],
  uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
});
var fib$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitFib_L8", "AwaitFib_L8_2"], {
  v: 1,
  id: "shapes.ts#fib",
  hash: "f5e6af73d19da4bc",
  name: "fib",
  file: "shapes.ts",
  line: 6,
  awaits: [
    [8, 11, "fib(n - 1)"],
    [8, 32, "fib(n - 2)"],
  ],
  slots: [["n"], ["$operand"]],
  captures: [],
  uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
});
var guarded$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitWork_L13", "AwaitCleanupWait_L21"], {
  v: 1,
  id: "shapes.ts#guarded",
  hash: "9878113d9149cdaa",
  name: "guarded",
  file: "shapes.ts",
  line: 10,
  awaits: [
    [13, 15, "work"],
    [21, 5, "cleanupWait"],
  ],
  slots: [
    ["log", null, "cleanupWait"],
    ["log", "$completion", "$completionValue"],
  ],
  captures: [],
  uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
});
var nested$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitChild_L28"], {
  v: 1,
  id: "shapes.ts#nested",
  hash: "820642950071d014",
  name: "nested",
  file: "shapes.ts",
  line: 25,
  awaits: [[28, 14, "child"]],
  slots: [["log"]],
  captures: [],
  uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
});
var loop$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitNext_L41"], {
  v: 1,
  id: "shapes.ts#loop",
  hash: "9a92501ed23d3480",
  name: "loop",
  file: "shapes.ts",
  line: 38,
  awaits: [[41, 7, "next()"]],
  slots: [["log", "next", "i"]],
  captures: [],
  uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
});
var catchOnly$State = $am.states(["Unresumed", "Returned", "Panicked", "AwaitX_L50"], {
  v: 1,
  id: "shapes.ts#catchOnly",
  hash: "a47b96960f8beee3",
  name: "catchOnly",
  file: "shapes.ts",
  line: 48,
  awaits: [[50, 12, "x"]],
  slots: [["log"]],
  captures: [],
  uses: { this: false, arguments: false, super: false, outerArguments: false, newTarget: false },
});
function count$resume($m, $v, $t) {
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
      case 3 /* AwaitI_L3 */:
        n = $f[0]; /* n */
        i = $f[1]; /* i */
        sum = $f[2]; /* sum */
        if ($t) throw $v;
        sum = sum + $v;
        i++;
      case 4:
        if (i < n) {
          $v = i;
          $f[1] /* i */ = i;
          $f[2] /* sum */ = sum;
          $m.s = 3; /* AwaitI_L3 */
          return $m.await($v);
        }
        return $m.ret(sum);
    }
  }
}
export function count(n) {
  return $am.pollStartWithFrame(count$resume, count$State, this, [n, void 0, void 0]);
}
function fib$resume($m_1, $v_1, $t_1) {
  let n, $operand;
  const $f_1 = $m_1.f;
  switch ($m_1.s) {
    case 0 /* Unresumed */:
      n = $f_1[0];
      if (n < 2) return $m_1.ret(n);
      $v_1 = fib(n - 1);
      $m_1.s = 3; /* AwaitFib_L8 */
      return $m_1.await($v_1);
    case 3 /* AwaitFib_L8 */:
      n = $f_1[0]; /* n */
      if ($t_1) throw $v_1;
      $operand = $v_1;
      $v_1 = fib(n - 2);
      $f_1[0] /* operand */ = $operand;
      $m_1.s = 4; /* AwaitFib_L8_2 */
      return $m_1.await($v_1);
    case 4 /* AwaitFib_L8_2 */:
      $operand = $f_1[0]; /* operand */
      if ($t_1) throw $v_1;
      return $m_1.ret($operand + $v_1);
  }
}
export function fib(n) {
  return $am.pollStartWithFrame(fib$resume, fib$State, this, [n]);
}
function guarded$resume($m_2, $v_2, $t_2) {
  let log, work, cleanupWait, $completion, $completionValue, $error, v, e;
  const $f_2 = $m_2.f;
  let $l_2 = $m_2.s;
  $mc_2: for (;;) {
    try {
      switch ($l_2) {
        case 0 /* Unresumed */:
          log = $f_2[0];
          work = $f_2[1];
          cleanupWait = $f_2[2];
          $l_2 = 7;
          log("try");
          $v_2 = work;
          $f_2[1] /* dead */ = void 0;
          $m_2.s = 3; /* AwaitWork_L13 */
          return $m_2.await($v_2);
        case 3 /* AwaitWork_L13 */:
          log = $f_2[0]; /* log */
          cleanupWait = $f_2[2]; /* cleanupWait */
          if ($t_2) throw $v_2;
          v = $v_2;
          log("after " + v);
          $completion = 1;
          $completionValue = v;
          $l_2 = 5;
        case 5:
          log("finally");
          $v_2 = cleanupWait;
          $f_2[1] /* completion */ = $completion;
          $f_2[2] /* completionValue */ = $completionValue;
          $m_2.s = 4; /* AwaitCleanupWait_L21 */
          return $m_2.await($v_2);
        case 4 /* AwaitCleanupWait_L21 */:
          log = $f_2[0]; /* log */
          $completion = $f_2[1]; /* completion */
          $completionValue = $f_2[2]; /* completionValue */
          if ($t_2) throw $v_2;
          log("finally end");
          switch ($completion) {
            case 1:
              return $m_2.ret($completionValue);
            case 2:
              throw $completionValue;
          }
          return $m_2.ret();
        case 6:
          e = $error;
          log("catch " + e);
          $completion = 1;
          $completionValue = "caught";
          $l_2 = 5;
          continue $mc_2;
      }
    } catch ($e_2) {
      switch ($l_2) {
        case 3:
        case 7:
          if ($e_2 === $am.CANCEL) {
            $completion = 2;
            $completionValue = $e_2;
            $l_2 = 5;
            continue $mc_2;
          }
          $error = $e_2;
          $l_2 = 6;
          continue $mc_2;
        case 6:
          $completion = 2;
          $completionValue = $e_2;
          $l_2 = 5;
          continue $mc_2;
      }
      throw $e_2;
    }
  }
}
export function guarded(log, work, cleanupWait) {
  return $am.pollStartWithFrame(guarded$resume, guarded$State, this, [log, work, cleanupWait]);
}
function nested$resume($m_3, $v_3, $t_3) {
  let log, child, $completion_1, $completionValue_1, $completion_2, $completionValue_2, $error_1, e;
  const $f_3 = $m_3.f;
  let $l_3 = $m_3.s;
  $mc_3: for (;;) {
    try {
      switch ($l_3) {
        case 0 /* Unresumed */:
          log = $f_3[0];
          child = $f_3[1];
          $l_3 = 7;
          $v_3 = child;
          $f_3[1] /* dead */ = void 0;
          $m_3.s = 3; /* AwaitChild_L28 */
          return $m_3.await($v_3);
        case 3 /* AwaitChild_L28 */:
          log = $f_3[0]; /* log */
          if ($t_3) throw $v_3;
          $completion_2 = 1;
          $completionValue_2 = $v_3;
          $l_3 = 5;
        case 5:
          log("inner finally");
          switch ($completion_2) {
            case 1:
              $completion_1 = 1;
              $completionValue_1 = $completionValue_2;
              $l_3 = 4;
              continue $mc_3;
            case 2:
              throw $completionValue_2;
          }
          $completion_1 = 0;
          $l_3 = 4;
        case 4:
          log("outer finally");
          switch ($completion_1) {
            case 1:
              return $m_3.ret($completionValue_1);
            case 2:
              throw $completionValue_1;
          }
          return $m_3.ret();
        case 6:
          e = $error_1;
          log("inner catch");
          $completion_2 = 0;
          $l_3 = 5;
          continue $mc_3;
      }
    } catch ($e_3) {
      switch ($l_3) {
        case 3:
        case 7:
          if ($e_3 === $am.CANCEL) {
            $completion_2 = 2;
            $completionValue_2 = $e_3;
            $l_3 = 5;
            continue $mc_3;
          }
          $error_1 = $e_3;
          $l_3 = 6;
          continue $mc_3;
        case 5:
          $completion_1 = 2;
          $completionValue_1 = $e_3;
          $l_3 = 4;
          continue $mc_3;
        case 6:
          $completion_2 = 2;
          $completionValue_2 = $e_3;
          $l_3 = 5;
          continue $mc_3;
      }
      throw $e_3;
    }
  }
}
export function nested(log, child) {
  return $am.pollStartWithFrame(nested$resume, nested$State, this, [log, child]);
}
function loop$resume($m_4, $v_4, $t_4) {
  let log, next, i, $completion_3, $completionValue_3;
  const $f_4 = $m_4.f;
  let $l_4 = $m_4.s;
  $mc_4: for (;;) {
    try {
      switch ($l_4) {
        case 0 /* Unresumed */:
          log = $f_4[0];
          next = $f_4[1];
          i = 0;
          $l_4 = 4;
          continue $mc_4;
        case 3 /* AwaitNext_L41 */:
          log = $f_4[0]; /* log */
          next = $f_4[1]; /* next */
          i = $f_4[2]; /* i */
          if ($t_4) throw $v_4;
          $completion_3 = 0;
          $l_4 = 5;
        case 5:
          log("finally " + i);
          switch ($completion_3) {
            case 1:
              return $m_4.ret($completionValue_3);
            case 2:
              throw $completionValue_3;
          }
          i++;
        case 4:
          if (i < 3) {
            $l_4 = 6;
            $v_4 = next();
            $f_4[2] /* i */ = i;
            $m_4.s = 3; /* AwaitNext_L41 */
            return $m_4.await($v_4);
          }
          return $m_4.ret("done");
      }
    } catch ($e_4) {
      switch ($l_4) {
        case 3:
        case 6:
          $completion_3 = 2;
          $completionValue_3 = $e_4;
          $l_4 = 5;
          continue $mc_4;
      }
      throw $e_4;
    }
  }
}
export function loop(log, next) {
  return $am.pollStartWithFrame(loop$resume, loop$State, this, [log, next, void 0]);
}
function catchOnly$resume($m_5, $v_5, $t_5) {
  let log, x, $error_2, e;
  const $f_5 = $m_5.f;
  let $l_5 = $m_5.s;
  $mc_5: for (;;) {
    try {
      switch ($l_5) {
        case 0 /* Unresumed */:
          log = $f_5[0];
          x = $f_5[1];
          $l_5 = 5;
          $v_5 = x;
          $f_5[1] /* dead */ = void 0;
          $m_5.s = 3; /* AwaitX_L50 */
          return $m_5.await($v_5);
        case 3 /* AwaitX_L50 */:
          log = $f_5[0]; /* log */
          if ($t_5) throw $v_5;
          return $m_5.ret($v_5);
        case 4:
          e = $error_2;
          log("catch");
          return $m_5.ret("caught");
      }
    } catch ($e_5) {
      switch ($l_5) {
        case 3:
        case 5:
          if ($e_5 === $am.CANCEL) throw $e_5;
          $error_2 = $e_5;
          $l_5 = 4;
          continue $mc_5;
      }
      throw $e_5;
    }
  }
}
export function catchOnly(log, x) {
  return $am.pollStartWithFrame(catchOnly$resume, catchOnly$State, this, [log, x]);
}
