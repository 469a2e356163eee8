// torch.nn.functional.affine_grid: the sampling grid of a batch of affine transforms, as
// PyTorch's affine_grid_generator — a base grid of normalised pixel centres (x, y[, z], 1)
// times θᵀ — so its gradient w.r.t. θ is matmul's.

import { matmul } from '../../ops/matmul.js';
import { reshape, transpose } from '../../ops/shape.js';
import { checkTensor } from '../../ops/util.js';
import { any, bool, opt, optional, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// torch.nn.functional.affine_grid (a Python function).
const AFFINE_GRID = signature('F.affineGrid', [
  req('theta', any),
  req('size', any),
  opt('alignCorners', optional(bool)),
]);

/**
 * PyTorch's linspace_from_neg_one: `steps` positions from −1 to 1 (0 for one step), scaled by
 * (steps − 1)/steps without alignCorners; in float32 arithmetic as PyTorch's linspace for a
 * float32 grid.
 */
function positions(steps: number, alignCorners: boolean, f64: boolean): number[] {
  if (steps <= 1) return [0];
  const r = f64 ? (v: number) => v : Math.fround;
  const step = r(2 / (steps - 1));
  const half = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) => {
    const v = i < half ? r(-1 + r(step * i)) : r(1 - r(step * (steps - i - 1)));
    return alignCorners ? v : r(r(v * (steps - 1)) / steps);
  });
}

/** Options of {@link affineGrid}. */
export interface AffineGridOptions {
  /** The target output size `[N, C, H, W]` (or `[N, C, D, H, W]`); required, by position or by name. */
  size?: readonly number[];
  /** −1 and 1 are the centres of the corner pixels (true) or their outer edges (false, the default). */
  alignCorners?: boolean | null;
}

/**
 * The grid [N, H, W, 2] (or [N, D, H, W, 3]) that samples an output of `size` [N, C, H, W]
 * (or [N, C, D, H, W]) through the affine maps θ [N, 2, 3] (or [N, 3, 4]), for
 * {@link gridSample}. Differentiable in θ.
 *
 * ```ts
 * const theta = tensor([[[1, 0, 0.2], [0, 1, 0]]]);               // shift right by 10%
 * const grid = F.affineGrid(theta, [1, 3, 32, 32], false);
 * const moved = F.gridSample(img, grid, { alignCorners: false });
 * ```
 */
export function affineGrid(
  theta: Tensor,
  ...rest: PosOrOpts<[size: readonly number[], alignCorners: boolean | null], AffineGridOptions>
): Tensor {
  const a = AFFINE_GRID.parse<{ theta: Tensor; size: readonly number[]; alignCorners?: boolean | null }>([
    theta,
    ...rest,
  ]);
  const op = 'affineGrid';
  const th = a.theta;
  checkTensor(op, th, 'theta');
  if (th.dtype !== 'float32' && th.dtype !== 'float64' && th.dtype !== 'float16' && th.dtype !== 'bfloat16') {
    throw new Error(`${op}: expected theta to have a floating point dtype, got ${th.dtype}`);
  }
  const size = a.size;
  if (!Array.isArray(size) || !size.every((v) => Number.isInteger(v))) {
    throw new Error(
      `${op}: size must be a list of integers [N, C, H, W] or [N, C, D, H, W], got ${JSON.stringify(size)}`,
    );
  }
  const n = size.length - 2;
  if (n !== 2 && n !== 3) {
    throw new Error(
      `${op}: only 4-D and 5-D sizes (2-D and 3-D affine transforms) are supported, got size ${fmt(size)}`,
    );
  }
  if (th.ndim !== 3 || th.shape[1] !== n || th.shape[2] !== n + 1) {
    throw new Error(
      `${op}: expected a batch of ${n}-D affine matrices of shape [N, ${n}, ${n + 1}] for size ${fmt(size)}, got ${fmt(th.shape)}`,
    );
  }
  if (size.some((v) => v <= 0)) throw new Error(`${op}: expected a positive output size, got ${fmt(size)}`);
  const N = size[0];
  if (th.shape[0] !== N) {
    throw new Error(
      `${op}: theta ${fmt(th.shape)} has ${th.shape[0]} matrices but size ${fmt(size)} asks for N = ${N}`,
    );
  }
  const alignCorners = a.alignCorners ?? false;
  const spatial = size.slice(2); // [H, W] or [D, H, W]
  const lin = spatial.map((s) => positions(s, alignCorners, th.dtype === 'float64'));
  const P = spatial.reduce((u, v) => u * v, 1);
  // Base grid rows (x, y[, z], 1) for every output position, row-major over the spatial dims.
  const base = new (th.dtype === 'float64' ? Float64Array : Float32Array)(P * (n + 1));
  for (let p = 0; p < P; p++) {
    let rest = p;
    for (let i = n - 1; i >= 0; i--) {
      const c = rest % spatial[i];
      rest = Math.floor(rest / spatial[i]);
      base[p * (n + 1) + (n - 1 - i)] = lin[i][c]; // dim i (D, H, W) is coordinate n − 1 − i (z, y, x)
    }
    base[p * (n + 1) + n] = 1;
  }
  const baseGrid = fromArray(op, base, [1, P, n + 1], th.dtype === 'float64' ? 'float64' : 'float32', {
    device: th.device,
  });
  const grid = matmul(th.dtype === 'float64' ? baseGrid : baseGrid.to(th.dtype), transpose(th, 1, 2));
  return reshape(grid, [N, ...spatial, n]);
}
