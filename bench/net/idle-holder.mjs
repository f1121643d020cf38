#!/usr/bin/env node
// The NET load test's idle-connection holder: one client process that opens idle connections to
// the server from one loopback source address (`--local-address`, e.g. 127.0.0.2) when the
// driver asks, and keeps them open until told to close. bench/net/load.mjs starts several when
// one process's file-descriptor limit cannot hold every idle connection, each from its own source
// address, as a source address has at most 65 535 ports to connect from (and 100 000
// connections to one server port need at least two).
//
// Each connection is bound to its own port, chosen in order from FIRST_PORT up (a port in use on
// that address is skipped), not left to the kernel: a kernel-chosen port is searched for across
// the whole ephemeral range on every bind, which took most of a holder's time (all of it system
// time) once a few thousand of the address's ports were taken.
//
// The driver asks for connections a step at a time and waits until the server holds them before
// the next step: a cluster primary accepts every connection the kernel has completed and queues
// it until a worker takes it, and an unbounded queue would run the primary out of descriptors.
//
// With `--echo`, each connection first sends one line and waits for its echo before it counts as
// open (a check that every connection is served; the load test itself leaves them silent).
//
//   node bench/net/idle-holder.mjs --port=P [--local-address=127.0.0.2] [--echo]
//     message { open: n } → opens n more connections, 256 at a time; replies { opened, echoed } (totals)
//     message "close" / the driver gone → resets every connection (no TIME-WAIT left holding
//                                         the address's ports) and exits
import { once } from "node:events";
import * as net from "node:net";
import { HOLDER_FIRST_PORT } from "./fd-plan.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const port = Number(opt("port"));
const localAddress = opt("local-address", "127.0.0.2");
const echo = args.includes("--echo");

const FIRST_PORT = HOLDER_FIRST_PORT;
const sockets = [];
let echoed = 0;
let nextPort = FIRST_PORT;

/** A connection from the next free port of `localAddress` (ports in use there are skipped). */
async function connect() {
  for (;;) {
    if (nextPort > 65_535) throw new Error(`no port left on ${localAddress}`);
    const socket = net.connect({ port, host: "127.0.0.1", localAddress, localPort: nextPort++, noDelay: true });
    try {
      await once(socket, "connect");
      return socket;
    } catch (error) {
      if (error.code !== "EADDRINUSE") throw error;
    }
  }
}

async function open(id) {
  const socket = await connect();
  sockets.push(socket);
  if (echo) {
    const line = `hello ${localAddress} ${id}\n`;
    socket.write(line);
    let text = "";
    for await (const chunk of socket.iterator({ destroyOnReturn: false })) {
      text += chunk;
      if (text.includes("\n")) break;
    }
    if (text !== line) throw new Error(`connection ${id} got ${JSON.stringify(text)} back for ${JSON.stringify(line)}`);
    echoed++;
  }
}

async function openMore(count) {
  for (let done = 0; done < count; done += 256) {
    const first = sockets.length;
    await Promise.all(Array.from({ length: Math.min(256, count - done) }, (_, j) => open(first + j)));
  }
  process.send({ opened: sockets.length, echoed });
}

/** Also while connections are still being opened: exiting closes every one. */
function closeAll() {
  for (const socket of sockets) if (!socket.destroyed) socket.resetAndDestroy();
  process.exit(0);
}
process.on("message", (message) => {
  if (message === "close") closeAll();
  else if (typeof message?.open === "number") void openMore(message.open);
});
process.on("disconnect", closeAll);
