import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const DOCUMENTS: Record<string, string> = {
  "futures.txt": "A future is a value that is not ready yet. Polling it asks whether it is ready now.",
  "states.txt": "Every await is a state. Each state keeps only what the next step needs.",
  "offsets.txt": "Store offsets, not pointers, and the machine can move.",
  "wakers.txt": "A waker tells the executor to poll again. No wake, no poll.",
  "budget.txt": "One task that never yields starves the rest.",
};

/** A scratch directory that removes itself. */
export class ScratchDir {
  private constructor(readonly path: string) {}

  static async create(prefix: string): Promise<ScratchDir> {
    return new ScratchDir(await mkdtemp(join(tmpdir(), prefix)));
  }

  async write(name: string, text: string): Promise<string> {
    const file = join(this.path, name);
    await writeFile(file, text, "utf8");
    return file;
  }

  async dispose(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

export async function countWords(file: string): Promise<number> {
  const text = await readFile(file, "utf8");
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** Reads a file, or says why it could not. */
export async function tryRead(file: string): Promise<{ ok: true; text: string } | { ok: false; code: string }> {
  try {
    return { ok: true, text: await readFile(file, "utf8") };
  } catch (error) {
    return { ok: false, code: (error as NodeJS.ErrnoException).code ?? "unknown" };
  }
}
