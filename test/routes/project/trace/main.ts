// The stack traces of errors that leave async functions, printed as JSON: the stack test
// (test/routes/stack.test.ts) builds this file with and without the transform and compares them.
import { enableAsyncStackTraces } from "async-machine/runtime";
import { check } from "../src/store";

class FileStore {
  async validate(name: string): Promise<string> {
    await null;
    if (name.includes("/")) throw new TypeError(`not a file name: ${name}`);
    return name;
  }
}

async function open(store: FileStore, name: string): Promise<string> {
  const valid = await store.validate(name);
  return valid;
}

const load = async (name: string): Promise<string> => {
  return await open(new FileStore(), name);
};

async function main(which: number): Promise<void> {
  if (which === 0) await check(5);
  else await load("a/b");
}

// Compiled functions get `at async …` frames from the runtime when enabled (native ones need nothing).
enableAsyncStackTraces();
const stacks: string[] = [];
const stackOf = (error: unknown): number => stacks.push(String((error as Error).stack));
main(0)
  .catch(stackOf)
  .then(() => main(1).catch(stackOf))
  .then(() => console.log(JSON.stringify({ compiled: !/^async\b/.test(Function.prototype.toString.call(main)), stacks })));
