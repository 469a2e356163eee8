// The three 2-D convolution kernels as implicit GEMMs on the tiled product (gemm-tile.ts): the
// im2col matrix is never materialised, each staged slab element is addressed in the input
// directly. Per group g (Cg input channels, Og filters, kernel kH×kW, P = oH·oW outputs):
//
//   conv2d:              y_g [Og, N·P]      = W_g [Og, Cg·kH·kW] · cols_g [Cg·kH·kW, N·P]
//   conv2dBackwardInput: dx_g [Cg, N·H·W]   = W_gᵀ [Cg, Og·kH·kW] · taps_g [Og·kH·kW, N·H·W]
//   conv2dBackwardFilter: dW_g [Og, Cg·kH·kW] = dy_g [Og, N·P] · cols_gᵀ [N·P, Cg·kH·kW]
//
// where taps_g gathers, for input position (n, ih, iw) and tap (o, ki, kj), the dy element whose
// window put tap (ki, kj) on (ih, iw) — zero when no output position does (a transposed
// convolution as a gather, so no two invocations write one element).
import { type Conv2dParams, conv2dGeometry, type Shape, type TensorInfo } from '@proj/core';
import type { GpuContext } from '../context.js';
import { bufOf, type Handle, numelOf } from '../storage.js';
import { conv2dBackwardFilterDirect, conv2dBackwardInputDirect, conv2dDirect } from './conv-direct.js';
import { GEOMETRY, geometryWords } from './conv-geometry.js';
import { GEMM_PARAMS, type GemmKernel, lanes, runGemm } from './gemm-tile.js';

/**
 * When a convolution runs on the direct kernels (conv-direct.ts) instead of the implicit GEMM:
 * when the GEMM's rows — filters per group for conv2d and its filter gradient, input channels
 * per group for the input gradient — number fewer than `thinRows`, so that its 64-row tiles
 * would mostly multiply padding (a depthwise convolution has one). Tests set it to 0 or
 * Infinity to run every case on both paths.
 */
export const convTuning = { thinRows: 8 };

/**
 * WGSL constants naming the geometry words' places in params (after GEMM_PARAMS), so the kernels
 * read `params[cH]` rather than bare offsets.
 */
const GEOMETRY_CONSTS = GEOMETRY.map((n, k) => `const c${n} = ${GEMM_PARAMS + k}u;`).join('\n');

/**
 * The geometry constants and the per-invocation state for the 4 columns of C an invocation owns
 * (decoded once by `setup`, before the K loop).
 */
const COLUMN_STATE = `${GEOMETRY_CONSTS}
var<private> grp: u32;
var<private> ok: array<bool, 4>;
var<private> col_a: array<u32, 4>;
var<private> col_b: array<u32, 4>;
var<private> col_h: array<i32, 4>;
var<private> col_w: array<i32, 4>;`;

/** Whether input position (ih, iw) lies inside the H×W plane. */
const INSIDE = `
fn inside(ih: i32, iw: i32) -> bool {
  return ih >= 0 && iw >= 0 && ih < i32(params[cH]) && iw < i32(params[cW]);
}`;

/**
 * The GEMM's `setup` (gemm-tile.ts): the group from zb, `pre` once, then for each of the
 * invocation's 4 columns whether it exists (`ok[j]`) and, where it does, `decode` (WGSL over
 * `col` and `j`) to fill its state.
 */
function setupColumns(pre: string, decode: string): string {
  return `fn setup(zb: u32, row0: u32, col0: u32, lx: u32, ly: u32) {
  grp = zb;
  ${pre}
  for (var j = 0u; j < 4u; j++) {
    let col = col0 + lx * 4u + j;
    ok[j] = col < params[4];
    if (ok[j]) {${decode}
    }
  }
}`;
}

/** The GEMM's `store` for C rows `rowSize` elements apart, each column at its own offset `col_b`. */
function storeColumns(rowSize: string): string {
  return `fn store(row: u32, col: u32, v: vec4<f32>, base: u32) {
  let at = base + row * ${rowSize};
${lanes((j, c) => `  if (ok[${j}]) { c[at + col_b[${j}]] = v.${c}; }`)}
}`;
}

function checkFloat(op: string, ...xs: TensorInfo[]): void {
  if (xs.some((x) => x.dtype !== 'float32')) {
    throw new Error(
      `${op}: the webgpu backend convolves float32 tensors, got ${xs.map((x) => `${x.dtype} [${x.shape.join(', ')}]`).join(' and ')}`,
    );
  }
}

