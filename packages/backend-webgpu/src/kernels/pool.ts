// Max and average pooling over NCHW planes: one invocation per output element walks its window,
// with the CPU backend's rules (backend-cpu/src/kernels/pool2d.ts): padded taps never win a max,
// the first of equal maxima and the first NaN are chosen, and an average divides by the taps
// inside the padded input (countIncludePad) or inside the input.
import { type Pool2dParams, pool2dOutputShape, type TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { bufOf, type Handle } from '../storage.js';
import { shader, WG, words } from '../wgsl.js';

/** params: n, H, W, oH, oW, kH, kW, sH, sW, pH, pW, dH, dW, countIncludePad. */
function paramsOf(x: TensorInfo, p: Pool2dParams): { n: number; meta: Uint32Array } {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, , oH, oW] = pool2dOutputShape(x.shape, p);
  const n = N * C * oH * oW;
  const meta = words([
    n,
    H,
    W,
    oH,
    oW,
    ...p.kernel,
    ...p.stride,
    ...p.padding,
    ...p.dilation,
    p.countIncludePad === false ? 0 : 1,
  ]);
  return { n, meta };
}

function checkInput(op: string, x: TensorInfo): void {
  if (x.dtype !== 'float32' || x.shape.length !== 4) {
    throw new Error(
      `${op}: the webgpu backend pools float32 [N, C, H, W] tensors, got ${x.dtype} [${x.shape.join(', ')}]`,
    );
  }
}

/** The output element's plane offset in x and its window's top-left corner (h0, w0), may be negative. */
const WINDOW = `
  let n = params[0];
  if (i >= n) { return; }
  let H = params[1];
  let W = params[2];
  let P = params[3] * params[4];
  let base = (i / P) * H * W;
  let q = i % P;
  let h0 = i32((q / params[4]) * params[7]) - i32(params[9]);
  let w0 = i32((q % params[4]) * params[8]) - i32(params[10]);`;

/**
 * Max pooling (padding is -inf: a padded tap never wins): the values, and as int32 the flat
 * index h·W + w within its input plane of each chosen element (0 for a window with no tap
 * inside the input). Ties keep the first tap in window order; a NaN tap is chosen and ends the
 * search, so NaN propagates with its index.
 */
export function maxPool2d(ctx: GpuContext, x: TensorInfo, p: Pool2dParams): [Handle, Handle] {
  checkInput('maxPool2d', x);
  const { n, meta } = paramsOf(x, p);
  const values = ctx.alloc(n, 'float32');
  const indices = ctx.alloc(n, 'int32');
  ctx.run({
    key: 'max-pool2d',
    code: () =>
      shader({
        bindings: [
          { name: 'x', type: 'f32' },
          { name: 'y', type: 'f32', write: true },
          { name: 'arg', type: 'i32', write: true },
        ],
        meta: true,
        body: `${WINDOW}
  var m = f32_inf(true);
  var best = -1i;
  var nan = false;
  for (var ki = 0u; ki < params[5] && !nan; ki++) {
    let h = h0 + i32(ki * params[11]);
    if (h < 0 || h >= i32(H)) { continue; }
    for (var kj = 0u; kj < params[6]; kj++) {
      let w = w0 + i32(kj * params[12]);
      if (w < 0 || w >= i32(W)) { continue; }
      let v = x[base + u32(h) * W + u32(w)];
      if (best < 0 || v > m || is_nan(v)) {
        m = v;
        best = h * i32(W) + w;
        if (is_nan(v)) { nan = true; break; }
      }
    }
  }
  y[i] = m;
  arg[i] = max(best, 0);`,
      }),
    buffers: [bufOf(x), values.buffer, indices.buffer],
    meta,
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
  return [values, indices];
}

/**
 * Average pooling: each window's sum of the taps inside the input, over the number of taps
 * inside the padded input (`countIncludePad`, the default; a ceil-mode window hanging past the
 * padding counts fewer) or inside the input alone. A window with no counted tap is NaN (0/0).
 */
export function avgPool2d(ctx: GpuContext, x: TensorInfo, p: Pool2dParams): Handle {
  checkInput('avgPool2d', x);
  const { n, meta } = paramsOf(x, p);
  const out = ctx.alloc(n, 'float32');
  ctx.run({
    key: 'avg-pool2d',
    code: () =>
      shader({
        bindings: [
          { name: 'x', type: 'f32' },
          { name: 'y', type: 'f32', write: true },
        ],
        meta: true,
        body: `${WINDOW}
  let pH = i32(params[9]);
  let pW = i32(params[10]);
  var s = 0.0;
  var inside = 0u;
  var padded = 0u;
  for (var ki = 0u; ki < params[5]; ki++) {
    let h = h0 + i32(ki * params[11]);
    if (h < -pH || h >= i32(H) + pH) { continue; }
    let hIn = h >= 0 && h < i32(H);
    for (var kj = 0u; kj < params[6]; kj++) {
      let w = w0 + i32(kj * params[12]);
      if (w < -pW || w >= i32(W) + pW) { continue; }
      padded++;
      if (hIn && w >= 0 && w < i32(W)) {
        s += x[base + u32(h) * W + u32(w)];
        inside++;
      }
    }
  }
  let div = select(inside, padded, params[13] != 0u);
  y[i] = select(f32_nan(), s / f32(div), div > 0u);`,
      }),
    buffers: [bufOf(x), out.buffer],
    meta,
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
  return out;
}
