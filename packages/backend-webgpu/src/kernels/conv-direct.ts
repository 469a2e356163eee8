// Direct convolution kernels for thin products, where the implicit GEMM's 64-row tiles would
// mostly multiply padding: depthwise convolutions (one filter per group) and groups of a few
// channels. One invocation per output element walks its taps (conv2d, conv2dBackwardInput);
// the filter gradient, a few long reductions, gives each weight element a workgroup that
// splits its N·oH·oW terms over 256 invocations and sums them in a tree.
//
// The terms are the CPU kernels' (backend-cpu/src/kernels/conv2d.ts), so ±inf and NaN come out
// the same: conv2d and the filter gradient multiply padded taps as zeros (im2col's zeros), the
// input gradient skips taps that land on no output position (col2im never visits them).
import type { Conv2dGeometry, Conv2dParams } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import type { Handle } from '../storage.js';
import { shader, WG, words } from '../wgsl.js';
import { GEOMETRY, geometryWords } from './conv-geometry.js';

/** `let` bindings of every geometry word (conv-geometry.ts's names), for the kernel bodies. */
const LETS = GEOMETRY.map((n, k) => `  let ${n} = params[${k}];`).join('\n');

const metaOf = (g: Conv2dGeometry, p: Conv2dParams): Uint32Array => words(geometryWords(g, p));

const F32_BINDINGS = (a: string, b: string) => [
  { name: a, type: 'f32' as const },
  { name: b, type: 'f32' as const },
  { name: 'y', type: 'f32' as const, write: true },
];

/** conv2d, one invocation per output element y[n, o, oh, ow]. */
export function conv2dDirect(
  ctx: GpuContext,
  x: GPUBuffer,
  w: GPUBuffer,
  g: Conv2dGeometry,
  p: Conv2dParams,
  out: Handle,
): void {
  const n = g.N * g.O * g.oH * g.oW;
  ctx.run({
    key: 'conv2d-direct',
    code: () =>
      shader({
        bindings: F32_BINDINGS('x', 'w'),
        meta: true,
        body: `${LETS}
  if (i >= N * O * oH * oW) { return; }
  let ow = i % oW;
  let oh = (i / oW) % oH;
  let o = (i / (oW * oH)) % O;
  let img = i / (oW * oH * O);
  let xc = (img * C + (o / Og) * Cg) * H * W;
  let h0 = i32(oh * sH) - i32(pH);
  let w0 = i32(ow * sW) - i32(pW);
  var s = 0.0;
  for (var c = 0u; c < Cg; c++) {
    for (var ki = 0u; ki < kH; ki++) {
      let ih = h0 + i32(ki * dH);
      let hIn = ih >= 0 && ih < i32(H);
      for (var kj = 0u; kj < kW; kj++) {
        let iw = w0 + i32(kj * dW);
        var v = 0.0;
        if (hIn && iw >= 0 && iw < i32(W)) { v = x[xc + c * H * W + u32(ih) * W + u32(iw)]; }
        s += w[((o * Cg + c) * kH + ki) * kW + kj] * v;
      }
    }
  }
  y[i] = s;`,
      }),
    buffers: [x, w, out.buffer],
    meta: metaOf(g, p),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
}

/** conv2dBackwardInput, one invocation per input element dx[n, ch, ih, iw] gathering its taps. */
export function conv2dBackwardInputDirect(
  ctx: GpuContext,
  dy: GPUBuffer,
  w: GPUBuffer,
  g: Conv2dGeometry,
  p: Conv2dParams,
  out: Handle,
): void {
  const n = g.N * g.C * g.H * g.W;
  ctx.run({
    key: 'conv2d-backward-input-direct',
    code: () =>
      shader({
        bindings: F32_BINDINGS('dy', 'w'),
        meta: true,
        body: `${LETS}
  if (i >= N * C * H * W) { return; }
  let iw = i % W;
  let ih = (i / W) % H;
  let ch = (i / (W * H)) % C;
  let img = i / (W * H * C);
  let grp = ch / Cg;
  let c = ch % Cg;
  var s = 0.0;
  for (var o = grp * Og; o < (grp + 1u) * Og; o++) {
    let plane = (img * O + o) * oH * oW;
    for (var ki = 0u; ki < kH; ki++) {
      let th = i32(ih + pH) - i32(ki * dH);
      if (th < 0 || th % i32(sH) != 0 || u32(th) / sH >= oH) { continue; }
      let row = plane + (u32(th) / sH) * oW;
      for (var kj = 0u; kj < kW; kj++) {
        let tw = i32(iw + pW) - i32(kj * dW);
        if (tw < 0 || tw % i32(sW) != 0 || u32(tw) / sW >= oW) { continue; }
        s += w[((o * Cg + c) * kH + ki) * kW + kj] * dy[row + u32(tw) / sW];
      }
    }
  }
  y[i] = s;`,
      }),
    buffers: [dy, w, out.buffer],
    meta: metaOf(g, p),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
}

/**
 * conv2dBackwardFilter, one workgroup per weight element dw[o, c, ki, kj]: its invocations
 * stride over the N·oH·oW terms dy[n, o, oh, ow] · x[n, g·Cg + c, ih, iw], then sum in a tree.
 */
export function conv2dBackwardFilterDirect(
  ctx: GpuContext,
  x: GPUBuffer,
  dy: GPUBuffer,
  g: Conv2dGeometry,
  p: Conv2dParams,
  out: Handle,
): void {
  const n = g.O * g.Cg * g.kH * g.kW;
  ctx.run({
    key: 'conv2d-backward-filter-direct',
    code: () =>
      shader({
        bindings: F32_BINDINGS('x', 'dy'),
        meta: true,
        shared: `var<workgroup> part: array<f32, ${WG}>;`,
        body: `${LETS}
  // one workgroup per weight element (the launch is 1-D over workgroups, folded into y)
  let e = wid.x + wid.y * nwg.x;
  let t = lid.x;
  let live = e < O * Cg * kH * kW;
  let kj = e % kW;
  let ki = (e / kW) % kH;
  let c = (e / (kW * kH)) % Cg;
  let o = e / (kW * kH * Cg);
  let xc = ((o / Og) * Cg + c) * H * W;
  let P = oH * oW;
  var s = 0.0;
  if (live) {
    for (var img = 0u; img < N; img++) {
      let dyp = (img * O + o) * P;
      let xp = img * C * H * W + xc;
      for (var q = t; q < P; q += ${WG}u) {
        let ih = i32((q / oW) * sH + ki * dH) - i32(pH);
        let iw = i32((q % oW) * sW + kj * dW) - i32(pW);
        var v = 0.0;
        if (ih >= 0 && ih < i32(H) && iw >= 0 && iw < i32(W)) { v = x[xp + u32(ih) * W + u32(iw)]; }
        s += dy[dyp + q] * v;
      }
    }
  }
  part[t] = s;
  for (var span = ${WG / 2}u; span > 0u; span /= 2u) {
    workgroupBarrier();
    if (t < span) { part[t] += part[t + span]; }
  }
  if (live && t == 0u) { y[e] = part[0]; }`,
      }),
    buffers: [x, dy, out.buffer],
    meta: metaOf(g, p),
    workgroups: groups1d(n, 1, ctx.maxWorkgroups),
  });
}
