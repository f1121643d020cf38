/**
 * async-machine/io: leaf futures over Node's own I/O — TCP, files, child processes, signals, a
 * shared timer heap — and adapters from Node and web streams. A separate entry point, so a
 * program that never touches I/O loads none of it (and none of `net`, `fs`, `child_process`).
 *
 *     node-streams.ts  NodeReader / NodeWriter: Readable / Writable as read and write futures
 *     web-streams.ts   WebReader / WebWriter: ReadableStream / WritableStream the same way
 *     tcp.ts           listen, accept, connect, TcpStream
 *     files.ts         openFile, File (read / write ranges through fs callbacks)
 *     process.ts       spawnProcess, ChildProcessHandle (stdout / stdin / wait)
 *     signal.ts        aborted(AbortSignal), processSignal("SIGINT")
 *     timer-heap.ts    TimerHeap, heapSleep: every sleep on one host timer
 *     async-iterable.ts  chunks(reader): a reader for `for await` consumers
 *
 * Every leaf keeps the waker contract of ../future.ts; each module's comment says how.
 */
export { IoError } from "./errors";
export { OnceFuture } from "./once-future";
export { NodeReader, NodeWriter, WaitSlot, ReadFuture, ChunkFuture, WriteFuture, EndFuture } from "./node-streams";
export { TcpStream, TcpListener, AcceptFuture, ListenFuture, ConnectFuture, listen, connect } from "./tcp";
export type { ListenOptions } from "./tcp";
export { CallbackFuture } from "./callback-future";
export type { NodeCallback } from "./callback-future";
export { File, openFile } from "./files";
export { ChildProcessHandle, WaitFuture, spawnProcess } from "./process";
export type { ExitStatus } from "./process";
export { AbortFuture, ProcessSignalFuture, aborted, processSignal } from "./signal";
export { TimerHeap, HeapSleep, heapSleep, getDefaultTimerHeap } from "./timer-heap";
export { WebReader, WebWriter, WebCloseFuture } from "./web-streams";
export { chunks } from "./async-iterable";
export type { ChunkSource } from "./async-iterable";
