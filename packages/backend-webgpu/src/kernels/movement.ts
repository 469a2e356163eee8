// The movement primitives. permute, expand, slice and asStrided are one strided gather each,
// concat and asStridedScatter strided scatters into a prepared output (see strided-copy.ts);
// pad is one pass of its own; gather and scatterAdd have their own kernels (gather.ts,
// scatter-add.ts).
import { checkStridedView, type DType, type TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { bufOf, type Handle, numelOf, scalarOf } from '../storage.js';
import { broadcastStrides, f32Word, shader, stridesOf, WG, words } from '../wgsl.js';
import { stridedGather, stridedScatter } from './strided-copy.js';

export { gather } from './gather.js';
export { scatterAdd } from './scatter-add.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Output dim i is input dim `perm[i]` (a strided read of x with its strides permuted). */
export function permute(ctx: GpuContext, x: TensorInfo, perm: readonly number[]): Handle {
  const st = stridesOf(x.shape);
  return stridedGather(
    ctx,
    bufOf(x),
    x.dtype,
    perm.map((p) => x.shape[p]!),
    perm.map((p) => st[p]!),
    0,
  );
}

/** Broadcasts x to `shape` (same rank, each dim of x 1 or equal): size-1 dims read with stride 0. */
export function expand(ctx: GpuContext, x: TensorInfo, shape: readonly number[]): Handle {
  return stridedGather(ctx, bufOf(x), x.dtype, shape, broadcastStrides(x.shape, shape), 0);
}

/** Output dim d takes `sizes[d]` elements of x from `begin[d]` every `steps[d]` (>= 1). */
export function slice(
  ctx: GpuContext,
  x: TensorInfo,
  begin: readonly number[],
  sizes: readonly number[],
  steps: readonly number[],
): Handle {
  const st = stridesOf(x.shape);
  let offset = 0;
  for (let d = 0; d < st.length; d++) offset += begin[d]! * st[d]!;
  return stridedGather(
    ctx,
    bufOf(x),
    x.dtype,
    sizes,
    st.map((s, d) => s * steps[d]!),
    offset,
  );
}

/** torch.as_strided over x's whole buffer: `out[idx] = x.flat[offset + Σ idx_d · strides_d]`. */
export function asStrided(
  ctx: GpuContext,
  x: TensorInfo,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Handle {
  // core has checked the view; checked again here (host only) since a kernel must never read
  // past its buffer
  checkStridedView('asStrided', numelOf(x.shape), shape, strides, offset);
  return stridedGather(ctx, bufOf(x), x.dtype, shape, strides, offset);
}

/**
 * torch.as_strided_scatter: a copy of `base` (a whole buffer) whose view elements (distinct,
 * addressed as in {@link asStrided}) hold the dense `src` of `shape`.
 */
export function asStridedScatter(
  ctx: GpuContext,
  base: TensorInfo,
  src: TensorInfo,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Handle {
  const n = numelOf(base.shape);
  checkStridedView('asStridedScatter', n, shape, strides, offset);
  if (numelOf(src.shape) !== numelOf(shape)) {
    throw new Error(
      `asStridedScatter: src ${fmt(src.shape)} holds ${numelOf(src.shape)} elements, the view of shape ${fmt(shape)} ${numelOf(shape)}`,
    );
  }
  const out = ctx.alloc(n, base.dtype);
  ctx.copy(bufOf(base), 0, out.buffer, 0, n * 4);
  stridedScatter(ctx, bufOf(src), out.buffer, shape, strides, offset);
  return out;
}

/**
 * The 4-byte word of the pad value in `dtype`: floats round to float32 (bits kept: NaN, -0);
 * integers truncate toward zero (as torch and the CPU backend do) and must then fit — the webgpu
 * backend holds int64 in int32 — or the op is refused (torch refuses a value its dtype cannot
 * hold); bool is `value != 0` (NaN is true, as torch's bool(nan)).
 */
function padWord(value: number, dtype: DType, shape: readonly number[]): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (scalarOf(dtype) === 'f32') return f32Word(value);
  const v = Math.trunc(value);
  const [lo, hi] = dtype === 'uint8' ? [0, 255] : [-2147483648, 2147483647];
  if (!Number.isFinite(value) || v < lo || v > hi) {
    throw new RangeError(
      `pad: value ${value} does not fit the ${dtype} tensor of shape ${fmt(shape)} (range [${lo}, ${hi}]${dtype === 'int64' ? ', in which the webgpu backend stores int64: WGSL has no 64-bit integers' : ''})`,
    );
  }
  return v >>> 0;
}

/**
 * `params`: [n, rank, word, outShape[rank], before[rank], inShape[rank]]. Each output element
 * is x's element when every coordinate minus its `before` lies in x's shape, else the word.
 */
const PAD_BODY = `
  if (i >= params[0]) { return; }
  let rank = params[1];
  var rem = i;
  var off = 0u;
  var stride = 1u;
  var inside = true;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let s = params[3u + u32(d)];
    let c = i32(rem % s) - i32(params[3u + rank + u32(d)]);
    rem /= s;
    let n = params[3u + 2u * rank + u32(d)];
    if (c < 0 || u32(c) >= n) { inside = false; }
    off += u32(c) * stride;
    stride *= n;
  }
  if (inside) { y[i] = x[off]; } else { y[i] = params[2]; }`;

/** Pads each dim d with `pads[d] = [before, after]` (>= 0) copies of `value`, in one pass. */
export function pad(
  ctx: GpuContext,
  x: TensorInfo,
  pads: readonly (readonly [number, number])[],
  value: number,
): Handle {
  const word = padWord(value, x.dtype, x.shape);
  const outShape = x.shape.map((s, d) => s + pads[d]![0] + pads[d]![1]);
  const n = numelOf(outShape);
  const out = ctx.alloc(n, x.dtype);
  ctx.run({
    key: 'pad-constant',
    code: () =>
      shader({
        bindings: [
          { name: 'x', type: 'u32' },
          { name: 'y', type: 'u32', write: true },
        ],
        meta: true,
        body: PAD_BODY,
      }),
    buffers: [bufOf(x), out.buffer],
    meta: words([n, x.shape.length, word, ...outShape, ...pads.map((p) => p[0]), ...x.shape]),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
  return out;
}

/**
 * Joins same-dtype inputs along `axis` (other dims equal): each input is one slab
 * [outer, its axis length · inner] of the output — a buffer copy when it is contiguous there
 * (outer = 1), one strided scatter otherwise.
 */
export function concat(ctx: GpuContext, xs: readonly TensorInfo[], axis: number): Handle {
  const first = xs[0]!;
  const shape = [...first.shape];
  shape[axis] = xs.reduce((a, x) => a + x.shape[axis]!, 0);
  const out = ctx.alloc(numelOf(shape), first.dtype);
  const outer = numelOf(shape.slice(0, axis));
  const inner = numelOf(shape.slice(axis + 1));
  const rowLen = shape[axis]! * inner;
  let at = 0;
  for (const x of xs) {
    const len = x.shape[axis]! * inner;
    stridedScatter(ctx, bufOf(x), out.buffer, [outer, len], [rowLen, 1], at);
    at += len;
  }
  return out;
}
