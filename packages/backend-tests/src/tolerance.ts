/**
 * Named tolerance presets (Burn's `strict` / `balanced` / `permissive`), so no case carries
 * a magic number. A value passes when `|got - want| <= atol + rtol * |want|`; `atol` equals
 * `rtol` so results near zero (e.g. `sin(0)`, softmax tails) are judged on the same scale.
 */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** The preset names a backend picks from in `runConformance({ tolerance })`. */
export type ToleranceName = 'strict' | 'balanced' | 'permissive';

/** strict: float32 kernels that round once (CPU); balanced: the default; permissive: WebGL-class GPUs. */
export const TOLERANCES: Readonly<Record<ToleranceName, Tolerance>> = {
  strict: { rtol: 1e-6, atol: 1e-6 },
  balanced: { rtol: 1e-5, atol: 1e-5 },
  permissive: { rtol: 1e-3, atol: 1e-3 },
};

/** The preset used when a backend names none. */
export const DEFAULT_TOLERANCE: ToleranceName = 'balanced';

/** Whether `got` is within `tol` of `want`; NaN matches NaN and infinities must match exactly. */
export function withinTolerance(got: number, want: number, tol: Tolerance): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  if (!Number.isFinite(got)) return false;
  return Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want);
}
