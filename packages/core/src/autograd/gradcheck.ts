import type { TypedArray } from '../backend/types.js';
import { tidy } from '../tensor/scope.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { grad } from './grad.js';

/** Options of {@link gradcheck} (PyTorch's defaults). */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance between analytical and numerical entries (default 1e-5). */
  atol?: number;
  /** Relative tolerance, times the numerical entry's magnitude (default 1e-3). */
  rtol?: number;
  /** Throw with the mismatching entry (default) instead of returning false. */
  raiseException?: boolean;
}

/** Plugged in by the ops layer: overwrite a tensor's values in place, and make a tensor like another. */
export interface GradcheckOps {
  assign(t: Tensor, values: TypedArray): void;
  /** A tensor on `like`'s device and of its dtype holding `values`, of `shape` (default: `like`'s). */
  fromValues(like: Tensor, values: TypedArray, shape?: readonly number[]): Tensor;
}

let ops: GradcheckOps | undefined;

/** @internal */
export function setGradcheckOps(o: GradcheckOps): void {
  ops = o;
}

/** @internal */
export function gradcheckOps(): GradcheckOps {
  return ops!;
}

/** What the function under {@link gradcheck} returns: one tensor or several. */
export type GradcheckOutputs = Tensor | readonly Tensor[];

function asList(o: GradcheckOutputs): readonly Tensor[] {
  return Array.isArray(o) ? o : [o as Tensor];
}

/**
 * Checks the analytical gradients of `fn` (from `backward()`) against central finite
 * differences, for every input that requires grad, as torch.autograd.gradcheck does.
 * Inputs that require grad must be float64. Returns true, or throws (or returns false
 * when `raiseException` is false) naming the input, the entry and both values.
 *
 * @throws Error when no input requires grad, or one that does is not float64; when a
 *   gradient mismatches (unless `raiseException` is false).
 *
 * @example
 * ```ts
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradcheck((x) => x.tanh().sum(1), [x]);
 * ```
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => GradcheckOutputs,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const raise = opts.raiseException ?? true;
  const o = ops!;
  const diff = inputs.filter((t) => t.requiresGrad);
  if (diff.length === 0) throw new Error('gradcheck: no input requires grad');
  for (const t of diff) {
    if (t.dtype !== 'float64') {
      throw new Error(
        `gradcheck: inputs that require grad must be float64 for precision, got ${t.dtype} ${fmtShape(t.shape)}`,
      );
    }
  }
  // Output sizes from one plain evaluation.
  const outSizes = tidy(() => asList(fn(...inputs)).map((y) => y.numel()));
  const totalOut = outSizes.reduce((a, b) => a + b, 0);
  // Evaluated with recording on: the function may itself take gradients (gradgradcheck).
  const evalFlat = (): Float64Array =>
    tidy(() => {
      const ys = asList(fn(...inputs));
      const flat = new Float64Array(totalOut);
      let at = 0;
      for (const y of ys) {
        const d = y.dataSync();
        for (let i = 0; i < d.length; i++) flat[at++] = d[i];
      }
      return flat;
    });

  // Analytical Jacobian from autograd.grad, one output entry at a time for all inputs at once:
  // analytical[i][q] = d out_i / d diff[q].
  const analytical = Array.from({ length: totalOut }, (_, i) =>
    tidy(() => {
      const ys = asList(fn(...inputs));
      let at = 0;
      let root: Tensor | null = null;
      let seed: Tensor | null = null;
      for (const y of ys) {
        if (i >= at && i < at + y.numel()) {
          const g = new Float64Array(y.numel());
          g[i - at] = 1;
          root = y;
          seed = o.fromValues(y, g);
        }
        at += y.numel();
      }
      const gs = root!.requiresGrad ? grad([root!], diff, { gradOutputs: [seed!], allowUnused: true }) : [];
      return diff.map((t, q) => (gs[q] ? Float64Array.from(gs[q]!.dataSync()) : new Float64Array(t.numel())));
    }),
  );

  for (let k = 0; k < inputs.length; k++) {
    const x = inputs[k];
    if (!x.requiresGrad) continue;
    const n = x.numel();
    const base = x.dataSync() as Float64Array;
    // numerical[j][i] = d out_i / d x_j
    const numerical: Float64Array[] = [];
    for (let j = 0; j < n; j++) {
      const v = Float64Array.from(base);
      v[j] = base[j] + eps;
      o.assign(x, v);
      const plus = evalFlat();
      v[j] = base[j] - eps;
      o.assign(x, v);
      const minus = evalFlat();
      const col = new Float64Array(totalOut);
      for (let i = 0; i < totalOut; i++) col[i] = (plus[i] - minus[i]) / (2 * eps);
      numerical.push(col);
    }
    o.assign(x, Float64Array.from(base));
    const q = diff.indexOf(x);
    for (let i = 0; i < totalOut; i++) {
      const row = analytical[i][q];
      for (let j = 0; j < n; j++) {
        const a = row[j];
        const num = numerical[j][i];
        if (!(Math.abs(a - num) <= atol + rtol * Math.abs(num))) {
          const msg =
            `gradcheck: Jacobian mismatch for output ${i} with respect to input ${k} (shape ${fmtShape(x.shape)}), ` +
            `element ${j}: numerical ${num}, analytical ${a} (atol ${atol}, rtol ${rtol})`;
          if (raise) throw new Error(msg);
          return false;
        }
      }
    }
  }
  return true;
}
