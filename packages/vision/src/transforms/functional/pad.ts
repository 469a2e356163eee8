// torchvision.transforms.functional.pad: constant, edge, reflect and symmetric padding of the
// last two dims, negative amounts cropping.
import { cat, nn, type Tensor, tensor, tidy } from '@proj/core';
import { asBatch, type ImageLike, onImage } from '../transform.js';
import { isFloatDtype } from './convert.js';

/** How {@link pad} fills the border: a constant, the edge pixel, a reflection without or with the edge. */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

const MODES: readonly PaddingMode[] = ['constant', 'edge', 'reflect', 'symmetric'];

/**
 * torchvision's padding argument as `[left, top, right, bottom]`: one number for every side,
 * two for left/right and top/bottom, or four.
 */
export function parsePadding(
  op: string,
  padding: number | readonly number[],
): [number, number, number, number] {
  const p = typeof padding === 'number' ? [padding] : padding;
  if (!Array.isArray(p) || ![1, 2, 4].includes(p.length) || p.some((v) => !Number.isInteger(v))) {
    throw new Error(
      `${op}: padding must be an integer or 1, 2 or 4 integers, got ${JSON.stringify(padding)}`,
    );
  }
  if (p.length === 1) return [p[0], p[0], p[0], p[0]];
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  return [p[0], p[1], p[2], p[3]];
}

/** The per-channel fill values of `fill` for `c` channels. */
function fillValues(op: string, fill: number | readonly number[], c: number): number[] {
  const f = typeof fill === 'number' ? [fill] : [...fill];
  if (
    f.length === 0 ||
    f.some((v) => typeof v !== 'number' || Number.isNaN(v)) ||
    (f.length !== 1 && f.length !== c)
  ) {
    throw new Error(
      `${op}: fill must be a number or one number per channel (${c}), got ${JSON.stringify(fill)}`,
    );
  }
  return f.length === 1 ? new Array(c).fill(f[0]) : f;
}

/** Symmetric padding (the edge pixel repeated in the reflection), as torchvision's `_pad_symmetric`. */
function padSymmetric(x: Tensor, [l, t, r, b]: number[]): Tensor {
  // Negative amounts crop first.
  const h0 = x.shape[x.ndim - 2];
  const w0 = x.shape[x.ndim - 1];
  let y = x.narrow(-2, Math.max(-t, 0), h0 - Math.max(-t, 0) - Math.max(-b, 0));
  y = y.narrow(-1, Math.max(-l, 0), w0 - Math.max(-l, 0) - Math.max(-r, 0));
  // Positions -before .. n + after - 1 of the symmetric extension, folded back into the image.
  const index = (n: number, before: number, after: number) =>
    tensor(
      Int32Array.from({ length: before + n + after }, (_, i) => mirror(i - before, n)),
      { device: x.device },
    );
  const [h, w] = y.shape.slice(-2);
  y = y.indexSelect(y.ndim - 2, index(h, Math.max(t, 0), Math.max(b, 0)));
  return y.indexSelect(y.ndim - 1, index(w, Math.max(l, 0), Math.max(r, 0)));
}

/** Position `i` of a symmetric extension of `n` samples folded back into [0, n). */
function mirror(i: number, n: number): number {
  const period = 2 * n;
  const k = ((i % period) + period) % period;
  return k < n ? k : period - 1 - k;
}

/** {@link pad} on a tensor image. */
export function padTensor(
  op: string,
  x: Tensor,
  padding: [number, number, number, number],
  fill: number | readonly number[],
  mode: PaddingMode,
): Tensor {
  const [l, t, r, b] = padding;
  if (!MODES.includes(mode)) {
    throw new Error(
      `${op}: padding mode should be either constant, edge, reflect or symmetric, got '${mode}'`,
    );
  }
  return tidy(() => {
    if (mode === 'symmetric') return padSymmetric(x, padding);
    if (mode === 'constant') {
      const c = x.ndim === 2 ? 1 : x.shape[x.ndim - 3];
      const values = fillValues(op, fill, c);
      if (values.every((v) => v === values[0]))
        return nn.functional.pad(x, [l, r, t, b], { value: values[0] });
      const channels = x
        .unbind(x.ndim - 3)
        .map((ch, i) => nn.functional.pad(ch, [l, r, t, b], { value: values[i] }));
      return cat(
        channels.map((ch) => ch.unsqueeze(ch.ndim - 2)),
        x.ndim - 3,
      );
    }
    // PyTorch's reflect and replicate pads take float [N, C, H, W]; bytes round-trip exactly.
    const [batch, restore] = asBatch(isFloatDtype(x.dtype) ? x : x.float());
    const y = restore(
      nn.functional.pad(batch, [l, r, t, b], { mode: mode === 'edge' ? 'replicate' : 'reflect' }),
    );
    return y.dtype === x.dtype ? y : y.to(x.dtype);
  });
}

/**
 * torchvision's `pad`: adds `padding` pixels around the image (`[left, top, right, bottom]`,
 * or one or two numbers; negative amounts crop). `fill` (a number, or one per channel) colours
 * the border in `'constant'` mode; `'edge'` repeats the last pixel, `'reflect'` mirrors without
 * it ([1, 2, 3] padded by 2: [3, 2, 1, 2, 3, 2, 1]) and `'symmetric'` with it ([2, 1, 1, 2, 3, 3, 2]).
 *
 * @throws Error if `padding` is not 1, 2 or 4 integers, `fill` has neither 1 nor C values, the
 * mode is unknown, `'reflect'` pads by as much as the image's size or more (as torch), or `img`
 * is not an image.
 *
 * @example
 * ```ts
 * pad(x, 4, 0, 'reflect'); // [..., C, 32, 32] → [..., C, 40, 40]
 * ```
 */
export function pad<T extends ImageLike>(
  img: T,
  padding: number | readonly number[],
  fill: number | readonly number[] = 0,
  paddingMode: PaddingMode = 'constant',
): T {
  const p = parsePadding('pad', padding);
  return onImage('pad', img, (t) => padTensor('pad', t, p, fill, paddingMode));
}
