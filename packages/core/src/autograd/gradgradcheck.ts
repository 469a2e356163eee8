import { defaultGenerator } from '../tensor/random.js';
import { tidy } from '../tensor/scope.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { grad } from './grad.js';
import { noGrad } from './grad-mode.js';
import { type GradcheckOptions, gradcheck, gradcheckOps } from './gradcheck.js';

/** Options of {@link gradgradcheck}: gradcheck's, and the output gradients to use. */
export interface GradgradcheckOptions extends GradcheckOptions {
  /** One gradient per output (float64); random normal values that require grad by default. */
  gradOutputs?: readonly Tensor[];
}

/**
 * Checks second derivatives as torch.autograd.gradgradcheck does: the function
 * `(inputs, gradOutputs) => autograd.grad(fn(inputs), inputs, { gradOutputs, createGraph })`
 * must pass {@link gradcheck}, with respect to the inputs and to the output gradients.
 * That is, the backward of every op `fn` uses is itself differentiated correctly.
 *
 * @throws Error when no input requires grad, or as {@link gradcheck} does.
 *
 * @example
 * ```ts
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradgradcheck((x) => x.tanh().mul(x), [x]);
 * ```
 */
export function gradgradcheck(
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  opts: GradgradcheckOptions = {},
): boolean {
  const o = gradcheckOps();
  const diff = inputs.filter((t) => t.requiresGrad);
  if (diff.length === 0) throw new Error('gradgradcheck: no input requires grad');
  const asList = (r: Tensor | readonly Tensor[]): readonly Tensor[] => (Array.isArray(r) ? r : [r as Tensor]);
  const outShapes = tidy(() => noGrad(() => asList(fn(...inputs)).map((y) => [...y.shape])));
  let gradOutputs = opts.gradOutputs;
  if (gradOutputs === undefined) {
    gradOutputs = outShapes.map((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = defaultGenerator.normal();
      return o.fromValues(inputs.find((t) => t.requiresGrad)!, v, shape).requiresGrad_();
    });
  } else if (
    gradOutputs.length !== outShapes.length ||
    gradOutputs.some((g, i) => !shapesEqual(g.shape, outShapes[i]))
  ) {
    throw new Error(
      `gradgradcheck: gradOutputs ${gradOutputs.map((g) => fmtShape(g.shape)).join(', ')} do not match the outputs ` +
        outShapes.map((s) => fmtShape(s)).join(', '),
    );
  }
  const nIn = inputs.length;
  const gradFn = (...all: Tensor[]): Tensor[] => {
    const ins = all.slice(0, nIn);
    const gos = all.slice(nIn);
    const ys = asList(fn(...ins));
    const used = ins.filter((t) => t.requiresGrad);
    const gs = grad(ys, used, { gradOutputs: gos, createGraph: true, allowUnused: true });
    return gs.filter((g): g is Tensor => g !== null);
  };
  try {
    return gradcheck(gradFn, [...inputs, ...gradOutputs], opts);
  } finally {
    if (opts.gradOutputs === undefined) for (const g of gradOutputs) g.dispose();
  }
}
