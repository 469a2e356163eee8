// Softmax and log-softmax along one axis, numerically stable: each row's maximum is subtracted
// before exponentiating. L lanes (1, 32 or 256) share a row: they find its maximum and its sum
// of exponentials with tree reductions in workgroup memory, then write the row, all in one
// dispatch, for rows of any length.
import type { TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { bufOf, type Handle, numelOf } from '../storage.js';
import { shader, WG, words } from '../wgsl.js';

/** Lanes per row for rows of `A` elements, `inner` apart. */
function lanesFor(A: number, inner: number): number {
  // short rows, or strided rows whose neighbours are read together by neighbouring lanes
  if (A <= 32 || (inner >= 16 && A <= 1024)) return 1;
  return A <= 32 * 32 ? 32 : 256;
}

/**
 * The WGSL tree over the L lanes of a row (combining with `op`), leaving the row's result in `v`
 * on every lane. Levels at or above L are skipped, but every lane passes every barrier.
 */
function rowTree(tree: boolean, arr: string, v: string, op: (a: string, b: string) => string): string {
  if (!tree) return '';
  return `
  ${arr}[lid.x] = ${v};
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (s < L && lane < s) { ${v} = ${op(v, `${arr}[lid.x + s]`)}; ${arr}[lid.x] = ${v}; }
  }
  workgroupBarrier();
  ${v} = ${arr}[lid.x - lane];
  workgroupBarrier();`;
}

/**
 * log(1 + r) for r ≥ 0 to f32 accuracy: log-softmax of a row's maximum is -log(1 + rest), and
 * WGSL's log is only accurate to 2^-21 absolute near 1 (relative error ~1e-3 when rest ~1e-4, as
 * for confident logits). Below r = 1: 2·atanh(z), z = r / (2 + r) ≤ 1/3, by its odd series.
 */
const LOG1P = `
fn log1p_f32(r: f32) -> f32 {
  if (r > 1.0) { return log(1.0 + r); }
  let z = r / (2.0 + r);
  let z2 = z * z;
  let p = 1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0 + z2 * (1.0 / 9.0 + z2 * (1.0 / 11.0 + z2 * (1.0 / 13.0 + z2 / 15.0))))));
  return 2.0 * z * p;
}`;

function softmaxCode(log: boolean, strided: boolean, tree: boolean): string {
  const off = strided ? '(o / inner) * A * inner + a * inner + o % inner' : 'o * A + a';
  // NaN anywhere, a +Infinity (∞ - ∞) or a row of -Infinity (0 / 0) makes the whole row NaN,
  // as in PyTorch and the CPU backend; flagged explicitly since WGSL may assume finite math
  const out = log ? '(v - m) - ls' : 'exp(v - m) * inv';
  const negInf = log ? 'f32_inf(true)' : '0.0';
  return shader({
    bindings: [
      { name: 'x', type: 'f32' },
      { name: 'y', type: 'f32', write: true },
    ],
    meta: true,
    helpers: LOG1P,
    shared: tree
      ? `var<workgroup> shf: array<f32, ${WG}>;\nvar<workgroup> shu: array<u32, ${WG}>;`
      : undefined,
    body: `
  let rows = params[0];
  let A = params[1];
  let inner = params[2];
  let L = ${tree ? 'params[3]' : '1u'};
  let o = i / L;
  let lane = i % L;
  let live = o < rows;
  var m = f32_inf(true);
  var bad = 0u;
  if (live) {
    for (var a = lane; a < A; a += L) {
      let v = x[${off}];
      if (is_nan(v)) { bad = 1u; } else if (v > m) { m = v; }
    }
  }${rowTree(tree, 'shf', 'm', (a, b) => `max(${a}, ${b})`)}${rowTree(tree, 'shu', 'bad', (a, b) => `${a} | ${b}`)}
  if (is_inf(m)) { bad = 1u; }
  // Σ exp(x - max) as (how many entries equal the max, each adding exactly 1) + (the rest):
  // log(1 + rest) then keeps its relative accuracy when rest is tiny (see log1p_f32)
  var ones = 0u;
  var rest = 0.0;
  if (live && bad == 0u) {
    for (var a = lane; a < A; a += L) {
      let v = x[${off}];
      // exp(-inf) is not trusted to be 0; a finite difference below -104 is 0 in f32 anyway
      if (v == m) { ones += 1u; } else if (!is_inf(v)) { rest += exp(max(v - m, -104.0)); }
    }
  }${rowTree(tree, 'shu', 'ones', (a, b) => `${a} + ${b}`)}${rowTree(tree, 'shf', 'rest', (a, b) => `${a} + ${b}`)}
  if (live) {
    let sum = f32(ones) + rest;
    let ls = select(log(sum), log1p_f32(rest), ones == 1u);
    let inv = 1.0 / sum;
    for (var a = lane; a < A; a += L) {
      let at = ${off};
      let v = x[at];
      if (bad != 0u) { y[at] = f32_nan(); } else if (is_inf(v)) { y[at] = ${negInf}; } else { y[at] = ${out}; }
    }
  }`,
  });
}

/**
 * Softmax of `x` (float32) along `axis`, or log-softmax with `log`: `exp(x - max) / Σ exp(x - max)`
 * and `(x - max) - log Σ exp(x - max)` per row. -Infinity entries give 0 (-Infinity for log);
 * a row with a NaN, a +Infinity, or only -Infinity entries is NaN throughout, as in PyTorch.
 *
 * @example
 * ```ts
 * // logits [batch, classes] on 'webgpu' → log-probabilities along the classes
 * const logp = softmax(ctx, logits, 1, true);
 * ```
 */
export function softmax(ctx: GpuContext, x: TensorInfo, axis: number, log: boolean): Handle {
  const n = numelOf(x.shape);
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const A = x.shape.length === 0 ? 1 : x.shape[axis]!;
  const inner = numelOf(x.shape.slice(axis + 1));
  const rows = n / A;
  const strided = inner > 1;
  const L = lanesFor(A, inner);
  if (rows * L >= 2 ** 32)
    throw new Error(
      `softmax: webgpu cannot launch ${rows * L} lanes for a tensor of shape [${x.shape.join(', ')}]`,
    );
  ctx.run({
    key: `softmax:${log ? 'log' : 'exp'}:${strided ? 'strided' : 'rows'}:${L > 1 ? 'tree' : 'serial'}`,
    code: () => softmaxCode(log, strided, L > 1),
    buffers: [bufOf(x), out.buffer],
    meta: words([rows, A, inner, L]),
    workgroups: groups1d(rows * L, WG, ctx.maxWorkgroups),
  });
  return out;
}
