/**
 * The CPU backend's conformance declarations, read by `src/conformance.test.ts` and by the
 * coverage table of @proj/backend-tests (`pnpm --filter @proj/backend-tests coverage-table`).
 */

/** Cases skipped on CPU (case id or `prefix/*` → reason). Empty: CPU is the reference and runs them all. */
export const cpuSkips: Readonly<Record<string, string>> = {};

/** Float tolerance preset: CPU kernels round once in float32, so the tightest one. */
export const cpuTolerance = 'strict' as const;
