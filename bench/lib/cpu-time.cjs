"use strict";
// Preloaded (node -r) into the compiler processes of workload F: writes the process's CPU time
// (user + system, all threads, ms) to $BENCH_CPU_FILE at exit. CPU time is less disturbed than
// wall time by other processes on a busy machine.
const file = process.env.BENCH_CPU_FILE;
if (file) {
  process.on("exit", () => {
    const u = process.cpuUsage();
    require("node:fs").writeFileSync(file, String((u.user + u.system) / 1000));
  });
}
