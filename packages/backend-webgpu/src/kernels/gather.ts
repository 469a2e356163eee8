// gather (torch.gather along one axis, int32 index): one invocation per output element.
import type { TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { STATUS } from '../errors.js';
import { bufOf, type Handle, numelOf } from '../storage.js';
import { shader, stridesOf, WG, words } from '../wgsl.js';
import { AXIS_PARAMS, atLeast1d } from './axis-params.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * `params`: [n, rank, axis, size, iShape[rank], xStrides[rank]]. The output position's
 * coordinates (in the index's shape) address x on every dim but `axis`, where the index value
 * does; a value outside [0, size) is reported and never read (the element is written 0).
 */
function gatherModule(): string {
  return shader({
    bindings: [
      { name: 'x', type: 'u32' },
      { name: 'idx', type: 'i32' },
      { name: 'y', type: 'u32', write: true },
    ],
    meta: true,
    fails: true,
    body: `${AXIS_PARAMS}
  var off = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let s = params[4u + u32(d)];
    if (u32(d) != axis) { off += (rem % s) * params[4u + rank + u32(d)]; }
    rem /= s;
  }
  let k = idx[i];
  if (k < 0 || u32(k) >= params[3]) {
    atomicMax(&status[0], ${STATUS.index}u);
    atomicMax(&status[1], bitcast<u32>(k) ^ 0x80000000u);
    y[i] = 0u;
    return;
  }
  y[i] = x[off + u32(k) * params[4u + rank + axis]];`,
  });
}

/**
 * torch.gather: `out[p] = x[p with its axis coordinate replaced by index[p]]`. The output has
 * the index's shape and x's dtype; every dtype moves as its 4-byte words. Core has checked the
 * ranks and that the index is no larger than x off `axis`; an index value outside
 * `[0, x.shape[axis])` fails the next read, naming the op.
 */
export function gather(ctx: GpuContext, x: TensorInfo, axis: number, index: TensorInfo): Handle {
  const n = numelOf(index.shape);
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const xShape = atLeast1d(x.shape);
  const iShape = atLeast1d(index.shape);
  const size = xShape[axis]!;
  ctx.run({
    key: 'gather-axis',
    code: gatherModule,
    buffers: [bufOf(x), bufOf(index), out.buffer],
    meta: words([n, xShape.length, axis, size, ...iShape, ...stridesOf(xShape)]),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
    // the detail is the largest offending index, its sign bit flipped so that atomicMax orders it
    fails: (_code, detail) =>
      `gather: index ${(detail ^ 0x80000000) | 0} is out of range for axis ${axis} of size ${size} (expected 0 <= index < ${size}); input ${fmt(x.shape)} ${x.dtype}, index ${fmt(index.shape)}`,
  });
  return out;
}
