// nn.utils.rnn (PyTorch 1.13): padded and packed batches of variable-length sequences. The
// packing is a gather by precomputed positions (indexSelect), so data keeps its gradient path.

import { cat, stack } from '../../ops/join.js';
import { checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  int,
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import { fromArray, full } from '../../tensor/creation.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { readLengths } from '../functional/host-ints.js';
import { lengthsOf, packedToPadded, paddedToPacked } from './packed-positions.js';

const SEQUENCES = (v: unknown) =>
  v instanceof Tensor || (Array.isArray(v) && v.every((t) => t instanceof Tensor))
    ? null
    : 'an array of Tensors';
const PAD_SEQUENCE = signature('nn.utils.rnn.padSequence', [
  req('sequences', SEQUENCES),
  opt('batchFirst', bool),
  opt('paddingValue', num),
]);
const PACK_SEQUENCE = signature('nn.utils.rnn.packSequence', [
  req('sequences', SEQUENCES),
  opt('enforceSorted', bool),
]);
const PACK_PADDED_SEQUENCE = signature('nn.utils.rnn.packPaddedSequence', [
  req('input', any),
  req('lengths', any),
  opt('batchFirst', bool),
  opt('enforceSorted', bool),
]);
const PAD_PACKED_SEQUENCE = signature('nn.utils.rnn.padPackedSequence', [
  req('sequence', (v) => (v instanceof PackedSequence ? null : 'a PackedSequence')),
  opt('batchFirst', bool),
  opt('paddingValue', num),
  opt('totalLength', optional(int)),
]);

/**
 * A batch of variable-length sequences packed time step by time step (PyTorch's
 * `PackedSequence`): `data` `[Σ lengths, *]` holds step 0 of every sequence, then step 1 of those
 * that have it, …; `batchSizes` (int64) how many sequences have each step; `sortedIndices` the
 * batch order by decreasing length (null when the input was already sorted) and
 * `unsortedIndices` its inverse. Build one with {@link packPaddedSequence} or
 * {@link packSequence}; RNN, LSTM and GRU take and return them. Destructures like PyTorch's
 * named tuple: `const [data, batchSizes] = packed`.
 */
export class PackedSequence {
  /** Throws unless `data` has sum(batchSizes) rows. */
  constructor(
    /** The packed steps `[Σ lengths, ∗]`: step 0 of every sequence, then step 1 of those that have it, … */
    readonly data: Tensor,
    /** int64 `[maxLength]`: how many sequences have each step. */
    readonly batchSizes: Tensor,
    /** The batch order by decreasing length, or null when the input was already sorted. */
    readonly sortedIndices: Tensor | null = null,
    /** The inverse permutation of sortedIndices (restores the caller's order), or null. */
    readonly unsortedIndices: Tensor | null = sortedIndices === null
      ? null
      : invertPermutation(sortedIndices),
  ) {
    checkTensor('PackedSequence', data, 'data');
    checkTensor('PackedSequence', batchSizes, 'batchSizes');
    const bs = readLengths('PackedSequence', batchSizes, 'batchSizes');
    const total = bs.reduce((a, b) => a + b, 0);
    if (data.ndim === 0 || data.shape[0] !== total) {
      throw new Error(
        `PackedSequence: data ${fmtShape(data.shape)} must have sum(batchSizes) = ${total} rows (batchSizes ${bs.join(', ')})`,
      );
    }
  }

  /** `[data, batchSizes, sortedIndices, unsortedIndices]`, as PyTorch's named tuple unpacks. */
  *[Symbol.iterator](): Generator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }

  /** The same packing with `data` moved or cast (the index tensors follow a move). */
  to(target: string, dtype?: Parameters<Tensor['to']>[1]): PackedSequence {
    const data = this.data.to(target, dtype);
    if (data.device === this.data.device) {
      return new PackedSequence(data, this.batchSizes, this.sortedIndices, this.unsortedIndices);
    }
    const mv = (t: Tensor | null) => (t === null ? null : t.to(data.device));
    return new PackedSequence(data, mv(this.batchSizes)!, mv(this.sortedIndices), mv(this.unsortedIndices));
  }

  /** Frees the four tensors. */
  dispose(): void {
    for (const t of this) t?.dispose();
  }

  /** PyTorch's repr. */
  toString(): string {
    const s = (t: Tensor | null) => (t === null ? 'None' : t.toString());
    return `PackedSequence(data=${s(this.data)}, batch_sizes=${s(this.batchSizes)}, sorted_indices=${s(this.sortedIndices)}, unsorted_indices=${s(this.unsortedIndices)})`;
  }
}

