// Types of bundle-programs.mjs, for test/runtime/bundle.test.ts.
export declare const PROGRAM: string;
export declare const WITH_EXECUTOR: string;
