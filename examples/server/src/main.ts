/**
 * The example server's program: listens on 127.0.0.1, echoes lines, closes connections idle for
 * longer than --idle-ms, and on SIGINT (Ctrl-C) cancels every connection, whose `finally` blocks
 * close their sockets, then prints a summary. It never calls process.exit: the process ends
 * because nothing is left open.
 *
 *   node examples/server/dist/main.js [--port=7000] [--idle-ms=30000]
 */
import { run } from "async-machine/runtime";
import { listen, processSignal } from "async-machine/io";
import { asFuture, io } from "./futures";
import { serve } from "./server";

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

async function main(): Promise<void> {
  const idleMs = option("idle-ms", 30_000);
  const listener = await io(listen({ port: option("port", 7000), host: "127.0.0.1", backlog: 4096 }));
  console.log(`listening on 127.0.0.1:${listener.port} (idle timeout ${idleMs} ms; Ctrl-C stops)`);
  const stats = await serve(listener, processSignal("SIGINT"), {
    idleMs,
    onClose: (id, reason) => console.log(`connection ${id} closed (${reason})`),
  });
  console.log(`shut down: ${stats.accepted} accepted, ${stats.closed} closed (${stats.idleTimeouts} idle), ` + `${stats.open} open, ${stats.linesEchoed} lines echoed`);
}

run(asFuture(main())).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