/** The inverse of a permutation (int64). */
function invertPermutation(perm: Tensor): Tensor {
  const p = readLengths('PackedSequence', perm, 'sortedIndices');
  const inv = new Array<number>(p.length);
  p.forEach((v, i) => {
    inv[v] = i;
  });
  return fromArray('PackedSequence', Float64Array.from(inv), [inv.length], 'int64', { device: perm.device });
}

/**
 * Stacks sequences `[L_i, *]` into `[maxL, B, *]` (`[B, maxL, *]` with batchFirst), padding
 * with `paddingValue`. `(sequences, batchFirst, paddingValue)` as PyTorch's.
 *
 * ```ts
 * const padded = nn.utils.rnn.padSequence([a, b, c], { batchFirst: true });
 * ```
 */
export function padSequence(
  sequences: readonly Tensor[] | Tensor,
  ...rest: PosOrOpts<
    [batchFirst: boolean, paddingValue: number],
    { batchFirst?: boolean; paddingValue?: number }
  >
): Tensor {
  const op = 'padSequence';
  const o = PAD_SEQUENCE.parse<{
    sequences: readonly Tensor[] | Tensor;
    batchFirst?: boolean;
    paddingValue?: number;
  }>([sequences, ...rest]);
  const seqs = o.sequences instanceof Tensor ? o.sequences.unbind(0) : [...o.sequences];
  if (seqs.length === 0) throw new Error(`${op}: received an empty list of sequences`);
  const trailing = seqs[0].shape.slice(1);
  for (const s of seqs) {
    checkTensor(op, s, 'sequence');
    if (s.ndim === 0 || !shapesEqual(s.shape.slice(1), trailing)) {
      throw new Error(
        `${op}: every sequence must be [L, ${trailing.join(', ')}] like the first, got ${fmtShape(s.shape)}`,
      );
    }
  }
  const maxLen = Math.max(...seqs.map((s) => s.shape[0]));
  const value = o.paddingValue ?? 0;
  const padded = seqs.map((s) =>
    s.shape[0] === maxLen
      ? s
      : cat([s, full([maxLen - s.shape[0], ...trailing], value, { dtype: s.dtype, device: s.device })], 0),
  );
  return stack(padded, o.batchFirst ? 0 : 1);
}

