/**
 * The gpujs backend's conformance declarations, read by `src/conformance.test.ts` and by the
 * coverage table of @proj/backend-tests.
 */

const INT_AS_FLOAT =
  'int32 is stored in float32 textures (WebGL 1 has no integer textures): exact only up to 2^24';

/** Cases skipped on gpujs (case id or `prefix/*` → reason). float64 cases skip themselves. */
export const gpujsSkips: Readonly<Record<string, string>> = {
  'dtypes/int32/storage': `${INT_AS_FLOAT}; the case stores 2147483647`,
  'dtypes/int32/arithmetic-exact-beyond-2-24': INT_AS_FLOAT,
};

/** Float tolerance preset: the GLSL kernels pass 'balanced' (exp, log, erf within 1e-5). */
export const gpujsTolerance = 'balanced' as const;
