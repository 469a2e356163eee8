import {
  any,
  bool,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  unsupported,
} from '../signature/signature.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkSeed } from './backward.js';
import { runBackward } from './engine.js';

/** Options of {@link grad} (PyTorch's `torch.autograd.grad` keywords). */
export interface GradOptions {
  /** The gradient of each output (PyTorch's `grad_outputs`); may be omitted for scalar outputs. */
  gradOutputs?: Tensor | null | readonly (Tensor | null)[];
  /** Keep the graph for another backward. Defaults to `createGraph`. */
  retainGraph?: boolean | null;
  /** Record the backward pass so the returned gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return `null` for an input the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
  /** PyTorch's deprecated flag; only `true` (its default) is accepted. */
  onlyInputs?: boolean;
}

/**
 * grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
 * only_inputs=True, allow_unused=False, is_grads_batched=False)
 */
export const GRAD = signature('autograd.grad', [
  req('outputs', any),
  req('inputs', any),
  opt('gradOutputs', any),
  opt('retainGraph', optional(bool)),
  opt('createGraph', bool),
  opt(
    'onlyInputs',
    onlyDefault(true, 'PyTorch ignores it (deprecated): gradients are always of the inputs only'),
  ),
  opt('allowUnused', bool),
  unsupported('isGradsBatched', 'batched gradients (vmap) are not supported'),
]);

function asArray<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned instead of accumulated into
 * `.grad` (PyTorch's `torch.autograd.grad`). One gradient per input, in order; with
 * `allowUnused`, `null` for an input that no output depends on. With `createGraph` the
 * gradients are themselves differentiable: a gradient penalty or a Hessian-vector product.
 *
 * @throws Error when `outputs` or `inputs` is empty, the number of `gradOutputs` differs from
 *   the outputs', an input or output does not require grad, a gradient is needed (non-scalar
 *   output) but missing or mis-shaped, or an input is unused and `allowUnused` is off.
 *
 * @example
 * ```ts
 * const [gx] = autograd.grad(y.sum(), [x], { createGraph: true });
 * gx!.pow(2).sum().backward(); // the gradient of the gradient's norm
 * ```
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  ...rest: PosOrOpts<
    [
      gradOutputs: GradOptions['gradOutputs'],
      retainGraph: boolean | null,
      createGraph: boolean,
      onlyInputs: boolean,
      allowUnused: boolean,
    ],
    GradOptions
  >
): (Tensor | null)[] {
  const opts = GRAD.parse<GradOptions & { retainGraph?: boolean | null }>([outputs, inputs, ...rest]);
  const outs = asArray(outputs);
  const ins = asArray(inputs);
  if (outs.length === 0) throw new Error('autograd.grad: outputs is empty');
  if (ins.length === 0) throw new Error('autograd.grad: inputs is empty');
  const gradOuts = opts.gradOutputs === undefined ? outs.map(() => null) : asArray(opts.gradOutputs);
  if (gradOuts.length !== outs.length) {
    throw new Error(
      `autograd.grad: got ${gradOuts.length} gradOutputs for ${outs.length} outputs; pass one per output (null for a scalar)`,
    );
  }
  ins.forEach((t, i) => {
    t._check('autograd.grad');
    if (!t.requiresGrad) {
      throw new Error(`autograd.grad: input ${i} (${fmtShape(t.shape)}) does not require grad`);
    }
  });
  outs.forEach((y, i) => {
    y._check('autograd.grad');
    y._freshen();
    if (!y._requiresGrad) {
      throw new Error(
        `autograd.grad: output ${i} (${fmtShape(y.shape)}) does not require grad and has no grad_fn`,
      );
    }
  });
  const makeSeeds = () =>
    outs.map((y, i) => checkSeed('autograd.grad', y, gradOuts[i], 'gradOutputs of that shape'));
  const createGraph = opts.createGraph ?? false;
  const result = runBackward(outs, makeSeeds, {
    retainGraph: opts.retainGraph ?? createGraph,
    createGraph,
    targets: ins,
    accumulate: false,
  });
  if (!opts.allowUnused) {
    const unused = result.indexOf(null);
    if (unused >= 0) {
      throw new Error(
        `autograd.grad: input ${unused} (${fmtShape(ins[unused].shape)}) was not used in the graph of the outputs; ` +
          'pass { allowUnused: true } if this is expected',
      );
    }
  }
  return result;
}
