// F.embedding_bag (PyTorch 1.13): sums, means or maxima of bags of embedding rows, built from
// indexSelect / indexAdd / gather so the weight (and perSampleWeights) get autograd gradients.
import { noGrad } from '../../autograd/grad-mode.js';
import { where } from '../../ops/binary.js';
import { checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  int,
  num,
  oneOf,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor as tensorCheck,
} from '../../signature/signature.js';
import { fromArray, zeros } from '../../tensor/creation.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { readInts } from './host-ints.js';

/** How a bag is reduced. */
export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

const EMBEDDING_BAG = signature('F.embeddingBag', [
  req('input', any),
  req('weight', any),
  opt('offsets', optional(tensorCheck)),
  opt('maxNorm', onlyDefault(null, 'maxNorm (renormalising the weight in place) is not supported')),
  opt('normType', num),
  opt('scaleGradByFreq', onlyDefault(false, 'scaling gradients by frequency is not supported')),
  opt('mode', oneOf('sum', 'mean', 'max')),
  opt('sparse', onlyDefault(false, 'sparse gradients are not supported; the weight gets a dense gradient')),
  opt('perSampleWeights', optional(tensorCheck)),
  opt('includeLastOffset', bool),
  opt('paddingIdx', optional(int)),
]);

/** Options of {@link embeddingBag} (PyTorch's keyword arguments). */
export interface EmbeddingBagOptions {
  /** Start of each bag in a 1-D `input` (int64/int32 `[B]`, or `[B + 1]` with includeLastOffset). */
  offsets?: Tensor | null;
  /** Must be null (not supported). */
  maxNorm?: null;
  /** Only read with maxNorm (default 2). */
  normType?: number;
  /** Must be false (not supported). */
  scaleGradByFreq?: false;
  /** 'sum', 'mean' (default) or 'max'. */
  mode?: EmbeddingBagMode;
  /** Must be false (not supported). */
  sparse?: false;
  /** A weight per index (input's shape), multiplying its row; mode 'sum' only, as PyTorch's. */
  perSampleWeights?: Tensor | null;
  /** `offsets` has B + 1 entries, the last one the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** Indices equal to it are left out of their bag (not counted by 'mean', not a 'max' candidate). */
  paddingIdx?: number | null;
}

/**
 * Reduces bags of rows of `weight` `[num, dim]` → `[B, dim]`. A 2-D `input` `[B, N]` is B bags of
 * N indices (offsets must be null); a 1-D `input` is the concatenated bags, starting at
 * `offsets` (the first must be 0). Empty bags give zeros. 'max' sends each output element's
 * gradient to the row that held the maximum (the first on ties, as PyTorch's).
 * `(input, weight, offsets, maxNorm, normType, scaleGradByFreq, mode, sparse, perSampleWeights,
 * includeLastOffset, paddingIdx)` as PyTorch's.
 *
 * ```ts
 * F.embeddingBag(tensor([1, 2, 4, 5, 4, 3], { dtype: 'int64' }), w, tensor([0, 2], { dtype: 'int64' }), { mode: 'sum' });
 * ```
 */
