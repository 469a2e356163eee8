import type { Conv2dGeometry, Conv2dParams, Pool2dParams } from '@proj/core';
import { gathersEnabled, heapFor, kernels } from '../wasm/module.js';

// The float32 convolution and pooling gathers in WebAssembly (scripts/wasm/spatial-wat.ts): each
// copies its operands into the module's memory (a bulk copy costs ~0.08 ns per element, the
// JavaScript gathers 3-10 ns), runs there, and copies the result out. Each returns false, having
// written nothing, when the module is unavailable or its memory cannot hold the operands; the
// caller then runs its JavaScript loop. Results are bit-identical to those loops.

const align4 = (n: number): number => (n + 3) & ~3;

/** The geometry arguments of the module's im2col/col2im after (x, cols): nb, xstride, Cg, H, W, oH, oW, kH, kW, sH, sW, pH, pW, dH, dW, ld (= nb·oH·oW here). */
function geometryArgs(g: Conv2dGeometry, p: Conv2dParams, nb: number): number[] {
  return [
    nb,
    g.C * g.H * g.W,
    g.Cg,
    g.H,
    g.W,
    g.oH,
    g.oW,
    g.kH,
    g.kW,
    ...p.stride,
    ...p.padding,
    ...p.dilation,
    nb * g.oH * g.oW,
  ];
}

/** The im2col matrix [Cg·kH·kW, nb·oH·oW] of images n0..n0+nb-1, group gi, of x [N, C, H, W] into `cols`. */
export function im2colWasm(
  x: Float32Array,
  g: Conv2dGeometry,
  p: Conv2dParams,
  gi: number,
  n0: number,
  nb: number,
  cols: Float32Array,
): boolean {
  const k = kernels();
  if (k === null || !gathersEnabled()) return false;
  const img = g.C * g.H * g.W;
  const n = g.Cg * g.kH * g.kW * nb * g.oH * g.oW;
  const C = align4(nb * img);
  const h = heapFor(k, C + n);
  if (h === null) return false;
  h.set(x.subarray(n0 * img, (n0 + nb) * img), 0);
  k.exports.im2col(gi * g.Cg * g.H * g.W * 4, C * 4, ...geometryArgs(g, p, nb));
  cols.set(h.subarray(C, C + n));
  return true;
}

/** Adds the columns `cols` [Cg·kH·kW, nb·oH·oW] of images n0..n0+nb-1, group gi, onto dx [N, C, H, W]. */
export function col2imWasm(
  cols: Float32Array,
  g: Conv2dGeometry,
  p: Conv2dParams,
  gi: number,
  n0: number,
  nb: number,
  dx: Float32Array,
): boolean {
  const k = kernels();
  if (k === null || !gathersEnabled()) return false;
  const img = g.C * g.H * g.W;
  const n = g.Cg * g.kH * g.kW * nb * g.oH * g.oW;
  const C = align4(nb * img);
  const h = heapFor(k, C + n);
  if (h === null) return false;
  h.set(dx.subarray(n0 * img, (n0 + nb) * img), 0);
  h.set(cols.subarray(0, n), C);
  k.exports.col2im(C * 4, gi * g.Cg * g.H * g.W * 4, ...geometryArgs(g, p, nb));
  dx.set(h.subarray(0, nb * img), n0 * img);
  return true;
}

/**
 * torch.scatter_add along the last axis with index rows matching target rows: out[r, idx[r, j]]
 * += src[r, j] for `rows` rows of `n` indices into rows of `size`, on `out` in place. Returns
 * false when it could not run, else -1 or the position of the first index outside [0, size)
 * (out is then partly updated: the caller throws).
 */
export function scatterAddRowsWasm(
  out: Float32Array,
  index: Int32Array,
  src: Float32Array,
  rows: number,
  n: number,
  size: number,
): number | false {
  const k = kernels();
  if (k === null || !gathersEnabled()) return false;
  const I = align4(out.length);
  const S = I + align4(index.length);
  const h = heapFor(k, S + src.length);
  if (h === null) return false;
  h.set(out, 0);
  new Int32Array(h.buffer, I * 4, index.length).set(index);
  h.set(src, S);
  const bad = k.exports.scatter_add_rows(0, I * 4, S * 4, rows, n, size) as unknown as number;
  out.set(h.subarray(0, out.length));
  return bad;
}

/**
 * Max pooling with 2x2 windows, stride 2, no padding, no dilation, every window inside the
 * plane: `planes` planes [H, W] of x into out [planes, oH, oW], the argmax (h·W + w) into `arg`.
 * False (nothing written) for any other geometry, or when the module cannot hold the operands.
 */
export function maxPool2x2Wasm(
  x: Float32Array,
  planes: number,
  H: number,
  W: number,
  oH: number,
  oW: number,
  p: Pool2dParams,
  out: Float32Array,
  arg: Int32Array,
): boolean {
  const [kH, kW] = p.kernel;
  const [sH, sW] = p.stride;
  const fits =
    kH === 2 &&
    kW === 2 &&
    sH === 2 &&
    sW === 2 &&
    p.padding[0] === 0 &&
    p.padding[1] === 0 &&
    p.dilation[0] === 1 &&
    p.dilation[1] === 1 &&
    2 * oH <= H &&
    2 * oW <= W;
  const k = kernels();
  if (!fits || k === null || !gathersEnabled()) return false;
  const O = align4(x.length);
  const A = O + align4(out.length);
  const h = heapFor(k, A + out.length);
  if (h === null) return false;
  h.set(x, 0);
  k.exports.maxpool2x2(0, O * 4, A * 4, planes, H, W, oH, oW);
  out.set(h.subarray(O, O + out.length));
  arg.set(new Int32Array(h.buffer, A * 4, out.length));
  return true;
}
