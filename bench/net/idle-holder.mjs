#!/usr/bin/env node
// The NET load test's idle-connection holder: one client process that opens idle connections to
// the server from one loopback source address (`--local-address`, e.g. 127.0.0.2) when the
// driver asks, and keeps them open until told to close. bench/net/load.mjs starts several when
// one process's file-descriptor limit cannot hold every idle connection, each from its own source
// address: a source address has only the ephemeral port range (32768-60999 here, about 28 000
// ports) to connect from, so 100 000 connections to one server port need at least four.
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

const args = process.argv.slice(2);
const opt = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const port = Number(opt("port"));
const localAddress = opt("local-address", undefined);
const echo = args.includes("--echo");

const sockets = [];
let echoed = 0;

async function open(id) {
  const socket = net.connect({ port, host: "127.0.0.1", localAddress, noDelay: true });
  sockets.push(socket);
  await once(socket, "connect");
  if (echo) {
    const line = `hello ${localAddress ?? "127.0.0.1"} ${id}\n`;
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
