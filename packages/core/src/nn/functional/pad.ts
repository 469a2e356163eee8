// torch.nn.functional.pad: constant, reflect, replicate and circular padding. Non-constant
// modes gather along each padded dim with a precomputed index, so the gradient comes from
// indexSelect (a scatter-add of the gradient onto the source positions).

import { indexSelect } from '../../ops/indexing.js';
import { narrow, padConstant } from '../../ops/shape.js';
import { checkTensor } from '../../ops/util.js';
import {
  any,
  num,
  nums,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// torch.nn.functional.pad (a C++ builtin: documented pad(input, pad, mode='constant', value=None)).
const PAD = signature('F.pad', [
  req('input', any),
  req('pad', nums),
  opt('mode', oneOf('constant', 'reflect', 'replicate', 'circular')),
  opt('value', optional(num)),
]);

/** Padding modes of {@link pad}. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

function sourceIndex(mode: PadMode, i: number, L: number): number {
  if (i >= 0 && i < L) return i;
  if (mode === 'replicate') return i < 0 ? 0 : L - 1;
  if (mode === 'circular') return ((i % L) + L) % L;
  // reflect: mirror without repeating the edge element.
  return i < 0 ? -i : 2 * (L - 1) - i;
}

/**
 * Pads x with PyTorch's flat list, last dim first: `[left, right]` pads the last dim,
 * `[left, right, top, bottom]` the last two, and so on. Negative amounts crop (constant mode).
 *
 * ```ts
 * F.pad(x, [1, 1, 2, 2]);                 // zeros: W by 1 each side, H by 2
 * F.pad(x, [2, 2], 'reflect');            // [1,2,3] → [3,2,1,2,3,2,1]
 * ```
 */
export function pad(
  input: Tensor,
  ...rest: PosOrOpts<
    [pad: readonly number[], mode: PadMode, value: number | null],
    { pad?: readonly number[]; mode?: PadMode; value?: number | null }
  >
): Tensor {
  const a = PAD.parse<{ input: Tensor; pad: readonly number[]; mode?: PadMode; value?: number | null }>([
    input,
    ...rest,
  ]);
  const x = a.input;
  const pads = a.pad;
  const mode = a.mode ?? 'constant';
  const value = a.value ?? 0;
  const op = 'pad';
  checkTensor(op, x);
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim || !pads.every((p) => Number.isInteger(p))) {
    throw new Error(
      `${op}: pads must be an even-length list of integers covering at most ${x.ndim} dims (input ${fmt(x.shape)}), got ${JSON.stringify(pads)}`,
    );
  }
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new Error(`${op}: mode must be 'constant', 'reflect', 'replicate' or 'circular', got '${mode}'`);
  }
  const k = pads.length / 2;
  // Pair for dim (ndim-1-i) is pads[2i], pads[2i+1].
  const perDim = x.shape.map((): [number, number] => [0, 0]);
  for (let i = 0; i < k; i++) perDim[x.ndim - 1 - i] = [pads[2 * i], pads[2 * i + 1]];
  if (mode === 'constant') {
    let y = x;
    for (let d = 0; d < x.ndim; d++) {
      const [b, a] = perDim[d];
      if (b < 0 || a < 0) {
        const start = Math.max(0, -b);
        const len = y.shape[d] - start - Math.max(0, -a);
        if (len < 0)
          throw new Error(
            `${op}: pads ${JSON.stringify(pads)} crop more than dim ${d} of input ${fmt(x.shape)}`,
          );
        y = narrow(y, d, start, len);
      }
    }
    if (perDim.every(([b, a]) => b <= 0 && a <= 0)) return y === x ? x.mul(1) : y;
    return padConstant(
      y,
      perDim.map(([b, a]) => [Math.max(0, b), Math.max(0, a)] as [number, number]),
      value,
    );
  }
  let y = x;
  for (let d = 0; d < x.ndim; d++) {
    const [b, a] = perDim[d];
    if (b === 0 && a === 0) continue;
    const L = x.shape[d];
    if (b < 0 || a < 0)
      throw new Error(
        `${op}: negative padding is only supported in constant mode, got ${JSON.stringify(pads)}`,
      );
    if (mode === 'reflect' && (b >= L || a >= L)) {
      throw new Error(
        `${op}: reflect padding [${b}, ${a}] must be smaller than the size ${L} of dim ${d} (input ${fmt(x.shape)})`,
      );
    }
    if (mode === 'circular' && (b > L || a > L)) {
      throw new Error(
        `${op}: circular padding [${b}, ${a}] must be at most the size ${L} of dim ${d} (input ${fmt(x.shape)})`,
      );
    }
    if (L === 0) throw new Error(`${op}: cannot ${mode}-pad the empty dim ${d} of input ${fmt(x.shape)}`);
    const idx = new Int32Array(L + b + a);
    for (let i = 0; i < idx.length; i++) idx[i] = sourceIndex(mode, i - b, L);
    const it = fromArray(op, idx, [idx.length], 'int32', { device: x.device });
    y = indexSelect(y, d, it);
  }
  return y === x ? x.mul(1) : y;
}
