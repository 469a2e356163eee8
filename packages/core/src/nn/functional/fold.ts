// unfold (im2col) and fold (col2im): sliding blocks of a batched image to columns and back.
// Built from one strided slice (a view) per kernel offset, and for fold one zero-dilation and
// padding of each offset's columns, summed: movement ops whose backward is movement again, so
// both are differentiable twice and cost O(kernel size × image) on every backend (a gather or
// scatter-add over the flattened image would cost O(image × blocks) on gpujs).
import { stack } from '../../ops/join.js';
import { checkTensor } from '../../ops/util.js';
import { any, intOrTuple, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt, pair } from './conv-args.js';
import { pad } from './pad.js';

// torch.nn.functional.unfold / fold (inspect.signature).
const UNFOLD = signature('F.unfold', [
  req('input', any),
  req('kernelSize', intOrTuple),
  opt('dilation', intOrTuple),
  opt('padding', intOrTuple),
  opt('stride', intOrTuple),
]);
const FOLD = signature('F.fold', [
  req('input', any),
  req('outputSize', intOrTuple),
  req('kernelSize', intOrTuple),
  opt('dilation', intOrTuple),
  opt('padding', intOrTuple),
  opt('stride', intOrTuple),
]);

/** An int or a pair, for each of the two spatial dims. */
export type FoldPair = number | readonly number[];

/** Options of {@link unfold} (and, with outputSize, {@link fold}). */
export interface UnfoldOptions {
  /** Size of the sliding blocks; required, by position or by name. */
  kernelSize?: FoldPair;
  /** Spacing between the elements of a block (default 1). */
  dilation?: FoldPair;
  /** Zeros added to both sides of each spatial dim (default 0). */
  padding?: FoldPair;
  /** Step of the sliding blocks (default 1). */
  stride?: FoldPair;
}

/** Options of {@link fold}. */
export interface FoldOptions extends UnfoldOptions {
  /** Spatial size `(H, W)` of the output image; required, by position or by name. */
  outputSize?: FoldPair;
}

interface Geometry {
  k: [number, number];
  d: [number, number];
  p: [number, number];
  s: [number, number];
  /** Blocks along each dim. */
  blocks: [number, number];
}

function geometry(op: string, size: [number, number], a: UnfoldOptions): Geometry {
  const k = pair(op, 'kernelSize', a.kernelSize as FoldPair, 1);
  const d = pair(op, 'dilation', a.dilation ?? 1, 1);
  const p = pair(op, 'padding', a.padding ?? 0, 0);
  const s = pair(op, 'stride', a.stride ?? 1, 1);
  const blocks = [0, 1].map((i) => Math.floor((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1) as [
    number,
    number,
  ];
  if (blocks[0] < 1 || blocks[1] < 1) {
    throw new Error(
      `${op}: given spatial size (${size.join(', ')}), kernelSize=(${k.join(', ')}), dilation=(${d.join(', ')}), padding=(${p.join(', ')}), stride=(${s.join(', ')}), the array of sliding blocks would be (${blocks.join(', ')}), but its components must be at least one`,
    );
  }
  return { k, d, p, s, blocks };
}

/** Inserts step − 1 zeros after each entry of `dim` (and drops the trailing ones): the adjoint of a step slice. */
function dilate(t: Tensor, dim: number, step: number): Tensor {
  if (step === 1) return t;
  const n = t.shape[dim];
  const spread = t.unsqueeze(dim + 1);
  const pads = new Array<number>(2 * (spread.ndim - dim - 2)).fill(0);
  const grown = pad(spread, [...pads, 0, step - 1]);
  const shape = [...t.shape];
  shape[dim] = n * step;
  return grown.reshape(shape).narrow(dim, 0, (n - 1) * step + 1);
}

/**
 * Extracts sliding blocks (im2col): x [N, C, H, W] (or unbatched [C, H, W]) →
 * [N, C·kh·kw, L], L the number of blocks; column l holds block l, channel-major.
 *
 * ```ts
 * F.unfold(x, 3, 1, 1); // [1, 2, 5, 5] -> [1, 18, 25]
 * ```
 */
export function unfold(
  input: Tensor,
  kernelSize: FoldPair,
  ...rest: PosOrOpts<[dilation: FoldPair, padding: FoldPair, stride: FoldPair], UnfoldOptions>
): Tensor {
  const a = UNFOLD.parse<UnfoldOptions & { input: Tensor }>([input, kernelSize, ...rest]);
  const op = 'unfold';
  const x0 = checkTensor(op, a.input);
  if (x0.ndim !== 3 && x0.ndim !== 4) {
    throw new Error(
      `${op}: expected 3D [C, H, W] or 4D (batch mode) [N, C, H, W] input, but got ${fmt(x0.shape)}`,
    );
  }
  const x = x0.ndim === 3 ? x0.unsqueeze(0) : x0;
  const [N, C, H, W] = x.shape;
  const g = geometry(op, [H, W], a);
  const [[kh, kw], [dh, dw], [sh, sw], [bh, bw]] = [g.k, g.d, g.s, g.blocks];
  const padded = g.p[0] || g.p[1] ? pad(x, [g.p[1], g.p[1], g.p[0], g.p[0]]) : x;
  // Kernel offset (i, j) sees rows i·dh + by·sh and columns j·dw + bx·sw of the padded image.
  const slices: Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const rows = `${i * dh}:${i * dh + (bh - 1) * sh + 1}:${sh}`;
      const cols = `${j * dw}:${j * dw + (bw - 1) * sw + 1}:${sw}`;
      slices.push(padded.index(':', ':', rows, cols));
    }
  }
  const cols = stack(slices, 2).reshape([N, C * kh * kw, bh * bw]);
  return x0.ndim === 3 ? cols.squeeze(0) : cols;
}

