/**
 * The ONNX backend's conformance declarations, read by `src/conformance.test.ts` and by the
 * coverage table of @proj/backend-tests.
 */

/** Cases skipped on onnx (case id or `prefix/*` → reason). */
export const onnxSkips: Readonly<Record<string, string>> = {};

/** Float tolerance preset: ORT's kernels (MatMul, Softmax, Erf) round differently from the CPU's. */
export const onnxTolerance = 'balanced' as const;
