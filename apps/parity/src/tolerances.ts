// Named tolerance presets, one per case family (documented in README.md). A value passes when
// |got − want| <= atol + rtol·|want|; atol is the small absolute floor for values near zero.

/** A tolerance: relative bound and absolute floor. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The presets the catalogue names. */
export const PRESETS = {
  /** Single Tensor ops, forward and gradient. */
  op: { rtol: 1e-5, atol: 1e-6 },
  /** One nn.functional call or layer (conv, pool, norm): sums over windows and channels. */
  layer: { rtol: 1e-5, atol: 1e-5 },
  /** Recurrent layers and attention: long chains of float32 products (as the core fixture tests). */
  sequence: { rtol: 1e-4, atol: 1e-5 },
  /** Multi-step training (optimizer trajectories, model losses and final weights). */
  training: { rtol: 1e-4, atol: 1e-5 },
  /** An exported ONNX model in onnxruntime vs our eager forward (different kernels, same graph). */
  export: { rtol: 1e-4, atol: 1e-5 },
} as const satisfies Record<string, Tolerance>;

export type PresetName = keyof typeof PRESETS;

/**
 * Per-backend loosening, stated here rather than hidden in a case: `[backend][preset]`.
 * Empty: every backend is held to the family preset. A loosening is a finding and belongs in
 * the README with its reason.
 */
export const BACKEND_OVERRIDES: Record<string, Partial<Record<PresetName, Tolerance>>> = {};

/** The tolerance of `preset` on `backend`. */
export function toleranceFor(preset: PresetName, backend: string): Tolerance {
  return BACKEND_OVERRIDES[backend]?.[preset] ?? PRESETS[preset];
}
