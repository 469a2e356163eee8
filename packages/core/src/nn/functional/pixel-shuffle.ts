// pixelShuffle / pixelUnshuffle: sub-pixel rearrangements, a reshape-permute-reshape each (so
// they are differentiable, any dtype, on every backend).
import { checkTensor } from '../../ops/util.js';
import { any, int, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// C++ builtins: documented pixel_shuffle(input, upscale_factor), pixel_unshuffle(input, downscale_factor).
const PIXEL_SHUFFLE = signature('F.pixelShuffle', [req('input', any), req('upscaleFactor', int)]);
const PIXEL_UNSHUFFLE = signature('F.pixelUnshuffle', [req('input', any), req('downscaleFactor', int)]);

function check(op: string, x: Tensor, name: string, r: number): void {
  checkTensor(op, x);
  if (x.ndim < 3) {
    throw new Error(
      `${op}: expects input to have at least 3 dimensions [*, C, H, W], but got input ${fmt(x.shape)}`,
    );
  }
  if (!(r > 0)) throw new Error(`${op}: expects a positive ${name}, but got ${r}`);
}

/**
 * [*, C·r², H, W] → [*, C, H·r, W·r]: each group of r² channels becomes an r×r block of pixels.
 *
 * ```ts
 * F.pixelShuffle(x, 2); // [1, 12, 4, 4] -> [1, 3, 8, 8]
 * ```
 */
export function pixelShuffle(
  input: Tensor,
  ...rest: PosOrOpts<[upscaleFactor: number], { upscaleFactor?: number }>
): Tensor {
  const a = PIXEL_SHUFFLE.parse<{ input: Tensor; upscaleFactor: number }>([input, ...rest]);
  const op = 'pixelShuffle';
  const x = a.input;
  const r = a.upscaleFactor;
  check(op, x, 'upscaleFactor', r);
  const lead = x.shape.slice(0, -3);
  const [C, H, W] = x.shape.slice(-3);
  if (C % (r * r) !== 0) {
    throw new Error(
      `${op}: expects its input's 'channel' dimension to be divisible by the square of upscaleFactor, but input.size(-3)=${C} is not divisible by ${r * r} (input ${fmt(x.shape)})`,
    );
  }
  const b = lead.length;
  const out = C / (r * r);
  return x
    .reshape([...lead, out, r, r, H, W])
    .permute([...lead.map((_, i) => i), b, b + 3, b + 1, b + 4, b + 2])
    .reshape([...lead, out, H * r, W * r]);
}

/**
 * [*, C, H·r, W·r] → [*, C·r², H, W], the inverse of {@link pixelShuffle}.
 *
 * ```ts
 * F.pixelUnshuffle(x, 2); // [1, 3, 8, 8] -> [1, 12, 4, 4]
 * ```
 */
export function pixelUnshuffle(
  input: Tensor,
  ...rest: PosOrOpts<[downscaleFactor: number], { downscaleFactor?: number }>
): Tensor {
  const a = PIXEL_UNSHUFFLE.parse<{ input: Tensor; downscaleFactor: number }>([input, ...rest]);
  const op = 'pixelUnshuffle';
  const x = a.input;
  const r = a.downscaleFactor;
  check(op, x, 'downscaleFactor', r);
  const lead = x.shape.slice(0, -3);
  const [C, H, W] = x.shape.slice(-3);
  for (const [what, size, d] of [
    ['height', H, -2],
    ['width', W, -1],
  ] as const) {
    if (size % r !== 0) {
      throw new Error(
        `${op}: expects ${what} to be divisible by downscaleFactor, but input.size(${d})=${size} is not divisible by ${r} (input ${fmt(x.shape)})`,
      );
    }
  }
  const b = lead.length;
  const h = H / r;
  const w = W / r;
  return x
    .reshape([...lead, C, h, r, w, r])
    .permute([...lead.map((_, i) => i), b, b + 2, b + 4, b + 1, b + 3])
    .reshape([...lead, C * r * r, h, w]);
}
