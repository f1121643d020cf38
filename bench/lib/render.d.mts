// Types of render.mjs, for test/bench/render.test.ts.
export declare const F_TIME_TARGET: number;
export declare const F_SIZE_TARGETS: { development: number; production: number };
export declare function renderReport(
  results: object,
  options: { definitions: object[]; relOut: string; timing?: string },
): { text: string; md: string; charts: { id: string; svg: string }[]; targets: { id: string; text: string; measured: string; met: boolean }[] };