/**
 * Packs a padded batch `[T, B, *]` (`[B, T, *]` with batchFirst) of sequences with `lengths`
 * (an int tensor or array). With `enforceSorted` (default) the lengths must be decreasing;
 * otherwise the batch is sorted and the order kept in `sortedIndices`.
 * `(input, lengths, batchFirst, enforceSorted)` as PyTorch's.
 *
 * ```ts
 * const packed = nn.utils.rnn.packPaddedSequence(x, [5, 3, 2], { batchFirst: true });
 * const [out, h] = gru.forward(packed);
 * ```
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: Tensor | readonly number[],
  ...rest: PosOrOpts<
    [batchFirst: boolean, enforceSorted: boolean],
    { batchFirst?: boolean; enforceSorted?: boolean }
  >
): PackedSequence {
  const op = 'packPaddedSequence';
  const o = PACK_PADDED_SEQUENCE.parse<{
    input: Tensor;
    lengths: Tensor | readonly number[];
    batchFirst?: boolean;
    enforceSorted?: boolean;
  }>([input, lengths, ...rest]);
  const x0 = checkTensor(op, o.input);
  const lens = readLengths(op, o.lengths, 'lengths');
  if (x0.ndim < 2)
    throw new Error(
      `${op}: input must be [T, B, *] (or [B, T, *] with batchFirst), got ${fmtShape(x0.shape)}`,
    );
  const bDim = o.batchFirst ? 0 : 1;
  const B = x0.shape[bDim];
  const T = x0.shape[1 - bDim];
  if (lens.length !== B) {
    throw new Error(
      `${op}: Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${B})`,
    );
  }
  for (const l of lens) {
    if (l <= 0) {
      throw new Error(
        `${op}: Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0`,
      );
    }
    if (l > T)
      throw new Error(`${op}: a length of ${l} exceeds the ${T} steps of input ${fmtShape(x0.shape)}`);
  }
  let order: number[] | null = null;
  if (o.enforceSorted ?? true) {
    for (let b = 1; b < B; b++) {
      if (lens[b] > lens[b - 1]) {
        throw new Error(
          `${op}: \`lengths\` array must be sorted in decreasing order when \`enforce_sorted\` is True. You can pass \`enforceSorted: false\` to packPaddedSequence and/or packSequence to sidestep this requirement if you do not need ONNX exportability.`,
        );
      }
    }
  } else {
    // A stable sort by decreasing length (the order PyTorch's sort gives ties).
    order = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a] || a - b);
  }
  const sortedLens = order ? order.map((i) => lens[i]) : lens;
  let x = o.batchFirst ? x0.transpose(0, 1) : x0;
  const dev = { device: x0.device };
  const sorted = order ? fromArray(op, Float64Array.from(order), [B], 'int64', dev) : null;
  if (sorted) x = x.indexSelect(1, sorted);
  const maxLen = sortedLens[0] ?? 0;
  const batchSizes = Array.from({ length: maxLen }, (_, t) => sortedLens.filter((l) => l > t).length);
  const data = paddedToPacked(x.narrow(0, 0, maxLen), batchSizes);
  return new PackedSequence(
    data,
    fromArray(op, Float64Array.from(batchSizes), [maxLen], 'int64', dev),
    sorted,
  );
}

/**
 * Unpacks `sequence` into `[padded [T, B, *] (or [B, T, *]), lengths int64 [B]]` in the
 * original batch order, padding with `paddingValue` up to `totalLength` (default: the longest).
 * `(sequence, batchFirst, paddingValue, totalLength)` as PyTorch's.
 */
export function padPackedSequence(
  sequence: PackedSequence,
  ...rest: PosOrOpts<
    [batchFirst: boolean, paddingValue: number, totalLength: number | null],
    { batchFirst?: boolean; paddingValue?: number; totalLength?: number | null }
  >
): [Tensor, Tensor] {
  const op = 'padPackedSequence';
  const o = PAD_PACKED_SEQUENCE.parse<{
    sequence: PackedSequence;
    batchFirst?: boolean;
    paddingValue?: number;
    totalLength?: number | null;
  }>([sequence, ...rest]);
  const seq = o.sequence;
  const bs = readLengths(op, seq.batchSizes, 'batchSizes');
  let T = bs.length;
  if (o.totalLength !== undefined && o.totalLength !== null) {
    if (o.totalLength < T) {
      throw new Error(
        `${op}: Expected total_length to be at least the length of the longest sequence in input, but got total_length=${o.totalLength} and max sequence length being ${T}`,
      );
    }
    T = o.totalLength;
  }
  let padded = packedToPadded(seq.data, bs, T, o.paddingValue ?? 0);
  let lens = lengthsOf(bs);
  const dev = { device: seq.data.device };
  if (seq.unsortedIndices) {
    padded = padded.indexSelect(1, seq.unsortedIndices);
    const inv = readLengths(op, seq.unsortedIndices, 'unsortedIndices');
    lens = inv.map((i) => lens[i]);
  }
  if (o.batchFirst) padded = padded.transpose(0, 1);
  return [padded, fromArray(op, Float64Array.from(lens), [lens.length], 'int64', dev)];
}

/**
 * Packs a list of sequences `[L_i, *]` (decreasing lengths unless `enforceSorted` is false).
 * `(sequences, enforceSorted)` as PyTorch's.
 */
export function packSequence(
  sequences: readonly Tensor[],
  ...rest: PosOrOpts<[enforceSorted: boolean], { enforceSorted?: boolean }>
): PackedSequence {
  const o = PACK_SEQUENCE.parse<{ sequences: readonly Tensor[]; enforceSorted?: boolean }>([
    sequences,
    ...rest,
  ]);
  const seqs = o.sequences instanceof Tensor ? o.sequences.unbind(0) : o.sequences;
  const lengths = seqs.map((s) => checkTensor('packSequence', s, 'sequence').shape[0]);
  return packPaddedSequence(padSequence(seqs), lengths, { enforceSorted: o.enforceSorted ?? true });
}
