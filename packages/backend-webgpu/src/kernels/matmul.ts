// Batched matrix product on the tiled GEMM: transposed operands are read through their strides
// (no transposed copies), a batch of 1 is broadcast by a zero batch stride, and rows whose
// length is a multiple of 4 are read and written as vec4.
import type { TensorInfo } from '@proj/core';
import type { GpuContext } from '../context.js';
import { bufOf, type Handle, numelOf } from '../storage.js';
import type { Binding } from '../wgsl.js';
import { GEMM_PARAMS, type GemmKernel, lanes, runGemm } from './gemm-tile.js';

/** Matrix sizes of a product, with the batch sizes of both operands. */
interface Sizes {
  M: number;
  K: number;
  N: number;
  Ba: number;
  Bb: number;
}

/** The sizes core's `[Ba, M, K] @ [Bb, K, N]` contract gives (leading dims multiply into the batch). */
function sizesOf(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): Sizes {
  const as = a.shape;
  const bs = b.shape;
  const ra = as.length;
  const rb = bs.length;
  if (ra < 2 || rb < 2) {
    throw new Error(
      `matmul: the webgpu kernel takes operands of rank ≥ 2 ([batch…, rows, cols]), got shapes [${as.join(', ')}] and [${bs.join(', ')}]`,
    );
  }
  const M = transA ? as[ra - 1]! : as[ra - 2]!;
  const K = transA ? as[ra - 2]! : as[ra - 1]!;
  const Kb = transB ? bs[rb - 1]! : bs[rb - 2]!;
  const N = transB ? bs[rb - 2]! : bs[rb - 1]!;
  const Ba = numelOf(as.slice(0, ra - 2));
  const Bb = numelOf(bs.slice(0, rb - 2));
  if (K !== Kb || (Ba !== Bb && Ba !== 1 && Bb !== 1)) {
    throw new Error(
      `matmul: shapes [${as.join(', ')}]${transA ? ' (transposed)' : ''} and [${bs.join(', ')}]${transB ? ' (transposed)' : ''} cannot be multiplied: expected equal inner sizes (${K} vs ${Kb}) and batch sizes equal or 1 (${Ba} vs ${Bb})`,
    );
  }
  return { M, K, N, Ba, Bb };
}

/**
 * WGSL reading 4 elements of one operand. `rows`: the dim the tile spans (M for a, N for b);
 * `adjacent`: whether those rows are adjacent in memory (a transposed a, a plain b) — then the
 * 4 are rows m … m + 3 at k, else the 4 are k … k + 3 of row m. `vec`: the adjacent dim is a
 * multiple of 4, so the 4 are one aligned vec4 (all inside the matrix or all outside).
 */
function loader(op: 'a' | 'b', rows: string, adjacent: boolean, vec: boolean): string {
  const off = `${op}_off`;
  if (adjacent) {
    // element (m + j, k) at off + k·rows + m + j
    const body = vec
      ? `if (m < R) { return ${op}4[(${off} + k * R + m) / 4u]; }
  return vec4<f32>(0.0);`
      : `let at = ${off} + k * R + m;
  var v = vec4<f32>(0.0);
${lanes((j, c) => `  if (m + ${j}u < R) { v.${c} = ${op}[at + ${j}u]; }`)}
  return v;`;
    return `fn load_${op}(k: u32, kEnd: u32, m: u32) -> vec4<f32> {
  let R = ${rows};
  ${body}
}`;
  }
  // element (m, k + j) at off + m·K + k + j
  const body = vec
    ? `if (m < R && k < kEnd) { return ${op}4[(${off} + m * params[5] + k) / 4u]; }
  return vec4<f32>(0.0);`
    : `var v = vec4<f32>(0.0);
  if (m < R) {
    let at = ${off} + m * params[5] + k;
${lanes((j, c) => `    if (k + ${j}u < kEnd) { v.${c} = ${op}[at + ${j}u]; }`)}
  }
  return v;`;
  return `fn load_${op}(k: u32, kEnd: u32, m: u32) -> vec4<f32> {
  let R = ${rows};
  ${body}
}`;
}

/** The matmul kernel variant for these transposes and alignments. */
function kernelOf(transA: boolean, transB: boolean, s: Sizes): GemmKernel {
  // the dim adjacent in memory: a's rows (M) when transposed, else K; b's columns (N) unless transposed
  const vecA = (transA ? s.M : s.K) % 4 === 0;
  const vecB = (transB ? s.K : s.N) % 4 === 0;
  const vecC = s.N % 4 === 0;
  const bind = (name: string, vec: boolean, write = false): Binding =>
    vec ? { name: `${name}4`, type: 'vec4<f32>', write } : { name, type: 'f32', write };
  const store = vecC
    ? `if (col < N) { c4[(base + c_off + row * N + col) / 4u] = v; }`
    : `let at = base + c_off + row * N + col;
${lanes((j, c) => `  if (col + ${j}u < N) { c[at + ${j}u] = v.${c}; }`)}`;
  return {
    key: `matmul:${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}:${+vecA}${+vecB}${+vecC}`,
    bindings: [bind('a', vecA), bind('b', vecB), bind('c', vecC, true)],
    orderA: transA ? 'k' : 'row',
    orderB: transB ? 'row' : 'k',
    helpers: `
var<private> a_off: u32;
var<private> b_off: u32;
var<private> c_off: u32;
fn setup(zb: u32, row0: u32, col0: u32, lx: u32, ly: u32) {
  a_off = zb * params[${GEMM_PARAMS}];
  b_off = zb * params[${GEMM_PARAMS + 1}];
  c_off = zb * params[3] * params[4];
}
${loader('a', 'params[3]', transA, vecA)}
${loader('b', 'params[4]', !transB, vecB)}
fn store(row: u32, col: u32, v: vec4<f32>, base: u32) {
  let N = params[4];
  ${store}
}`,
  };
}

/**
 * Batched matrix product (core's fused `matmul`): a [Ba, M, K] (with `transA` given as
 * [Ba, K, M]) times b [Bb, K, N] (with `transB` [Bb, N, K]), Ba and Bb equal or 1 →
 * [max(Ba, Bb), M, N]. float32, accumulated in float32; K = 0 gives zeros.
 */
export function matmul(
  ctx: GpuContext,
  a: TensorInfo,
  b: TensorInfo,
  transA: boolean,
  transB: boolean,
): Handle {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(
      `matmul: the webgpu backend multiplies float32 matrices, got ${a.dtype} [${a.shape.join(', ')}] and ${b.dtype} [${b.shape.join(', ')}]`,
    );
  }
  const s = sizesOf(a, b, transA, transB);
  const batch = Math.max(s.Ba, s.Bb);
  const n = batch * s.M * s.N;
  const out = ctx.alloc(n, 'float32');
  runGemm(ctx, {
    kernel: kernelOf(transA, transB, s),
    inputs: [bufOf(a), bufOf(b)],
    out,
    outNumel: n,
    M: s.M,
    Ncols: s.N,
    K: s.K,
    Z: batch,
    extra: [s.Ba === 1 ? 0 : s.M * s.K, s.Bb === 1 ? 0 : s.K * s.N],
  });
  return out;
}