/**
 * Sums sliding blocks back into an image (col2im), the adjoint of {@link unfold}: x
 * [N, C·kh·kw, L] (or unbatched [C·kh·kw, L]) → [N, C, outputSize[0], outputSize[1]];
 * overlapping entries add up.
 *
 * ```ts
 * F.fold(cols, [5, 5], 3, 1, 1); // [1, 18, 25] -> [1, 2, 5, 5]
 * ```
 */
export function fold(
  input: Tensor,
  outputSize: FoldPair,
  kernelSize: FoldPair,
  ...rest: PosOrOpts<[dilation: FoldPair, padding: FoldPair, stride: FoldPair], UnfoldOptions>
): Tensor {
  const a = FOLD.parse<FoldOptions & { input: Tensor; outputSize: FoldPair }>([
    input,
    outputSize,
    kernelSize,
    ...rest,
  ]);
  const op = 'fold';
  const x0 = checkTensor(op, a.input);
  if (x0.ndim !== 2 && x0.ndim !== 3) {
    throw new Error(
      `${op}: expected 2D [C·kh·kw, L] or 3D (batch mode) [N, C·kh·kw, L] input, but got ${fmt(x0.shape)}`,
    );
  }
  const x = x0.ndim === 2 ? x0.unsqueeze(0) : x0;
  const [H, W] = pair(op, 'outputSize', a.outputSize, 1);
  const g = geometry(op, [H, W], a);
  const K = g.k[0] * g.k[1];
  const L = g.blocks[0] * g.blocks[1];
  const [N, CK, Lin] = x.shape;
  if (CK % K !== 0) {
    throw new Error(
      `${op}: expected size of input's dimension 1 to be divisible by the product of kernelSize, but got input.size(1)=${CK} and kernelSize=(${g.k.join(', ')})`,
    );
  }
  if (Lin !== L) {
    throw new Error(
      `${op}: given outputSize=(${H}, ${W}), kernelSize=(${g.k.join(', ')}), dilation=(${g.d.join(', ')}), padding=(${g.p.join(', ')}), stride=(${g.s.join(', ')}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${g.blocks[0]} * ${g.blocks[1]} = ${L}, but got input.size(2)=${Lin}`,
    );
  }
  const C = CK / K;
  const [[kh, kw], [dh, dw], [sh, sw], [bh, bw]] = [g.k, g.d, g.s, g.blocks];
  const [Hp, Wp] = [H + 2 * g.p[0], W + 2 * g.p[1]];
  const blocks = x.reshape([N, C, K, bh, bw]);
  // Each kernel offset's columns, spread to the stride and moved to their offset, added up in
  // PyTorch's col2im order (kernel offsets in order, from zero).
  let img: Tensor | null = null;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const spread = dilate(dilate(blocks.select(2, i * kw + j), 2, sh), 3, sw);
      const [h, w] = [spread.shape[2], spread.shape[3]];
      const placed = pad(spread, [j * dw, Wp - j * dw - w, i * dh, Hp - i * dh - h]);
      img = img === null ? placed : img.add(placed);
    }
  }
  if (img === null) throw new Error(`${op}: empty kernel`);
  if (g.p[0] || g.p[1]) img = img.narrow(2, g.p[0], H).narrow(3, g.p[1], W);
  return x0.ndim === 2 ? img.squeeze(0) : img;
}