// ---- conv2d ------------------------------------------------------------------------------

/**
 * rows: filters o of the group; columns: (n, oh, ow); K: (c, ki, kj). col_a = the image's group
 * channels' offset in x, col_b = the output offset of (n, g·Og, oh, ow), col_h/col_w = the
 * window's top-left input position.
 */
function forwardKernel(vecW: boolean): GemmKernel {
  return {
    key: `conv2d:${+vecW}`,
    bindings: [
      { name: 'x', type: 'f32' },
      vecW ? { name: 'w4', type: 'vec4<f32>' } : { name: 'w', type: 'f32' },
      { name: 'c', type: 'f32', write: true },
    ],
    orderA: 'row',
    orderB: 'k',
    helpers: `${COLUMN_STATE}
${INSIDE}
${setupColumns(
  'let P = params[coH] * params[coW];',
  `
      let n = col / P;
      let p = col % P;
      col_a[j] = (n * params[cC] + grp * params[cCg]) * params[cH] * params[cW];
      col_b[j] = (n * params[cO] + grp * params[cOg]) * P + p;
      col_h[j] = i32((p / params[coW]) * params[csH]) - i32(params[cpH]);
      col_w[j] = i32((p % params[coW]) * params[csW]) - i32(params[cpW]);`,
)}
fn load_a(k: u32, kEnd: u32, m: u32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  if (m < params[3]) {
    let at = (grp * params[cOg] + m) * params[5] + k;
    ${
      vecW
        ? 'if (k < kEnd) { v = w4[at / 4u]; }'
        : lanes((j, c) => `if (k + ${j}u < kEnd) { v.${c} = w[at + ${j}u]; }`).replaceAll('\n', '\n    ')
    }
  }
  return v;
}
fn load_b(k: u32, kEnd: u32, n: u32) -> vec4<f32> {
  let kHW = params[ckH] * params[ckW];
  let ch = k / kHW;
  let r = k % kHW;
  let dh = i32((r / params[ckW]) * params[cdH]);
  let dw = i32((r % params[ckW]) * params[cdW]);
  let plane = ch * params[cH] * params[cW];
  var v = vec4<f32>(0.0);
${lanes(
  (j, c) => `  if (ok[${j}]) {
    let ih = col_h[${j}] + dh;
    let iw = col_w[${j}] + dw;
    if (inside(ih, iw)) { v.${c} = x[col_a[${j}] + plane + u32(ih) * params[cW] + u32(iw)]; }
  }`,
)}
  return v;
}
${storeColumns('params[coH] * params[coW]')}`,
  };
}

/**
 * conv2d of x [N, C, H, W] with w [O, C/groups, kH, kW] → [N, O, oH, oW] (stride, padding,
 * dilation, groups; bias is core's), float32 accumulated in float32.
 */
export function conv2d(ctx: GpuContext, x: TensorInfo, w: TensorInfo, p: Conv2dParams): Handle {
  checkFloat('conv2d', x, w);
  const g = conv2dGeometry(x.shape, w.shape, p);
  if (g.oH <= 0 || g.oW <= 0) {
    throw new Error(
      `conv2d: the kernel [${w.shape.join(', ')}] does not fit the padded input [${x.shape.join(', ')}] (output size ${g.oH}×${g.oW})`,
    );
  }
  const n = g.N * g.O * g.oH * g.oW;
  const out = ctx.alloc(n, 'float32');
  if (g.Og < convTuning.thinRows) {
    conv2dDirect(ctx, bufOf(x), bufOf(w), g, p, out);
    return out;
  }
  const K = g.Cg * g.kH * g.kW;
  runGemm(ctx, {
    kernel: forwardKernel(K % 4 === 0),
    inputs: [bufOf(x), bufOf(w)],
    out,
    outNumel: n,
    M: g.Og,
    Ncols: g.N * g.oH * g.oW,
    K,
    Z: p.groups,
    extra: geometryWords(g, p),
  });
  return out;
}

// ---- conv2dBackwardInput -----------------------------------------------------------------

/**
 * rows: input channels c of the group; columns: (n, ih, iw); K: (o, ki, kj). col_a = dy's
 * offset of (n, g·Og), col_b = dx's offset of (n, g·Cg, ih, iw), col_h/col_w = ih + pH, iw + pW
 * (the padded position a tap at output row oh covers when oh·sH + ki·dH equals it).
 */
