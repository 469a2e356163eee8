// torch.nn.functional.grid_sample (bilinear/nearest; zeros, border and reflection padding) as
// a composite: the grid's coordinates are mapped to input positions with PyTorch's formulas
// (including which gradient it gives at the borders), each corner of the interpolation cell is
// gathered from the flattened input, and the corners are summed with their weights. Gradients
// w.r.t. input (gather) and grid (the weights) come from recorded ops, so double backward works.

import { noGrad } from '../../autograd/grad-mode.js';
import { add, clamp, div, ge, gt, le, logicalAnd, lt, mul, sub, where } from '../../ops/binary.js';
import { cast, detach } from '../../ops/convert.js';
import { gather } from '../../ops/indexing.js';
import { expand, reshape } from '../../ops/shape.js';
import { floor, round } from '../../ops/unary.js';
import { checkFloat, checkSameDevice, checkTensor, scalarLike } from '../../ops/util.js';
import { select } from '../../ops/view.js';
import {
  any,
  bool,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// torch.nn.functional.grid_sample (a Python function).
const GRID_SAMPLE = signature('F.gridSample', [
  req('input', any),
  req('grid', any),
  opt('mode', oneOf('bilinear', 'nearest', 'bicubic')),
  opt('paddingMode', oneOf('zeros', 'border', 'reflection')),
  opt('alignCorners', optional(bool)),
]);

/** Sampling modes of {@link gridSample}. */
export type GridSampleMode = 'bilinear' | 'nearest';
/** How {@link gridSample} reads outside the input. */
export type GridSamplePadding = 'zeros' | 'border' | 'reflection';

/** Options of {@link gridSample}. */
export interface GridSampleOptions {
  /** Default 'bilinear' ('bicubic' is refused). */
  mode?: GridSampleMode | 'bicubic';
  /** Default 'zeros'. */
  paddingMode?: GridSamplePadding;
  /** −1 and 1 are the centres of the corner pixels (true) or their outer edges (false, the default). */
  alignCorners?: boolean | null;
}

/** `c` where it lies strictly inside (0, max), else its clamp, with no gradient there (PyTorch's clip_coordinates). */
function clip(c: Tensor, max: number): Tensor {
  const inside = noGrad(() => logicalAnd(gt(c, 0), lt(c, max)));
  return where(inside, c, detach(clamp(c, 0, max)));
}

/**
 * PyTorch's reflect_coordinates (vectorized form): `v` reflected into [0, span] by the borders
 * of a period of 2·span, with gradient ±1 (−1 where an odd number of reflections flipped it).
 */
function reflect(v: Tensor, span: number): Tensor {
  const twice = 2 * span;
  const sgn = noGrad(() => where(lt(v, 0), scalarLike(v, -1, v.dtype), scalarLike(v, 1, v.dtype)));
  const a = mul(v, sgn);
  const flips = noGrad(() => floor(div(a, twice)));
  const extra = sub(a, mul(flips, twice));
  const reflected = sub(scalarLike(extra, twice, extra.dtype), extra);
  const more = noGrad(() => gt(extra, reflected));
  return where(more, reflected, extra);
}

/** The input position (in pixels) of grid coordinate `c` along a dim of `size`. */
function sourceIndex(c: Tensor, size: number, padding: GridSamplePadding, alignCorners: boolean): Tensor {
  // unnormalize, as PyTorch's vectorized kernel: (c + 1)·(size − 1)/2, or (c + 1)·size/2 − 0.5
  let x = alignCorners ? mul(add(c, 1), (size - 1) / 2) : sub(mul(add(c, 1), size / 2), 0.5);
  if (padding === 'border') x = clip(x, size - 1);
  else if (padding === 'reflection') {
    if (alignCorners) {
      x = size <= 1 ? detach(mul(x, 0)) : reflect(x, size - 1);
    } else x = sub(reflect(add(x, 0.5), size), 0.5);
    x = clip(x, size - 1);
  }
  return x;
}

/**
 * Samples `input` [N, C, H, W] (or [N, C, D, H, W]) at the normalised positions of `grid`
 * [N, oH, oW, 2] (or [N, oD, oH, oW, 3]; last dim (x, y[, z]) in [−1, 1], x along W) →
 * [N, C, oH, oW], as PyTorch's grid_sample: bilinear (trilinear for 5-D) or nearest
 * interpolation, reading zeros, the border or a reflection outside the input. Differentiable
 * in the input and in the grid (bilinear).
 *
 * ```ts
 * const grid = F.affineGrid(theta, [N, C, 32, 32], false);
 * const warped = F.gridSample(img, grid, { alignCorners: false });
 * ```
 */
export function gridSample(
  input: Tensor,
  grid: Tensor,
  ...rest: PosOrOpts<
    [mode: GridSampleMode | 'bicubic', paddingMode: GridSamplePadding, alignCorners: boolean | null],
    GridSampleOptions
  >
): Tensor {
  const a = GRID_SAMPLE.parse<{ input: Tensor; grid: Tensor } & GridSampleOptions>([input, grid, ...rest]);
  const op = 'gridSample';
  const x = a.input;
  const g = a.grid;
  checkTensor(op, x);
  checkTensor(op, g, 'grid');
  checkFloat(op, x);
  checkSameDevice(op, x, g);
  const mode = a.mode ?? 'bilinear';
  const padding = a.paddingMode ?? 'zeros';
  const alignCorners = a.alignCorners ?? false;
  if (mode === 'bicubic') {
    throw new Error(`${op}: mode 'bicubic' is not supported; use 'bilinear' or 'nearest'`);
  }
  if (x.ndim !== 4 && x.ndim !== 5) {
    throw new Error(`${op}: expected input [N, C, H, W] or [N, C, D, H, W], got ${fmt(x.shape)}`);
  }
  const n = x.ndim - 2;
  if (g.ndim !== x.ndim || g.shape[0] !== x.shape[0] || g.shape[g.ndim - 1] !== n) {
    throw new Error(
      `${op}: expected grid [${x.shape[0]}, ${n === 2 ? 'oH, oW, 2' : 'oD, oH, oW, 3'}] for input ${fmt(x.shape)}, got ${fmt(g.shape)}`,
    );
  }
  if (g.dtype !== x.dtype)
    throw new Error(`${op}: input is ${x.dtype} but grid is ${g.dtype} (expected the same dtype)`);
  const [N, C] = x.shape;
  const S = x.shape.slice(2);
  if (S.some((s) => s === 0)) throw new Error(`${op}: input ${fmt(x.shape)} has an empty spatial dim`);
  const O = g.shape.slice(1, -1);
  const P = O.reduce((u, v) => u * v, 1);
  const flat = reshape(x, [N, C, S.reduce((u, v) => u * v, 1)]);
  const gp = reshape(g, [N, P, n]);
  // Spatial dim i (D, H, W order) is grid component n − 1 − i (the grid lists x, y, z).
  const coords = S.map((size, i) => sourceIndex(select(gp, -1, n - 1 - i), size, padding, alignCorners));
  const strides = S.map((_, i) => S.slice(i + 1).reduce((u, v) => u * v, 1));

  /** One corner: the value at integer positions `pos` (per dim), zero outside the input. */
  const corner = (pos: Tensor[], weight: Tensor | null): Tensor => {
    const [valid, index] = noGrad(() => {
      let ok: Tensor | null = null;
      let idx: Tensor | null = null;
      for (let i = 0; i < n; i++) {
        const inside = logicalAnd(ge(pos[i], 0), le(pos[i], S[i] - 1));
        ok = ok === null ? inside : logicalAnd(ok, inside);
        const term = mul(pos[i], strides[i]);
        idx = idx === null ? term : add(idx, term);
      }
      const safe = where(ok as Tensor, idx as Tensor, scalarLike(idx as Tensor, 0, (idx as Tensor).dtype));
      return [reshape(ok as Tensor, [N, 1, P]), cast(reshape(safe, [N, 1, P]), 'int32')];
    });
    const vals = gather(flat, 2, expand(index, [N, C, P]));
    const weighted = weight === null ? vals : mul(vals, reshape(weight, [N, 1, P]));
    return where(valid, weighted, scalarLike(weighted, 0, weighted.dtype));
  };

  let out: Tensor;
  if (mode === 'nearest') {
    // round's recorded gradient is zero: a weight of exactly 1 built from it gives the grid
    // PyTorch's all-zero gradient (rather than none) and keeps the graph for double backward.
    const pos = coords.map((c) => round(c));
    const one = pos.map((p) => add(sub(p, detach(p)), 1)).reduce((u, v) => mul(u, v));
    out = corner(pos, one);
  } else {
    const lo = coords.map((c) => floor(detach(c)));
    const frac = coords.map((c, i) => sub(c, lo[i])); // weight of the upper neighbour
    const comp = frac.map((f) => sub(scalarLike(f, 1, f.dtype), f)); // of the lower one
    out = null as unknown as Tensor;
    // Corners in PyTorch's order (nw, ne, sw, se; the first dim's bit most significant).
    for (let bits = 0; bits < 1 << n; bits++) {
      const up = S.map((_, i) => ((bits >> (n - 1 - i)) & 1) === 1);
      const pos = lo.map((l, i) => (up[i] ? add(l, 1) : l));
      let w: Tensor | null = null;
      for (let i = 0; i < n; i++) {
        const wi = up[i] ? frac[i] : comp[i];
        w = w === null ? wi : mul(w, wi);
      }
      const c = corner(pos, w);
      out = out === null ? c : add(out, c);
    }
  }
  return reshape(out, [N, C, ...O]);
}
