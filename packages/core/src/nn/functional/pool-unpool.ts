// Max unpooling: the partial inverse of max pooling, writing each value at the flat position
// its index names in a zero output. Forward is a scatter; the gradient, as PyTorch's, gathers
// the output gradient at the same indices for every input (also where indices repeat), with
// the recorded gather, so a second backward runs through it.

import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/node.js';
import { IndexError } from '../../ops/index-parse.js';
import { gather } from '../../ops/indexing.js';
import { scatter } from '../../ops/scatter.js';
import { reshape } from '../../ops/shape.js';
import { checkSameDevice, checkTensor, wrap } from '../../ops/util.js';
import { any, intOrTuple, opt, optional, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt, ntuple } from './conv-args.js';
import { checkPoolInput, type IntOrTuple } from './pool-windows.js';

// torch.nn.functional.max_unpool1d/2d/3d (Python functions).
const params = [
  req('input', any),
  req('indices', any),
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('padding', intOrTuple),
  opt('outputSize', optional(intOrTuple)),
];
const SIGS = [1, 2, 3].map((n) => signature(`F.maxUnpool${n}d`, params));

/** Options of the max unpooling functions. */
export interface MaxUnpoolOptions {
  /** Stride of the pooling this one inverts (default: the kernel size). */
  stride?: IntOrTuple | null;
  /** Padding of the pooling this one inverts (default 0). */
  padding?: IntOrTuple;
  /**
   * The output's spatial size (or its full size [N, C, ...]), to pick among the sizes a strided
   * pooling maps from; default (in − 1)·stride − 2·padding + kernel per dim.
   */
  outputSize?: readonly number[] | null;
}

type Rest = PosOrOpts<
  [stride: IntOrTuple | null, padding: IntOrTuple, outputSize: readonly number[] | null],
  MaxUnpoolOptions
>;
type Parsed = { input: Tensor; indices: Tensor; kernelSize: IntOrTuple } & MaxUnpoolOptions;

/** PyTorch's `_unpool_output_size`: the default size, or `outputSize` checked against it. */
function unpoolOutputSize(
  op: string,
  x: Tensor,
  n: number,
  k: number[],
  s: number[],
  p: number[],
  given: readonly number[] | null | undefined,
): number[] {
  const inSize = x.shape.slice(x.ndim - n);
  const dflt = inSize.map((size, d) => (size - 1) * s[d] + k[d] - 2 * p[d]);
  if (given === null || given === undefined) return dflt;
  let out = [...given];
  if (out.length === n + 2) out = out.slice(2);
  if (out.length !== n) {
    throw new Error(
      `${op}: outputSize should be a sequence containing ${n} or ${n + 2} elements, but it has a length of ${given.length}`,
    );
  }
  for (let d = 0; d < n; d++) {
    const min = dflt[d] - s[d];
    const max = dflt[d] + s[d];
    if (!(min < out[d] && out[d] < max)) {
      throw new Error(`${op}: invalid outputSize ${fmt(given)} (dim ${d} must be between ${min} and ${max})`);
    }
  }
  return out;
}

function maxUnpoolNd(n: number, a: Parsed): Tensor {
  const op = `maxUnpool${n}d`;
  const x = a.input;
  checkPoolInput(op, x, n);
  const idx = a.indices;
  checkTensor(op, idx, 'indices');
  checkSameDevice(op, x, idx);
  if (idx.dtype !== 'int64' && idx.dtype !== 'int32') {
    throw new Error(`${op}: indices must be an int64 (or int32) tensor, got ${idx.dtype}`);
  }
  if (idx.shape.length !== x.shape.length || idx.shape.some((v, i) => v !== x.shape[i])) {
    throw new Error(`${op}: expected indices of the input's shape ${fmt(x.shape)}, got ${fmt(idx.shape)}`);
  }
  const k = ntuple(op, 'kernelSize', a.kernelSize, n, 1);
  const st = a.stride;
  const s =
    st === null || st === undefined || (Array.isArray(st) && st.length === 0)
      ? k
      : ntuple(op, 'stride', st, n, 1);
  const p = ntuple(op, 'padding', a.padding ?? 0, n, 0);
  const out = unpoolOutputSize(op, x, n, k, s, p, a.outputSize);
  if (out.some((o) => o <= 0)) throw new Error(`${op}: output size ${fmt(out)} must be positive`);
  const lead = x.shape.slice(0, x.ndim - n);
  const P = x.shape.slice(x.ndim - n).reduce((u, v) => u * v, 1);
  const O = out.reduce((u, v) => u * v, 1);
  const flatIdx = reshape(idx, [...lead, P]);
  const y = noGrad(() => {
    const zeros = wrap(x, x._backend.fill([...lead, O], x.dtype, 0), [...lead, O], x.dtype);
    try {
      return reshape(scatter(zeros, -1, flatIdx, reshape(x, [...lead, P])), [...lead, ...out]);
    } catch (e) {
      if (!(e instanceof IndexError)) throw e;
      const v = /index (-?\d+)/.exec(e.message)?.[1] ?? '?';
      throw new IndexError(
        `${op}: found an invalid max index ${v} (output volumes are of size ${out.join('x')})`,
      );
    }
  });
  const xShape = x.shape;
  return record(
    `MaxUnpool${n}DBackward`,
    y,
    [x],
    (g) => [reshape(gather(reshape(g, [...lead, O]), -1, flatIdx), xShape)],
    [idx],
  );
}

/**
 * 1-D max unpooling of x [N, C, L] (or [C, L]) with the indices of {@link maxPool1d}
 * (`returnIndices: true`): each value at its index in a zero output, the rest zeros.
 *
 * ```ts
 * const [y, idx] = F.maxPool1d(x, 2, { returnIndices: true });
 * const back = F.maxUnpool1d(y, idx, 2);
 * ```
 */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...rest: Rest): Tensor {
  return maxUnpoolNd(1, SIGS[0].parse<Parsed>([input, indices, kernelSize, ...rest]));
}

/**
 * 2-D max unpooling of x [N, C, H, W] (or [C, H, W]) with the flat h·W + w indices of
 * {@link maxPool2d} (`returnIndices: true`); `outputSize` resolves the sizes a strided pooling
 * maps from.
 *
 * ```ts
 * const [y, idx] = F.maxPool2d(x, 2, { returnIndices: true });
 * const back = F.maxUnpool2d(y, idx, 2, { outputSize: x.shape });
 * ```
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...rest: Rest): Tensor {
  return maxUnpoolNd(2, SIGS[1].parse<Parsed>([input, indices, kernelSize, ...rest]));
}

/** 3-D max unpooling of x [N, C, D, H, W] (or [C, D, H, W]) with the indices of {@link maxPool3d}. */
export function maxUnpool3d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...rest: Rest): Tensor {
  return maxUnpoolNd(3, SIGS[2].parse<Parsed>([input, indices, kernelSize, ...rest]));
}
