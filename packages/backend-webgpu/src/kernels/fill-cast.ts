// fill and cast: the two storage kernels (a value everywhere; one dtype to another).
import type { DType, TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { bufOf, type Handle, numelOf, scalarOf } from '../storage.js';
import { f32Word, shader, WG, words } from '../wgsl.js';

/** The 4-byte word `value` is stored as in `dtype` (core has range-checked integer fills). */
function wordOf(value: number, dtype: DType): number {
  switch (scalarOf(dtype)) {
    case 'f32':
      return f32Word(value);
    case 'i32':
      return value >>> 0;
    default:
      return (dtype === 'bool' ? Number(value !== 0) : value) >>> 0;
  }
}

/** A new buffer of `shape` holding `value` everywhere. */
export function fill(ctx: GpuContext, shape: readonly number[], dtype: DType, value: number): Handle {
  const n = numelOf(shape);
  const out = ctx.alloc(n, dtype);
  if (
    dtype !== 'bool' &&
    dtype !== 'float32' &&
    scalarOf(dtype) === 'i32' &&
    (value > 2147483647 || value < -2147483648)
  ) {
    ctx.release(out);
    throw new RangeError(
      `fill: ${dtype} value ${value} is beyond ±(2^31 - 1), the range the webgpu backend stores ${dtype} in (WGSL has no 64-bit integers); such values are refused instead of wrapped`,
    );
  }
  ctx.run({
    key: 'fill',
    code: () =>
      shader({
        bindings: [{ name: 'y', type: 'u32', write: true }],
        meta: true,
        body: '  if (i < params[0]) { y[i] = params[1]; }',
      }),
    buffers: [out.buffer],
    meta: words([n, wordOf(value, dtype)]),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
  return out;
}

/** The WGSL expression converting `v` (of `from`) to `to`, and whether it can fail (range). */
function castExpr(from: DType, to: DType): { expr: string; check?: string } {
  const f = scalarOf(from);
  if (to === 'bool')
    return { expr: f === 'f32' ? 'u32(v != 0.0 || is_nan(v))' : `u32(v != ${f === 'i32' ? '0i' : '0u'})` };
  const t = scalarOf(to);
  if (t === 'f32') return { expr: 'f32(v)' };
  // integer targets: the value (truncated toward zero) must fit, NaN never does
  const lo = to === 'uint8' ? 0 : -2147483648;
  const hi = to === 'uint8' ? 255 : 2147483647;
  if (f === 'f32') {
    // f32(2147483647) rounds up to 2^31, so the upper bound is tested as "< 2^31"
    const upper = to === 'uint8' ? 'tv <= 255.0' : 'tv < 2147483648.0';
    return {
      expr: `${t}(trunc(v))`,
      check: `let tv = trunc(v); if (is_nan(v) || !(tv >= ${lo}.0 && ${upper})) { atomicMax(&status[0], 1u); }`,
    };
  }
  if (f === 'i32') {
    if (to === 'uint8')
      return { expr: 'u32(v)', check: 'if (v < 0i || v > 255i) { atomicMax(&status[0], 1u); }' };
    return { expr: 'v' };
  }
  // u32 sources (bool, uint8) fit every integer target but bool→uint8 trivially
  if (t === 'i32') return { expr: 'i32(v)' };
  return { expr: 'v', check: hi < 255 ? `if (v > ${hi}u) { atomicMax(&status[0], 1u); }` : undefined };
}

/** Converts `x` to `dtype` (float→int truncates; NaN and out-of-range values are errors at the next read). */
export function cast(ctx: GpuContext, x: TensorInfo, dtype: DType): Handle {
  const n = numelOf(x.shape);
  const out = ctx.alloc(n, dtype);
  const { expr, check } = castExpr(x.dtype, dtype);
  const from = scalarOf(x.dtype);
  const to = scalarOf(dtype);
  ctx.run({
    key: `cast:${x.dtype}:${dtype}`,
    code: () =>
      shader({
        bindings: [
          { name: 'x', type: from },
          { name: 'y', type: to, write: true },
        ],
        meta: true,
        fails: check !== undefined,
        body: `  if (i < params[0]) { let v = x[i]; ${check ?? ''} y[i] = ${expr}; }`,
      }),
    buffers: [bufOf(x), out.buffer],
    meta: words([n]),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
    fails:
      check === undefined
        ? undefined
        : () =>
            `cast: a ${x.dtype} value of the tensor of shape [${x.shape.join(', ')}] does not fit ${dtype}${dtype === 'uint8' ? ' (range [0, 255])' : ' (range [-2147483648, 2147483647] on webgpu)'}${x.dtype === 'float32' ? ' or is NaN' : ''}; integers never wrap around here — cast to a wider dtype or clamp first`,
  });
  return out;
}
