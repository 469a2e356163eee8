// torchvision.transforms.functional.rotate on tensors: an affine sampling grid built as
// torchvision's `_gen_affine_grid` builds it, then grid_sample (zeros outside) and, with a
// fill, a mask channel that marks where the output left the image.
import { cat, linspace, nn, ones, stack, type Tensor, tensor, tidy, where } from '@proj/core';
import { asBatch, dimensions, type ImageLike, onImage } from '../transform.js';
import { isFloatDtype } from './convert.js';

/** Interpolation modes of {@link rotate}. */
export type RotateInterpolation = 'nearest' | 'bilinear';

/** Options of {@link rotate}. */
export interface RotateOptions {
  /** How rotated pixels are sampled (default `'nearest'`). */
  interpolation?: RotateInterpolation;
  /** Grow the output to hold the whole rotated image (default false: same size as the input). */
  expand?: boolean;
  /** The centre of rotation `[x, y]` in pixels from the top-left corner (default: the image centre). */
  center?: readonly [number, number] | null;
  /** The value (or one per channel) of pixels that come from outside the image (default: zeros, without a mask). */
  fill?: number | readonly number[] | null;
}

/**
 * torchvision's `_get_inverse_affine_matrix` without shear, translation or scale: the matrix
 * that maps output positions (relative to the image centre) back to input positions.
 */
export function inverseRotationMatrix(center: [number, number], angle: number): number[] {
  const rot = (angle * Math.PI) / 180;
  const [cx, cy] = center;
  const a = Math.cos(rot);
  const b = -Math.sin(rot);
  const c = Math.sin(rot);
  const d = Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0];
  m[2] += m[0] * -cx + m[1] * -cy;
  m[5] += m[3] * -cx + m[4] * -cy;
  m[2] += cx;
  m[5] += cy;
  return m;
}

/**
 * The output size `[w, h]` of a rotation with `expand`: the bounding box of the rotated image
 * corners (torchvision's `_compute_affine_output_size`, which follows PIL), in float32 as
 * torchvision computes it, truncated to 1e-4 before ceil/floor.
 */
export function expandedSize(matrix: readonly number[], w: number, h: number): [number, number] {
  const f = Math.fround;
  const pts = [
    [-0.5 * w, -0.5 * h],
    [-0.5 * w, 0.5 * h],
    [0.5 * w, 0.5 * h],
    [0.5 * w, -0.5 * h],
  ];
  const m = matrix.map(f);
  const xs = pts.map(([x, y]) => f(f(f(x * m[0]) + f(y * m[1])) + m[2]));
  const ys = pts.map(([x, y]) => f(f(f(x * m[3]) + f(y * m[4])) + m[5]));
  const tol = 1e-4;
  const size = (vals: number[], half: number) => {
    const lo = f(Math.min(...vals) + half);
    const hi = f(Math.max(...vals) + half);
    const cmax = Math.ceil(f(Math.trunc(f(hi / tol)) * tol));
    const cmin = Math.floor(f(Math.trunc(f(lo / tol)) * tol));
    return cmax - cmin;
  };
  return [size(xs, 0.5 * w), size(ys, 0.5 * h)];
}

/** torchvision's `_gen_affine_grid`: output pixel centres mapped by `theta`, normalised by the input size. */
function affineGrid(theta: Tensor, w: number, h: number, ow: number, oh: number): Tensor {
  const opts = { dtype: theta.dtype, device: theta.device };
  const xs = linspace(-ow * 0.5 + 0.5, ow * 0.5 + 0.5 - 1, ow, opts);
  const ys = linspace(-oh * 0.5 + 0.5, oh * 0.5 + 0.5 - 1, oh, opts);
  const base = stack([xs.view(1, ow).expand(oh, ow), ys.view(oh, 1).expand(oh, ow), ones([oh, ow], opts)], 2);
  const rescaled = theta.t().div(tensor([0.5 * w, 0.5 * h], opts));
  return base
    .view(oh * ow, 3)
    .matmul(rescaled)
    .view(1, oh, ow, 2);
}

