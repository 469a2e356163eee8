/**
 * The gpujs backend's conformance declarations, read by `src/conformance.test.ts` and by the
 * coverage table of @proj/backend-tests.
 */

const INT_AS_FLOAT =
  'int32 is stored in float32 textures (WebGL 1 has no integer textures): exact only up to 2^24';
const INT64_AS_FLOAT =
  'int64 is stored in float32 textures, as int32 is (WebGL 1 has no integer textures): exact only up to 2^24';

/** Cases skipped on gpujs (case id or `prefix/*` → reason). float64 cases skip themselves. */
export const gpujsSkips: Readonly<Record<string, string>> = {
  'dtypes/int32/storage': `${INT_AS_FLOAT}; the case stores 2147483647, which gpujs refuses with an error`,
  'dtypes/int32/arithmetic-exact-beyond-2-24': `${INT_AS_FLOAT}; the case stores 16777217, which gpujs refuses with an error`,
  'dtypes/int64/storage-extremes': `${INT64_AS_FLOAT}; the case stores ±2^63, which gpujs refuses with an error`,
  'dtypes/int64/exact-beyond-2-24': `${INT64_AS_FLOAT}; the case stores 16777217, which gpujs refuses with an error`,
  'size/int64/sum-arange-2-17': `${INT64_AS_FLOAT}; the sum (8589869056) is refused with an error naming the limit`,
  'dtypes/bfloat16/subnormals':
    "bfloat16's subnormals are float32 subnormals, which WebGL shaders flush to zero (GLSL ES 3.00 §4.5.1): bfloat16 1e-40 is stored exactly, but 2 · 1e-40 computes to 0",
  'size/extreme/subnormals':
    'WebGL shaders flush float32 subnormals to zero (GLSL ES 3.00 §4.5.1 allows any denormal input or result to be flushed; llvmpipe and GPUs do): 2^17 · 2^-140 sums to 0, not 2^-123',
};

/** Float tolerance preset: the GLSL kernels pass 'balanced' (exp, log, erf within 1e-5). */
export const gpujsTolerance = 'balanced' as const;
