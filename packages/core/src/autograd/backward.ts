import { any, bool, opt, optional, type PosOrOpts, signature, tensor } from '../signature/signature.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradOps, runBackward } from './engine.js';
import { Node } from './node.js';

export type { GradOps } from './engine.js';
export { setGradOps } from './engine.js';

/** Options of {@link backward} (PyTorch's `Tensor.backward` keywords). */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again. Defaults to `createGraph`. */
  retainGraph?: boolean | null;
  /**
   * Record the backward pass, so the gradients in `.grad` can be differentiated again
   * (double backward: gradient penalties, Hessian-vector products).
   */
  createGraph?: boolean;
  /** Accumulate only into these tensors' `.grad` (leaves or not) instead of every leaf. */
  inputs?: Tensor | readonly Tensor[];
}

/** Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None) */
export const BACKWARD = signature('Tensor.backward', [
  opt('gradient', optional(tensor)),
  opt('retainGraph', optional(bool)),
  opt('createGraph', bool),
  opt('inputs', any),
]);

/** The arguments of `Tensor.backward`, positionally in PyTorch's order or in one options object. */
export type BackwardArgs = PosOrOpts<
  [
    gradient: Tensor | null | undefined,
    retainGraph: boolean | null,
    createGraph: boolean,
    inputs: Tensor | readonly Tensor[],
  ],
  BackwardOptions & { gradient?: Tensor | null }
>;

/** Checks `grad` against the output it seeds (shape, device) and casts it to the output's dtype. */
export function checkSeed(op: string, out: Tensor, grad: Tensor | null | undefined, what: string): Tensor {
  const o = gradOps();
  if (grad === undefined || grad === null) {
    if (out.numel() !== 1) {
      throw new Error(
        `${op}: grad can be implicitly created only for scalar outputs, got shape ${fmtShape(out.shape)}; pass ${what}`,
      );
    }
    return o.onesLike(out);
  }
  grad._check(op);
  if (!shapesEqual(grad.shape, out.shape)) {
    throw new Error(
      `${op}: gradient shape ${fmtShape(grad.shape)} does not match the output's shape ${fmtShape(out.shape)}`,
    );
  }
  if (grad.device !== out.device) {
    throw new Error(`${op}: gradient is on ${grad.device} but the output is on ${out.device} (use .to())`);
  }
  return grad.dtype === out.dtype ? grad : o.cast(grad, out);
}

/**
 * Computes the gradient of `root` with respect to every leaf that requires grad and
 * accumulates it into the leaves' `.grad` (PyTorch's `tensor.backward()`). `grad` is the
 * gradient of some scalar w.r.t. `root`; it may be omitted only for one-element roots.
 * The graph is freed afterwards unless `retainGraph` (or `createGraph`). Arguments as
 * PyTorch's, positionally or by name.
 *
 * @throws Error when `root` does not require grad, a gradient is needed (non-scalar root) but
 *   missing or has another shape, `inputs` is empty or holds a tensor that does not require
 *   grad, or the graph was already freed by an earlier backward.
 *
 * @example
 * ```ts
 * const y = x.pow(3).sum();
 * y.backward({ createGraph: true }); // x.grad = 3x², itself differentiable
 * ```
 */
export function backward(root: Tensor, ...args: BackwardArgs): void {
  const opts = BACKWARD.parse<BackwardOptions & { gradient?: Tensor | null }>(args);
  const grad = opts.gradient;
  root._check('backward');
  root._freshen();
  if (!root._requiresGrad) {
    throw new Error(
      'backward: the tensor does not require grad and has no grad_fn (did you call requiresGrad_() on the inputs?)',
    );
  }
  const createGraph = opts.createGraph ?? false;
  let targets: readonly Tensor[] | null = null;
  if (opts.inputs !== undefined) {
    targets = Array.isArray(opts.inputs) ? (opts.inputs as readonly Tensor[]) : [opts.inputs as Tensor];
    if (targets.length === 0) throw new Error("backward: 'inputs' argument to backward() cannot be empty");
    for (const t of targets) {
      if (!t.requiresGrad) throw new Error(`backward: an input ${fmtShape(t.shape)} does not require grad`);
    }
  }
  runBackward([root], () => [checkSeed('backward', root, grad, 'a gradient of that shape')], {
    retainGraph: opts.retainGraph ?? createGraph,
    createGraph,
    targets,
    accumulate: true,
  });
}

/** Makes a non-leaf tensor keep its gradient in `.grad` during backward (PyTorch's retain_grad). */
export function retainGrad(t: Tensor): void {
  const fn = t.gradFn as Node | null;
  if (fn instanceof Node) fn.retained = t;
}
