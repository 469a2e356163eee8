import type { Pool2dParams } from '@proj/core';
import { gathersEnabled, heapFor, kernels } from '../wasm/module.js';

// The float32 pooling gathers in WebAssembly (scripts/wasm/spatial-wat.ts; the convolutions'
// im2col/col2im run inside conv2d-wasm.ts): each copies its operands into the module's memory
// (a bulk copy costs ~0.08 ns per element, the JavaScript gathers 3-10 ns), runs there, and
// copies the result out. Each returns false, having
// written nothing, when the module is unavailable or its memory cannot hold the operands; the
// caller then runs its JavaScript loop. Results are bit-identical to those loops.

const align4 = (n: number): number => (n + 3) & ~3;

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
