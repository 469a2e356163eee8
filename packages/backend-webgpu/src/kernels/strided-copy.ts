// The one mechanism behind the movement primitives: element copies between a dense buffer and a
// strided view of another (`offset + Σ idx_d · stride_d`). Movement never converts, so every
// dtype is moved as its 4-byte words through one u32 pipeline per direction.
import type { DType } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { type Handle, numelOf } from '../storage.js';
import { STRIDED_OFFSET, shader, WG, words } from '../wgsl.js';

/** A loop nest after {@link collapseDims}: its dims and the view's strides on them. */
export interface Collapsed {
  readonly shape: number[];
  readonly strides: number[];
}

/**
 * Drops size-1 dims and merges adjacent dims the view walks contiguously (outer stride = inner
 * stride × inner size), so a kernel does as few divisions per element as the layout allows.
 * A scalar comes back as shape `[1]`, stride `[0]`.
 *
 * @example
 * ```ts
 * collapseDims([2, 3, 4], [12, 4, 1]); // { shape: [24], strides: [1] }
 * collapseDims([2, 1, 3], [1, 9, 2]);  // { shape: [2, 3], strides: [1, 2] }
 * ```
 */
export function collapseDims(shape: readonly number[], strides: readonly number[]): Collapsed {
  const dims: number[] = [];
  const st: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && st[last] === strides[d]! * n) {
      dims[last]! *= n;
      st[last] = strides[d]!;
    } else {
      dims.push(n);
      st.push(strides[d]!);
    }
  }
  if (dims.length === 0) return { shape: [1], strides: [0] };
  return { shape: dims, strides: st };
}

/** `params`: [n, rank, offset, shape[rank], strides[rank]] for the two kernels below. */
function viewMeta(n: number, c: Collapsed, offset: number): Uint32Array {
  return words([n, c.shape.length, offset, ...c.shape, ...c.strides]);
}

const GATHER_BODY =
  '  if (i < params[0]) { y[i] = x[params[2] + strided_offset(i, params[1], 3u, 3u + params[1])]; }';
const SCATTER_BODY =
  '  if (i < params[0]) { y[params[2] + strided_offset(i, params[1], 3u, 3u + params[1])] = x[i]; }';

/** The module of both directions: `x` read, `y` written, as u32 words. */
function stridedModule(body: string): string {
  return shader({
    bindings: [
      { name: 'x', type: 'u32' },
      { name: 'y', type: 'u32', write: true },
    ],
    meta: true,
    helpers: STRIDED_OFFSET,
    body,
  });
}

/**
 * A new dense buffer of `shape` holding `src[offset + Σ idx_d · strides_d]` (torch.as_strided
 * over a whole buffer). A view that collapses to one contiguous run is a buffer copy; anything
 * else one launch of the rank-generic strided kernel. Every addressed element must lie in `src`
 * (the callers derive views that do; core checks user-given ones).
 */
export function stridedGather(
  ctx: GpuContext,
  src: GPUBuffer,
  dtype: DType,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Handle {
  const n = numelOf(shape);
  const out = ctx.alloc(n, dtype);
  if (n === 0) return out;
  const c = collapseDims(shape, strides);
  if (c.shape.length === 1 && (c.strides[0] === 1 || n === 1)) {
    ctx.copy(src, offset * 4, out.buffer, 0, n * 4);
    return out;
  }
  ctx.run({
    key: 'strided-gather',
    code: () => stridedModule(GATHER_BODY),
    buffers: [src, out.buffer],
    meta: viewMeta(n, c, offset),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
  return out;
}

/**
 * Writes the dense `src` of `shape` into `dst` at `offset + Σ idx_d · strides_d`, in the open
 * batch (after whatever was recorded into `dst` before). The addressed elements must be
 * distinct and inside `dst`. Contiguous runs are buffer copies.
 */
export function stridedScatter(
  ctx: GpuContext,
  src: GPUBuffer,
  dst: GPUBuffer,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): void {
  const n = numelOf(shape);
  if (n === 0) return;
  const c = collapseDims(shape, strides);
  if (c.shape.length === 1 && (c.strides[0] === 1 || n === 1)) {
    ctx.copy(src, 0, dst, offset * 4, n * 4);
    return;
  }
  ctx.run({
    key: 'strided-scatter',
    code: () => stridedModule(SCATTER_BODY),
    buffers: [src, dst],
    meta: viewMeta(n, c, offset),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
}
