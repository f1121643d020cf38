// D: a loop with try/catch/finally around an await; 1% of the iterations throw.
export async function run(n: number): Promise<number> {
  let ok = 0;
  let caught = 0;
  let finals = 0;
  for (let i = 0; i < n; i++) {
    try {
      const value = await i;
      if (value % 100 === 99) throw new Error("boom " + value);
      ok += value;
    } catch (error) {
      caught += (error as Error).message.length;
    } finally {
      finals++;
    }
  }
  return ok + caught * 7 + finals * 3;
}
