// Types of the parts of workload.mjs that test/io/net-load-cluster.test.ts uses.
/** Compiles bench/net/poll-echo.mjs in poll mode into bench/net/build/ (what poll-server.mjs loads). */
export declare function buildPollServer(): void;
