// The op table shared by core's fixture test and the parity app: each op name of PyTorch's
// fixtures/ops.json (written by tools/fixtures/ops_cases.py) mapped to our call, written the way a
// user writes it, so a case checks the public API and not an internal entry point.
import { cat, type DType, stack, type Tensor, where } from '../index.js';

/** The JSON args of an ops.json case; which keys an op reads is fixed by tools/fixtures/ops_cases.py. */
export interface FixtureOpArgs {
  /** The scalar second operand of a tensor-scalar binary op (`add`, `eq`, …). */
  other?: number;
  /** The scalar exponent of a tensor-scalar `pow`. */
  exponent?: number;
  /** `clamp`'s lower bound. */
  min?: number;
  /** `clamp`'s upper bound. */
  max?: number;
  /** The dim (or dims) of a reduction, `softmax`, `narrow`, `squeeze`/`unsqueeze` …; absent: all. */
  dim?: number | number[];
  /** Whether a reduction keeps the reduced dims. */
  keepdim?: boolean;
  /** `reshape`/`view`'s target shape. */
  shape?: number[];
  /** `expand`'s sizes. */
  sizes?: number[];
  /** `permute`'s order of dims. */
  dims?: number[];
  /** `flatten`'s first dim. */
  startDim?: number;
  /** `flatten`'s last dim. */
  endDim?: number;
  /** `transpose`'s first dim. */
  dim0?: number;
  /** `transpose`'s second dim. */
  dim1?: number;
  /** `narrow`'s start. */
  start?: number;
  /** `narrow`'s length. */
  length?: number;
  /** `to`'s target dtype. */
  dtype?: DType;
}

/** Runs one fixture op on its input tensors with its JSON args. */
export type FixtureOpFn = (xs: Tensor[], a: FixtureOpArgs) => Tensor;

/** The second operand: the second input tensor, or the number args[key] (tensor-scalar cases). */
function operand(xs: Tensor[], a: FixtureOpArgs, key: 'other' | 'exponent' = 'other'): Tensor | number {
  return xs.length > 1 ? xs[1]! : a[key]!;
}

/**
 * Our call for each ops.json op name.
 *
 * @example
 * const out = FIXTURE_OPS['sum']!([x], { dim: 1, keepdim: true }); // x.sum(1, true)
 */
export const FIXTURE_OPS: Readonly<Record<string, FixtureOpFn>> = {
  neg: ([x]) => x!.neg(),
  abs: ([x]) => x!.abs(),
  exp: ([x]) => x!.exp(),
  log: ([x]) => x!.log(),
  sqrt: ([x]) => x!.sqrt(),
  rsqrt: ([x]) => x!.rsqrt(),
  sin: ([x]) => x!.sin(),
  cos: ([x]) => x!.cos(),
  tanh: ([x]) => x!.tanh(),
  sigmoid: ([x]) => x!.sigmoid(),
  relu: ([x]) => x!.relu(),
  clamp: ([x], a) => x!.clamp(a.min, a.max),
  add: (xs, a) => xs[0]!.add(operand(xs, a)),
  sub: (xs, a) => xs[0]!.sub(operand(xs, a)),
  mul: (xs, a) => xs[0]!.mul(operand(xs, a)),
  div: (xs, a) => xs[0]!.div(operand(xs, a)),
  pow: (xs, a) => xs[0]!.pow(operand(xs, a, 'exponent')),
  maximum: (xs, a) => xs[0]!.maximum(operand(xs, a)),
  minimum: (xs, a) => xs[0]!.minimum(operand(xs, a)),
  eq: (xs, a) => xs[0]!.eq(operand(xs, a)),
  ne: (xs, a) => xs[0]!.ne(operand(xs, a)),
  gt: (xs, a) => xs[0]!.gt(operand(xs, a)),
  ge: (xs, a) => xs[0]!.ge(operand(xs, a)),
  lt: (xs, a) => xs[0]!.lt(operand(xs, a)),
  le: (xs, a) => xs[0]!.le(operand(xs, a)),
  where: ([c, x, y]) => where(c!, x!, y!),
  sum: ([x], a) => (a.dim === undefined ? x!.sum() : x!.sum(a.dim, a.keepdim)),
  mean: ([x], a) => (a.dim === undefined ? x!.mean() : x!.mean(a.dim, a.keepdim)),
  // torch.max(dim).values for one dim; several dims are torch.amax (as the generator does).
  max: ([x], a) =>
    a.dim === undefined
      ? x!.max()
      : typeof a.dim === 'number'
        ? x!.max(a.dim, a.keepdim).values
        : x!.amax(a.dim, a.keepdim),
  min: ([x], a) =>
    a.dim === undefined
      ? x!.min()
      : typeof a.dim === 'number'
        ? x!.min(a.dim, a.keepdim).values
        : x!.amin(a.dim, a.keepdim),
  argmax: ([x], a) => (a.dim === undefined ? x!.argmax() : x!.argmax(a.dim as number, a.keepdim)),
  argmin: ([x], a) => (a.dim === undefined ? x!.argmin() : x!.argmin(a.dim as number, a.keepdim)),
  var: ([x], a) => (a.dim === undefined ? x!.var() : x!.var(a.dim, { keepdim: a.keepdim })),
  std: ([x], a) => (a.dim === undefined ? x!.std() : x!.std(a.dim, { keepdim: a.keepdim })),
  matmul: ([x, y]) => x!.matmul(y!),
  reshape: ([x], a) => x!.reshape(a.shape!),
  view: ([x], a) => x!.view(a.shape!),
  flatten: ([x], a) => x!.flatten(a.startDim, a.endDim),
  squeeze: ([x], a) => (a.dim === undefined ? x!.squeeze() : x!.squeeze(a.dim as number)),
  unsqueeze: ([x], a) => x!.unsqueeze(a.dim as number),
  transpose: ([x], a) => x!.transpose(a.dim0!, a.dim1!),
  permute: ([x], a) => x!.permute(...a.dims!),
  expand: ([x], a) => x!.expand(...a.sizes!),
  narrow: ([x], a) => x!.narrow(a.dim as number, a.start!, a.length!),
  indexSelect: ([x, index], a) => x!.indexSelect(a.dim as number, index!),
  gather: ([x, index], a) => x!.gather(a.dim as number, index!),
  cat: (xs, a) => cat(xs, a.dim as number),
  stack: (xs, a) => stack(xs, a.dim as number),
  softmax: ([x], a) => x!.softmax(a.dim as number),
  logSoftmax: ([x], a) => x!.logSoftmax(a.dim as number),
  to: ([x], a) => x!.to(a.dtype!),
};
