// The stack traces of errors that leave async functions (thrown by methods that a compiled method
// calls through `super` after its await, and with an awaited argument), printed as JSON: the stack test
// (test/routes/stack.test.ts) builds this file with and without the transform and compares them.
import { enableAsyncStackTraces } from "async-machine/runtime";
import { check } from "../src/store";

class Names {
  check(name: string): string {
    if (name.includes("/")) throw new RangeError(`not a plain name: ${name}`);
    return name;
  }
}

class FileStore extends Names {
  async validate(name: string): Promise<string> {
    await null;
    if (name.includes("/")) throw new TypeError(`not a file name: ${name}`);
    return name;
  }

  async checked(name: string): Promise<string> {
    await null;
    return super.check(name.trim());
  }

  async reread(name: string): Promise<string> {
    return this.check(await Promise.resolve(name));
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
  else if (which === 1) await load("a/b");
  else if (which === 2) await new FileStore().checked("c/d");
  else await new FileStore().reread("e/f");
}

// Compiled functions get `at async …` frames from the runtime when enabled (native ones need nothing).
enableAsyncStackTraces();
const stacks: string[] = [];
const stackOf = (error: unknown): number => stacks.push(String((error as Error).stack));
main(0)
  .catch(stackOf)
  .then(() => main(1).catch(stackOf))
  .then(() => main(2).catch(stackOf))
  .then(() => main(3).catch(stackOf))
  .then(() => console.log(JSON.stringify({ compiled: !/^async\b/.test(Function.prototype.toString.call(main)), stacks })));