export function embeddingBag(
  input: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<
    [
      offsets: Tensor | null,
      maxNorm: null,
      normType: number,
      scaleGradByFreq: false,
      mode: EmbeddingBagMode,
      sparse: false,
      perSampleWeights: Tensor | null,
      includeLastOffset: boolean,
      paddingIdx: number | null,
    ],
    EmbeddingBagOptions
  >
): Tensor {
  const op = 'embeddingBag';
  const o = EMBEDDING_BAG.parse<EmbeddingBagOptions>([input, weight, ...rest]);
  checkTensor(op, input);
  checkTensor(op, weight, 'weight');
  checkSameDevice(op, input, weight);
  if (weight.ndim !== 2)
    throw new Error(`${op}: weight must be 2-D [num, dim], got ${fmtShape(weight.shape)}`);
  const [num, D] = weight.shape;
  const mode = o.mode ?? 'mean';
  const psw = o.perSampleWeights ?? null;
  if (psw !== null) {
    if (!shapesEqual(psw.shape, input.shape)) {
      throw new Error(
        `${op}: If perSampleWeights (${fmtShape(psw.shape)}) is not None, then it must have the same shape as the input (${fmtShape(input.shape)})`,
      );
    }
    if (mode !== 'sum') {
      throw new Error(
        `${op}: perSampleWeights was not None. perSampleWeights is only supported for mode='sum' (got mode='${mode}')`,
      );
    }
    if (!isFloat(psw.dtype))
      throw new Error(`${op}: perSampleWeights must be floating point, got ${psw.dtype}`);
  }
  const idx = readInts(op, input, 'input');
  let starts: number[];
  if (input.ndim === 2) {
    if (o.offsets) {
      throw new Error(
        `${op}: if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences (input ${fmtShape(input.shape)})`,
      );
    }
    starts = Array.from({ length: input.shape[0] }, (_, b) => b * input.shape[1]);
  } else if (input.ndim === 1) {
    if (!o.offsets) throw new Error(`${op}: offsets has to be a 1D Tensor but got None (input is 1-D)`);
    if (o.offsets.ndim !== 1)
      throw new Error(`${op}: offsets has to be a 1D Tensor, got ${fmtShape(o.offsets.shape)}`);
    starts = readInts(op, o.offsets, 'offsets');
  } else {
    throw new Error(`${op}: input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  }
  const M = idx.length;
  // Bag b spans [starts[b], ends[b]).
  const last = input.ndim === 1 && o.includeLastOffset;
  if (last && starts.length === 0) throw new Error(`${op}: includeLastOffset needs at least one offset`);
  const B = last ? starts.length - 1 : starts.length;
  const ends = starts.slice(1, B + 1);
  if (!last) ends.push(M);
  if (B > 0 && starts[0] !== 0) {
    throw new Error(
      `${op}: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${starts[0]}`,
    );
  }
  for (let b = 0; b < B; b++) {
    if (!(starts[b] <= ends[b] && ends[b] <= M)) {
      throw new Error(
        `${op}: offsets must be non-decreasing and at most the input length ${M}, got ${starts.join(', ')}`,
      );
    }
  }
  for (const i of idx)
    if (i < 0 || i >= num)
      throw new Error(`${op}: index ${i} is out of range for weight ${fmtShape(weight.shape)}`);
  let pad = o.paddingIdx ?? null;
  if (pad !== null) {
    if (pad < -num || pad >= num)
      throw new Error(`${op}: paddingIdx must be within num_embeddings ${num}, got ${pad}`);
    if (pad < 0) pad += num;
  }

  // The counted elements (inside a bag, not padding), grouped by bag.
  const members: number[][] = Array.from({ length: B }, (_, b) => {
    const m: number[] = [];
    for (let i = starts[b]; i < ends[b]; i++) if (idx[i] !== pad) m.push(i);
    return m;
  });
  const dev = { device: weight.device };
  if (B === 0) return zeros([0, D], { dtype: weight.dtype, device: weight.device });

  if (mode === 'max') {
    const L = Math.max(1, ...members.map((m) => m.length));
    const words = new Int32Array(B * L);
    const has = new Uint8Array(B * L);
    for (const [b, m] of members.entries()) {
      for (const [k, i] of m.entries()) {
        words[b * L + k] = idx[i];
        has[b * L + k] = 1;
      }
    }
    const wordT = fromArray(op, words, [B, L], 'int32', dev);
    // Which row holds each bag's maximum, per feature (first on ties); found without recording.
    const chosen = noGrad(() => {
      const vals = weight.indexSelect(0, wordT.reshape([-1])).reshape([B, L, D]);
      const masked = where(fromArray(op, has, [B, L, 1], 'bool', dev), vals, Number.NEGATIVE_INFINITY);
      return wordT.gather(1, masked.argmax(1));
    });
    const nonEmpty = fromArray(
      op,
      Uint8Array.from(members, (m) => (m.length > 0 ? 1 : 0)),
      [B, 1],
      'bool',
      dev,
    );
    return where(nonEmpty, weight.gather(0, chosen), 0);
  }

  const flat: number[] = [];
  const bagOf: number[] = [];
  members.forEach((m, b) => {
    for (const i of m) {
      flat.push(i);
      bagOf.push(b);
    }
  });
  if (flat.length === 0) return zeros([B, D], { dtype: weight.dtype, device: weight.device });
  const pos = fromArray(op, Int32Array.from(flat), [flat.length], 'int32', dev);
  let rows = weight.indexSelect(0, input.reshape([-1]).indexSelect(0, pos));
  if (psw !== null) rows = rows.mul(psw.reshape([-1]).indexSelect(0, pos).unsqueeze(1));
  const out = zeros([B, D], { dtype: rows.dtype, device: weight.device }).indexAdd(
    0,
    fromArray(op, Int32Array.from(bagOf), [bagOf.length], 'int32', dev),
    rows,
  );
  if (mode === 'sum') return out;
  const counts = Float64Array.from(members, (m) => Math.max(1, m.length));
  return out.div(fromArray(op, counts, [B, 1], out.dtype, dev));
}
