// Types of kept.mjs, for test/bench/render.test.ts.
export declare function withKeptWorkloads<R extends { meta: object; workloads: object }>(
  current: R,
  previous: object | undefined,
): R & { meta: { keptFromEarlierRun: { workloads: string[]; date: string; dates: Record<string, string> } } };
export declare function keptDates(meta: object): Record<string, string>;
export declare function withEarlierProfiles(md: string, earlierMd: string | undefined, keptIds: string[]): string;