/** torchvision's `_apply_grid_transform`: samples `x` [N, C, H, W] (float) at `grid`, filling outside pixels. */
function applyGrid(x: Tensor, grid: Tensor, mode: RotateInterpolation, fill: number[] | null): Tensor {
  const n = x.shape[0];
  const g = n > 1 ? grid.expand(n, ...grid.shape.slice(1)) : grid;
  let img = x;
  if (fill !== null)
    img = cat([img, ones([n, 1, ...x.shape.slice(2)], { dtype: x.dtype, device: x.device })], 1);
  img = nn.functional.gridSample(img, g, { mode, paddingMode: 'zeros', alignCorners: false });
  if (fill === null) return img;
  const c = x.shape[1];
  const mask = img.narrow(1, c, 1).expand(n, c, ...img.shape.slice(2));
  img = img.narrow(1, 0, c);
  const fillImg = tensor(fill, { dtype: img.dtype, device: img.device })
    .view(1, fill.length, 1, 1)
    .expand(...img.shape);
  // As torchvision: nearest takes the fill where the mask is below 0.5; bilinear blends by it.
  if (mode === 'nearest') return where(mask.ge(0.5), img, fillImg);
  return img.mul(mask).add(fillImg.mul(mask.neg().add(1)));
}

/**
 * torchvision's `rotate`: the image turned by `angle` degrees counter-clockwise about its
 * centre (or `center`), sampled with nearest (default) or bilinear interpolation; pixels from
 * outside the image are 0, or `fill`. A uint8 tensor is sampled in float32 and rounded back.
 * Images take the same path as uint8 tensors (so `nearest` matches PIL's rotate).
 *
 * @throws Error if `angle` is not finite, the interpolation is neither 'nearest' nor
 * 'bilinear', `fill` has neither 1 nor C values, or `img` is not an image.
 *
 * ```ts
 * rotate(img, 30, { fill: 255 });
 * ```
 */
export function rotate<T extends ImageLike>(img: T, angle: number, opts: RotateOptions = {}): T {
  const op = 'rotate';
  if (!Number.isFinite(angle))
    throw new Error(`${op}: angle must be a finite number of degrees, got ${angle}`);
  const mode = opts.interpolation ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') {
    throw new Error(`${op}: interpolation must be 'nearest' or 'bilinear', got '${mode}'`);
  }
  const [c, h, w] = dimensions(op, img);
  let fill: number[] | null = null;
  if (opts.fill !== undefined && opts.fill !== null) {
    fill = typeof opts.fill === 'number' ? [opts.fill] : [...opts.fill];
    if (fill.length !== 1 && fill.length !== c) {
      throw new Error(
        `${op}: the number of elements in 'fill' cannot broadcast to match the number of channels of the image (${fill.length} != ${c})`,
      );
    }
    if (fill.length === 1 && c > 1) fill = new Array(c).fill(fill[0]);
  }
  const center: [number, number] = opts.center
    ? [opts.center[0] - w * 0.5, opts.center[1] - h * 0.5]
    : [0, 0];
  // torchvision passes -angle: its affine and rotate conventions turn opposite ways.
  const matrix = inverseRotationMatrix(center, -angle);
  const [ow, oh] = opts.expand ? expandedSize(matrix, w, h) : [w, h];
  return onImage(op, img, (t) =>
    tidy(() => {
      const float = isFloatDtype(t.dtype) && t.dtype !== 'float16' && t.dtype !== 'bfloat16';
      const [batch, restore] = asBatch(float ? t : t.float());
      const theta = tensor(matrix, { dtype: batch.dtype, device: batch.device }).view(2, 3);
      const y = restore(applyGrid(batch, affineGrid(theta, w, h, ow, oh), mode, fill));
      return float ? y : y.round().to(t.dtype);
    }),
  );
}
