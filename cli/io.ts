/**
 * Where a CLI command writes and what it runs in: the process by default, buffers in tests
 * (test/inspect/cli.test.ts runs commands in-process and checks stdout, stderr and exit codes).
 */
export interface Io {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: Io = {
  cwd: process.cwd(),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};
