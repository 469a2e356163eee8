// torch.autograd.functional: Jacobians, Hessians and their products with vectors, built on
// autograd.grad (reverse mode; jvp by the double-vjp trick, as PyTorch does).
import { detach } from '../ops/convert.js';
import { stack } from '../ops/join.js';
import { reshape, view } from '../ops/shape.js';
import { fromArray, zeros, zerosLike } from '../tensor/creation.js';
import { toDataArray } from '../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { grad } from './grad.js';
import { enableGrad } from './grad-mode.js';

/** A tensor or an array of tensors (PyTorch's "Tensor or tuple of Tensors"). */
export type Tensors = Tensor | readonly Tensor[];

/** Options shared by the functions of {@link functional}. */
export interface FunctionalOptions {
  /** Make the results differentiable (a graph through them). */
  createGraph?: boolean;
  /** Throw when an output does not depend on an input, instead of returning zeros. */
  strict?: boolean;
}

function asList(v: Tensors, what: string, op: string): Tensor[] {
  const list = v instanceof Tensor ? [v] : [...v];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`autograd.functional.${op}: ${what} ${i} is not a tensor`);
  });
  return list;
}

/** Inputs as fresh leaves that require grad (kept in the caller's graph with createGraph). */
function prepare(inputs: readonly Tensor[], createGraph: boolean): Tensor[] {
  return inputs.map((t) =>
    createGraph && t.requiresGrad ? view(t, t.shape) : detach(t).requiresGrad_(true),
  );
}

function checkLike(op: string, what: string, v: readonly Tensor[], like: readonly Tensor[]): void {
  if (v.length !== like.length) {
    throw new Error(`autograd.functional.${op}: expected ${like.length} tensors in ${what}, got ${v.length}`);
  }
  v.forEach((t, i) => {
    if (!shapesEqual(t.shape, like[i].shape)) {
      throw new Error(
        `autograd.functional.${op}: ${what} ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(like[i].shape)}`,
      );
    }
  });
}

/** `v` checked against `like` (one tensor each, same shapes); ones where it may be omitted (one element). */
function vectors(op: string, v: Tensors | null | undefined, like: readonly Tensor[], what: string): Tensor[] {
  if (v !== undefined && v !== null) {
    const vs = asList(v, 'v', op);
    checkLike(op, 'v', vs, like);
    return vs;
  }
  for (const t of like) {
    if (t.numel() !== 1) {
      throw new Error(
        `autograd.functional.${op}: v can be omitted only for one-element ${what}, got ${fmtShape(t.shape)}`,
      );
    }
  }
  return like.map((t) => zerosLike(t).add(1));
}

/** Gradients of `outs` against `ins` (zeros where unused, or an error when `strict`). */
function grads(
  op: string,
  outs: readonly Tensor[],
  ins: readonly Tensor[],
  gradOutputs: readonly Tensor[],
  createGraph: boolean,
  strict: boolean,
): Tensor[] {
  const live = outs.map((o, i) => [o, gradOutputs[i]] as const).filter(([o]) => o.requiresGrad);
  const gs =
    live.length === 0
      ? ins.map(() => null)
      : grad(
          live.map(([o]) => o),
          ins,
          { gradOutputs: live.map(([, g]) => g), createGraph, retainGraph: true, allowUnused: true },
        );
  return gs.map((g, i) => {
    if (g !== null) return g;
    if (strict) {
      throw new Error(
        `autograd.functional.${op}: the output does not depend on input ${i}, which strict mode forbids`,
      );
    }
    return zerosLike(ins[i]);
  });
}

function shaped<T>(single: boolean, list: T[]): T | T[] {
  return single ? list[0] : list;
}

/**
 * The vector-Jacobian product `vᵀ·J` of `func` at `inputs` (PyTorch's
 * `autograd.functional.vjp`): returns `[outputs, vjp]`. `v` may be omitted when the output
 * has one element.
 *
 * ```ts
 * const [y, g] = autograd.functional.vjp((x) => x.pow(2).sum(), x); // g = 2x
 * ```
 */