const BACKWARD_INPUT: GemmKernel = {
  key: 'conv2d-backward-input',
  bindings: [
    { name: 'dy', type: 'f32' },
    { name: 'w', type: 'f32' },
    { name: 'c', type: 'f32', write: true },
  ],
  orderA: 'k',
  orderB: 'k',
  // the CPU kernel folds W_gᵀ·dy back with col2im, which skips the taps landing on no output
  // position: with an infinite weight they must stay out of the sum rather than add inf·0
  absentB: true,
  helpers: `${COLUMN_STATE}
/** -0.0 marks a tap with no output position (made at run time: see gemm-tile's absentB). */
fn absent_term() -> f32 { var u = 0x80000000u; return bitcast<f32>(u); }
/** A present dy value, -0 made +0 (equal in any sum) so that it is not taken for an absent one. */
fn present_term(x: f32) -> f32 { let u = bitcast<u32>(x); return bitcast<f32>(select(u, 0u, u == 0x80000000u)); }
${setupColumns(
  'let HW = params[cH] * params[cW];',
  `
      let n = col / HW;
      let hw = col % HW;
      col_a[j] = (n * params[cO] + grp * params[cOg]) * params[coH] * params[coW];
      col_b[j] = (n * params[cC] + grp * params[cCg]) * HW + hw;
      col_h[j] = i32(hw / params[cW] + params[cpH]);
      col_w[j] = i32(hw % params[cW] + params[cpW]);`,
)}
fn load_a(k: u32, kEnd: u32, m: u32) -> vec4<f32> {
  // W_g transposed: element (c, (o, r)) at ((g·Og + o)·Cg + c)·kHW + r
  let kHW = params[ckH] * params[ckW];
  let Cg = params[cCg];
  let at = ((grp * params[cOg] + k / kHW) * Cg + m) * kHW + k % kHW;
  var v = vec4<f32>(0.0);
${lanes((j, c) => `  if (m + ${j}u < Cg) { v.${c} = w[at + ${j}u * kHW]; }`)}
  return v;
}
fn load_b(k: u32, kEnd: u32, n: u32) -> vec4<f32> {
  let kHW = params[ckH] * params[ckW];
  let o = k / kHW;
  let r = k % kHW;
  let dh = i32((r / params[ckW]) * params[cdH]);
  let dw = i32((r % params[ckW]) * params[cdW]);
  let sH = i32(params[csH]);
  let sW = i32(params[csW]);
  let plane = o * params[coH] * params[coW];
  var v = vec4<f32>(absent_term());
${lanes(
  (j, c) => `  if (ok[${j}]) {
    let th = col_h[${j}] - dh;
    let tw = col_w[${j}] - dw;
    if (th >= 0 && tw >= 0 && th % sH == 0 && tw % sW == 0) {
      let oh = u32(th / sH);
      let ow = u32(tw / sW);
      if (oh < params[coH] && ow < params[coW]) {
        v.${c} = present_term(dy[col_a[${j}] + plane + oh * params[coW] + ow]);
      }
    }
  }`,
)}
  return v;
}
${storeColumns('params[cH] * params[cW]')}`,
};

/** Gradient of conv2d w.r.t. its input: dy [N, O, oH, oW] and w → dx of `xShape`. */
export function conv2dBackwardInput(
  ctx: GpuContext,
  dy: TensorInfo,
  w: TensorInfo,
  xShape: Shape,
  p: Conv2dParams,
): Handle {
  checkFloat('conv2dBackwardInput', dy, w);
  const g = conv2dGeometry(xShape, w.shape, p);
  const n = numelOf(xShape);
  const out = ctx.alloc(n, 'float32');
  if (g.Cg < convTuning.thinRows) {
    conv2dBackwardInputDirect(ctx, bufOf(dy), bufOf(w), g, p, out);
    return out;
  }
  runGemm(ctx, {
    kernel: BACKWARD_INPUT,
    inputs: [bufOf(dy), bufOf(w)],
    out,
    outNumel: n,
    M: g.Cg,
    Ncols: g.N * g.H * g.W,
    // no output positions (oH or oW 0): no taps, dx is zeros
    K: g.oH > 0 && g.oW > 0 ? g.Og * g.kH * g.kW : 0,
    Z: p.groups,
    extra: geometryWords(g, p),
  });
  return out;
}

