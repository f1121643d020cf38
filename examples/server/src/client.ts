/**
 * The example server's client generator: opens --connections connections at once, sends --lines
 * lines on each and checks every echo, then shuts down its side and waits for the server's end
 * of stream. Poll-mode async functions on the I/O leaves, run together with `join`.
 *
 *   node examples/server/dist/client.js [--port=7000] [--connections=100] [--lines=10]
 */
import { join, run } from "async-machine/runtime";
import { connect, type TcpStream } from "async-machine/io";
import { asFuture, io } from "./futures";

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

/** Reads until `count` lines have arrived (or end of stream); the lines. */
async function readLines(conn: TcpStream, count: number): Promise<string[]> {
  const lines: string[] = [];
  let pending = "";
  while (lines.length < count) {
    const chunk = await io(conn.reader.readChunk<Buffer>());
    if (chunk === null) break;
    pending += chunk.toString("latin1");
    for (let nl; (nl = pending.indexOf("\n")) !== -1; pending = pending.slice(nl + 1)) lines.push(pending.slice(0, nl));
  }
  return lines;
}

/** One client: `lines` request/echo round trips; the number that came back unchanged. */
async function client(port: number, id: number, lines: number): Promise<number> {
  const conn = await io(connect({ port, host: "127.0.0.1", noDelay: true }));
  try {
    let matched = 0;
    for (let i = 0; i < lines; i++) {
      const line = `client ${id} line ${i}`;
      await io(conn.write(`${line}\n`));
      const [echo] = await readLines(conn, 1);
      if (echo === line) matched++;
    }
    await io(conn.shutdown());
    await readLines(conn, 1); // the server's end of stream
    return matched;
  } finally {
    conn.close();
  }
}

async function main(): Promise<boolean> {
  const port = option("port", 7000);
  const connections = option("connections", 100);
  const lines = option("lines", 10);
  const started = performance.now();
  const matched = await io(join(Array.from({ length: connections }, (_, id) => asFuture(client(port, id, lines)))));
  const total = matched.reduce((a, b) => a + b, 0);
  const ms = performance.now() - started;
  console.log(`${connections} connections × ${lines} lines: ${total}/${connections * lines} echoed back in ${ms.toFixed(0)} ms`);
  return total === connections * lines;
}

run(asFuture(main())).then(
  (ok) => {
    if (!ok) process.exitCode = 1;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