export function vjp(
  func: (...inputs: Tensor[]) => Tensors,
  inputs: Tensors,
  v?: Tensors | null,
  opts: FunctionalOptions = {},
): [Tensors, Tensors] {
  const createGraph = opts.createGraph ?? false;
  const ins = prepare(asList(inputs, 'input', 'vjp'), createGraph);
  return enableGrad(() => {
    const out = func(...ins);
    const outs = asList(out, 'output', 'vjp');
    const vs = vectors('vjp', v, outs, 'outputs');
    const g = grads('vjp', outs, ins, vs, createGraph, opts.strict ?? false);
    const result = outs.map((o) => (createGraph ? o : detach(o)));
    return [shaped(out instanceof Tensor, result), shaped(inputs instanceof Tensor, g)];
  });
}

/**
 * The Jacobian-vector product `J·v` of `func` at `inputs` (PyTorch's
 * `autograd.functional.jvp`, by the same double-backward trick): returns `[outputs, jvp]`.
 *
 * @example
 * ```ts
 * const [y, jv] = autograd.functional.jvp((x) => x.pow(2), x, ones(3)); // jv = 2x
 * ```
 */
export function jvp(
  func: (...inputs: Tensor[]) => Tensors,
  inputs: Tensors,
  v?: Tensors | null,
  opts: FunctionalOptions = {},
): [Tensors, Tensors] {
  const createGraph = opts.createGraph ?? false;
  const rawIns = asList(inputs, 'input', 'jvp');
  const ins = prepare(rawIns, createGraph);
  const vs = vectors('jvp', v, rawIns, 'inputs');
  return enableGrad(() => {
    const out = func(...ins);
    const outs = asList(out, 'output', 'jvp');
    // u ↦ uᵀJ is linear in u; differentiating it against u at any u gives J·v.
    const us = outs.map((o) => zerosLike(o).requiresGrad_(true));
    const gu = grads('jvp', outs, ins, us, true, opts.strict ?? false);
    const jv = grads('jvp', gu, us, vs, createGraph, opts.strict ?? false);
    const result = outs.map((o) => (createGraph ? o : detach(o)));
    return [shaped(out instanceof Tensor, result), shaped(out instanceof Tensor, jv)];
  });
}

/**
 * The Jacobian of `func` at `inputs` (PyTorch's `autograd.functional.jacobian`, reverse
 * mode): for one input and one output a tensor of shape `[...output, ...input]`; with several,
 * `result[i][j]` is d output_i / d input_j (arrays dropped where the argument was one tensor).
 *
 * ```ts
 * const J = autograd.functional.jacobian((x) => x.pow(2), x); // diag(2x)
 * ```
 */
export function jacobian(
  func: (...inputs: Tensor[]) => Tensors,
  inputs: Tensors,
  opts: FunctionalOptions & { vectorize?: boolean; strategy?: 'reverse-mode' } = {},
): Tensor | Tensor[] | Tensor[][] {
  if (opts.strategy !== undefined && opts.strategy !== 'reverse-mode') {
    throw new Error(
      `autograd.functional.jacobian: strategy '${opts.strategy}' is not supported; use 'reverse-mode'`,
    );
  }
  const createGraph = opts.createGraph ?? false;
  const strict = opts.strict ?? false;
  const ins = prepare(asList(inputs, 'input', 'jacobian'), createGraph);
  return enableGrad(() => {
    const out = func(...ins);
    const outs = asList(out, 'output', 'jacobian');
    const blocks = outs.map((o) => {
      const n = o.numel();
      // One backward per output element: row r of the Jacobian of every input.
      const rows: Tensor[][] = ins.map(() => []);
      for (let r = 0; r < n; r++) {
        const onehot = new Float64Array(n);
        onehot[r] = 1;
        const seed = fromArray('jacobian', toDataArray('jacobian', onehot, o.dtype), o.shape, o.dtype, {
          device: o.device,
        });
        const gs = grads('jacobian', [o], ins, [seed], createGraph, strict);
        gs.forEach((g, j) => {
          rows[j].push(g);
        });
      }
      return ins.map((inp, j) =>
        n === 0
          ? zeros([...o.shape, ...inp.shape], { dtype: inp.dtype, device: inp.device })
          : reshape(stack(rows[j], 0), [...o.shape, ...inp.shape]),
      );
    });
    const perOut = blocks.map((b) => shaped(inputs instanceof Tensor, b));
    return shaped(out instanceof Tensor, perOut as Tensor[]) as Tensor | Tensor[] | Tensor[][];
  });
}