// ---- conv2dBackwardFilter ----------------------------------------------------------------

/**
 * rows: filters o of the group; columns: (c, ki, kj); K: (n, oh, ow). col_a = x's offset of
 * channel g·Cg + c, col_h/col_w = ki·dH − pH, kj·dW − pW (added to oh·sH, ow·sW).
 */
function filterKernel(vecDy: boolean): GemmKernel {
  return {
    key: `conv2d-backward-filter:${+vecDy}`,
    bindings: [
      { name: 'x', type: 'f32' },
      vecDy ? { name: 'dy4', type: 'vec4<f32>' } : { name: 'dy', type: 'f32' },
      { name: 'c', type: 'f32', write: true },
    ],
    orderA: 'row',
    orderB: 'k',
    helpers: `${COLUMN_STATE}
${INSIDE}
${setupColumns(
  'let kHW = params[ckH] * params[ckW];',
  `
      let r = col % kHW;
      col_a[j] = (grp * params[cCg] + col / kHW) * params[cH] * params[cW];
      col_h[j] = i32((r / params[ckW]) * params[cdH]) - i32(params[cpH]);
      col_w[j] = i32((r % params[ckW]) * params[cdW]) - i32(params[cpW]);`,
)}
fn load_a(k: u32, kEnd: u32, m: u32) -> vec4<f32> {
  // dy_g: element (o, (n, p)) at (n·O + g·Og + o)·P + p; 4 consecutive (n, p) from k
  var v = vec4<f32>(0.0);
  if (m >= params[3]) { return v; }
  let P = params[coH] * params[coW];
  var n = k / P;
  var p = k % P;
  let row = grp * params[cOg] + m;
  ${
    vecDy
      ? // P % 4 == 0 and k % 4 == 0: the 4 share n and are one aligned vec4
        'if (k < kEnd) { v = dy4[((n * params[cO] + row) * P + p) / 4u]; }'
      : lanes(
          (j, c) => `if (k + ${j}u < kEnd) { v.${c} = dy[(n * params[cO] + row) * P + p]; }
  p++;
  if (p == P) { p = 0u; n++; }`,
        ).replaceAll('\n', '\n  ')
  }
  return v;
}
fn load_b(k: u32, kEnd: u32, n: u32) -> vec4<f32> {
  let P = params[coH] * params[coW];
  let img = (k / P) * params[cC] * params[cH] * params[cW];
  let p = k % P;
  let oh = i32((p / params[coW]) * params[csH]);
  let ow = i32((p % params[coW]) * params[csW]);
  var v = vec4<f32>(0.0);
${lanes(
  (j, c) => `  if (ok[${j}]) {
    let ih = oh + col_h[${j}];
    let iw = ow + col_w[${j}];
    if (inside(ih, iw)) { v.${c} = x[img + col_a[${j}] + u32(ih) * params[cW] + u32(iw)]; }
  }`,
)}
  return v;
}
fn store(row: u32, col: u32, v: vec4<f32>, base: u32) {
  let at = base + (grp * params[cOg] + row) * params[4] + col;
${lanes((j, c) => `  if (ok[${j}]) { c[at + ${j}u] = v.${c}; }`)}
}`,
  };
}

/** Gradient of conv2d w.r.t. its weight: x and dy → dw of `wShape`, a reduction over N·oH·oW. */
export function conv2dBackwardFilter(
  ctx: GpuContext,
  x: TensorInfo,
  dy: TensorInfo,
  wShape: Shape,
  p: Conv2dParams,
): Handle {
  checkFloat('conv2dBackwardFilter', x, dy);
  const g = conv2dGeometry(x.shape, wShape, p);
  const n = numelOf(wShape);
  const out = ctx.alloc(n, 'float32');
  if (g.Og < convTuning.thinRows) {
    conv2dBackwardFilterDirect(ctx, bufOf(x), bufOf(dy), g, p, out);
    return out;
  }
  const P = g.oH * g.oW;
  runGemm(ctx, {
    kernel: filterKernel(P % 4 === 0),
    inputs: [bufOf(x), bufOf(dy)],
    out,
    outNumel: n,
    M: g.Og,
    Ncols: g.Cg * g.kH * g.kW,
    K: g.N * P,
    Z: p.groups,
    extra: geometryWords(g, p),
  });
  return out;
}
