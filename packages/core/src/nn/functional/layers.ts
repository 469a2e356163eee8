import type { DataArray } from '../../backend/types.js';
import { where } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { linear as linearOp } from '../../ops/linear.js';
import { checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  ext,
  int,
  num,
  obj,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor,
} from '../../signature/signature.js';
import { arange, fromArray } from '../../tensor/creation.js';
import { isFloat } from '../../tensor/dtype.js';
import { isHalf } from '../../tensor/half.js';
import { hostDraw } from '../../tensor/host-draw.js';
import { defaultGenerator, type Generator } from '../../tensor/random.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

// torch.nn.functional.linear and one_hot are C++ builtins (documented orders); dropout and
// embedding from inspect.signature.
const LINEAR = signature('F.linear', [req('input', any), req('weight', any), opt('bias', optional(tensor))]);
const DROPOUT = signature('F.dropout', [
  req('input', any),
  opt('p', num),
  opt('training', bool),
  opt('inplace', onlyDefault(false, 'in-place dropout is not supported; use the returned tensor')),
  ext('generator', obj),
]);
const EMBEDDING = signature('F.embedding', [
  req('input', any),
  req('weight', any),
  opt('paddingIdx', optional(int)),
  opt('maxNorm', (v) =>
    v === null ? null : 'null (maxNorm renormalises the weight in place, which is not supported)',
  ),
  // Only read with maxNorm, as in PyTorch.
  opt('normType', num),
  opt('scaleGradByFreq', onlyDefault(false, 'gradient scaling by frequency is not supported')),
  opt('sparse', onlyDefault(false, 'sparse gradients are not supported')),
]);
const ONE_HOT = signature('F.oneHot', [req('tensor', any), opt('numClasses', int)]);

/**
 * y = x·Wᵀ + b with PyTorch's layout (`weight` is `[out, in]`); x is `[..., in]`.
 */
export function linear(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<[bias: Tensor | null | undefined], { bias?: Tensor | null }>
): Tensor {
  const a = LINEAR.parse<{ input: Tensor; weight: Tensor; bias?: Tensor | null }>([input, weight, ...rest]);
  return linearImpl(a.input, a.weight, a.bias ?? null);
}

function linearImpl(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  checkTensor('linear', input);
  checkTensor('linear', weight, 'weight');
  const inF = weight.shape[weight.ndim - 1];
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inF) {
    throw new Error(
      `linear: input ${fmtShape(input.shape)} does not end in in_features=${inF} of weight ${fmtShape(weight.shape)}`,
    );
  }
  if (isHalf(input.dtype) && weight.dtype === input.dtype && (bias === null || bias.dtype === input.dtype)) {
    // PyTorch's addmm computes half in float32 and rounds once (not once for @ and once for +)
    const w = (t: Tensor): Tensor => cast(t, 'float32');
    return cast(linearImpl(w(input), w(weight), bias === null ? null : w(bias)), input.dtype);
  }
  // The fused op reads the weight transposed in place; other weight/bias ranks keep the composite.
  if (weight.ndim === 2 && (bias === null || bias.ndim === 1)) return linearOp(input, weight, bias);
  const y = input.matmul(weight.t());
  return bias === null ? y : y.add(bias);
}

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1] (default 0.5). */
  p?: number;
  /** Apply dropout (default true); false returns the input unchanged. */
  training?: boolean;
  /** Must be false (PyTorch's default): in-place dropout is refused. */
  inplace?: false;
  /** Ours: the generator drawing the mask (default: the global one). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` and scales the rest by 1/(1-p) (inverted
 * dropout). The mask is drawn from the core generator, so it is the same on every backend.
 */