/** A function of the inputs returning a one-element tensor (what Hessians are taken of). */
export type ScalarFn = (...inputs: Tensor[]) => Tensor;

function scalarOut(op: string, y: Tensors): Tensor {
  if (!(y instanceof Tensor) || y.numel() !== 1) {
    throw new Error(`autograd.functional.${op}: the function must return a single one-element tensor`);
  }
  return y;
}

/**
 * The Hessian of a scalar `func` at `inputs` (PyTorch's `autograd.functional.hessian`): for
 * one input a tensor of shape `[...input, ...input]`; for several, `result[i][j]`.
 *
 * ```ts
 * const H = autograd.functional.hessian((x) => x.pow(3).sum(), x); // diag(6x)
 * ```
 */
export function hessian(func: ScalarFn, inputs: Tensors, opts: FunctionalOptions = {}): Tensor | Tensor[][] {
  const single = inputs instanceof Tensor;
  const gradient = (...xs: Tensor[]): Tensor[] => {
    const y = scalarOut('hessian', func(...xs));
    return grads('hessian', [y], xs, [zerosLike(y).add(1)], true, opts.strict ?? false);
  };
  const J = jacobian((...xs) => gradient(...xs), inputs, opts);
  return single ? (J as Tensor[])[0] : (J as Tensor[][]);
}

function hessianProduct(
  op: string,
  func: ScalarFn,
  inputs: Tensors,
  v: Tensors,
  opts: FunctionalOptions,
): [Tensor, Tensors] {
  const createGraph = opts.createGraph ?? false;
  const ins = prepare(asList(inputs, 'input', op), createGraph);
  const vs = asList(v, 'v', op);
  checkLike(op, 'v', vs, ins);
  return enableGrad(() => {
    const y = scalarOut(op, func(...ins));
    const g = grads(op, [y], ins, [zerosLike(y).add(1)], true, opts.strict ?? false);
    const hv = grads(op, g, ins, vs, createGraph, opts.strict ?? false);
    return [createGraph ? y : detach(y), shaped(inputs instanceof Tensor, hv)];
  });
}

/**
 * The Hessian-vector product `H·v` of a scalar `func` at `inputs` (PyTorch's
 * `autograd.functional.hvp`): returns `[output, hvp]`, without forming the Hessian.
 *
 * @example
 * ```ts
 * const [f, hv] = autograd.functional.hvp((x) => x.pow(3).sum(), x, ones(3)); // hv = 6x
 * ```
 */
export function hvp(
  func: ScalarFn,
  inputs: Tensors,
  v: Tensors,
  opts: FunctionalOptions = {},
): [Tensor, Tensors] {
  return hessianProduct('hvp', func, inputs, v, opts);
}

/**
 * The vector-Hessian product `vᵀ·H` (PyTorch's `autograd.functional.vhp`); equal to
 * {@link hvp} for the symmetric Hessians of twice-differentiable functions.
 */
export function vhp(
  func: ScalarFn,
  inputs: Tensors,
  v: Tensors,
  opts: FunctionalOptions = {},
): [Tensor, Tensors] {
  return hessianProduct('vhp', func, inputs, v, opts);
}