export function dropout(
  input: Tensor,
  ...rest: PosOrOpts<[p: number, training: boolean, inplace: false], DropoutOptions>
): Tensor {
  const a = DROPOUT.parse<DropoutOptions & { input: Tensor }>([input, ...rest]);
  input = a.input;
  const p = a.p ?? 0.5;
  const opts = { training: a.training, generator: a.generator };
  checkTensor('dropout', input);
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability has to be between 0 and 1, but got ${p}`);
  if (opts.training === false || p === 0) return input;
  const gen = opts.generator ?? defaultGenerator;
  const n = input.numel();
  const scale = p === 1 ? 0 : 1 / (1 - p);
  // the mask has the input's float dtype, as PyTorch's (a float16 scale is rounded to float16)
  const dtype = isFloat(input.dtype) ? input.dtype : 'float32';
  const mask = hostDraw(n, (k) => {
    const u = gen.randoms(k);
    const m = dtype === 'float64' ? new Float64Array(k) : new Float32Array(k);
    for (let i = 0; i < k; i++) m[i] = u[i] < p ? 0 : scale;
    return m;
  });
  return input.mul(fromArray('dropout', mask, input.shape, dtype, { device: input.device }));
}

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** Row whose gradient is always zero (a padding token). */
  paddingIdx?: number | null;
  /** Must be null: renormalising rows in place is not supported. */
  maxNorm?: null;
  /** The p of the p-norm for `maxNorm` (default 2; unused while `maxNorm` is null). */
  normType?: number;
  /** Must be false. */
  scaleGradByFreq?: false;
  /** Must be false. */
  sparse?: false;
}

/** Looks up rows of `weight` (`[num, dim]`) for integer `input` of any shape → `[...input.shape, dim]`. */
export function embedding(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [paddingIdx: number | null, maxNorm: null, normType: number, scaleGradByFreq: false, sparse: false],
    EmbeddingOptions
  >
): Tensor {
  const a = EMBEDDING.parse<EmbeddingOptions & { input: Tensor; weight: Tensor }>([input, weight, ...rest]);
  input = a.input;
  weight = a.weight;
  const opts = { paddingIdx: a.paddingIdx };
  checkTensor('embedding', input);
  checkTensor('embedding', weight, 'weight');
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    throw new Error(
      `embedding: indices must be an int64 or int32 tensor, got ${input.dtype} ${fmtShape(input.shape)} (use .long())`,
    );
  }
  if (weight.ndim !== 2)
    throw new Error(`embedding: weight must be 2-D [num, dim], got ${fmtShape(weight.shape)}`);
  const flat = input.reshape([-1]);
  const rows = weight.indexSelect(0, flat);
  const out = rows.reshape([...input.shape, weight.shape[1]]);
  const pad = opts.paddingIdx;
  if (pad === undefined || pad === null) return out;
  const idx = pad < 0 ? pad + weight.shape[0] : pad;
  // Same values everywhere; where the index is the padding row, the detached copy stops the gradient.
  return where(input.ne(idx).unsqueeze(-1), out, out.detach());
}

/**
 * One-hot encoding of int64 or int32 class values: int64 `[...indices.shape, numClasses]`, as
 * PyTorch's. `numClasses = -1` uses max(indices) + 1 (reads the values).
 */
export function oneHot(
  tensor: Tensor,
  ...rest: PosOrOpts<[numClasses: number], { numClasses?: number }>
): Tensor {
  const a = ONE_HOT.parse<{ tensor: Tensor; numClasses?: number }>([tensor, ...rest]);
  const indices = a.tensor;
  const numClasses = a.numClasses ?? -1;
  checkTensor('oneHot', indices);
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32')
    throw new Error(`oneHot: indices must be int64 or int32, got ${indices.dtype} (use .long())`);
  const raw = indices.numel() > 0 ? indices.dataSync<DataArray>() : new Int32Array(0);
  const data = raw instanceof BigInt64Array ? Array.from(raw, Number) : raw;
  let n = numClasses;
  if (n < 0) n = data.length ? Math.max(...data) + 1 : 0;
  for (const v of data) {
    if (v < 0 || v >= n) throw new Error(`oneHot: class values must be in [0, ${n}), got ${v}`);
  }
  const classes = arange(0, n, 1, { dtype: indices.dtype, device: indices.device });
  return cast(indices.unsqueeze(-1).eq(classes), 'int64');
}
