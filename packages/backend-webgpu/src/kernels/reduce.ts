// Reductions (sum, prod, max, min, argmax, argmin) over any set of axes, in passes of
// shared-memory tree reductions: no host round trip and no size limit.
//
// Every pass views its input as N output rows of R elements and splits each row into G chunks
// of C elements; L lanes (1, 16, 64 or 256, a divisor of the workgroup) reduce one chunk: each
// lane folds at most C / L elements, then the lanes meet in a tree in workgroup memory. A pass
// with G > 1 writes [N, G] partial states that the next pass reduces the same way, so a sum of
// 2^20 elements is a tree of depth ~20 whose serial runs are short (at most 8 elements per lane
// in a tree pass, 64 in a lane-per-output pass), so f32 sums stay accurate.
// The input is addressed through meta (kept and reduced dims with their strides), so any set of
// axes reduces without a permute. Pipelines: one per accumulator (op family and input type),
// layout class, serial/tree and final/partial; sizes, L and the op variant travel in meta.
import type { ReduceOp, TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { intStatusMessage } from '../errors.js';
import { bufOf, type Handle, numelOf, scalarOf, type WgslScalar } from '../storage.js';
import { STRIDED_OFFSET, shader, WG, words } from '../wgsl.js';
import { fill } from './fill-cast.js';
import { type Accumulator, accumulatorOf } from './reduce-acc.js';

/** Elements one lane folds serially before the tree (bounds f32 rounding to short runs). */
const PER_LANE = 8;
/** Below this kept extent a column reduction is not worth one lane per output. */
const COALESCED = 16;

/**
 * How output row `o`, element `r` of the reduced dims finds its input element:
 * `row`: o·R + r (the reduced dims are the innermost); `col`: a middle block of reduced dims,
 * [outer, R, inner] with inner kept; `gen`: anything else, two rank-generic strided offsets.
 */
export type ReduceLayout =
  | { readonly kind: 'row' }
  | { readonly kind: 'col'; readonly inner: number }
  | {
      readonly kind: 'gen';
      readonly kept: readonly (readonly [number, number])[];
      readonly red: readonly (readonly [number, number])[];
    };

/**
 * The layout of reducing `axes` of `shape`: size-1 dims are dropped and neighbouring dims of the
 * same kind (kept/reduced) merged, as the CPU backend does, so most reductions are `row`/`col`.
 */
export function reduceLayout(shape: readonly number[], axes: readonly number[]): ReduceLayout {
  const runs: { reduced: boolean; size: number }[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const reduced = axes.includes(d);
    const last = runs[runs.length - 1];
    if (last && last.reduced === reduced) last.size *= size;
    else runs.push({ reduced, size });
  });
  const first = runs.findIndex((r) => r.reduced);
  const nReduced = runs.filter((r) => r.reduced).length;
  if (first < 0 || (nReduced === 1 && first === runs.length - 1)) return { kind: 'row' };
  if (nReduced === 1 && first === runs.length - 2) return { kind: 'col', inner: runs[runs.length - 1]!.size };
  const kept: [number, number][] = [];
  const red: [number, number][] = [];
  let stride = 1;
  for (let k = runs.length - 1; k >= 0; k--) {
    const run = runs[k]!;
    (run.reduced ? red : kept).unshift([run.size, stride]);
    stride *= run.size;
  }
  return { kind: 'gen', kept, red };
}

/** Lanes per chunk and chunk length for rows of `R` elements read through `layout`. */
function lanesFor(R: number, layout: ReduceLayout): { L: number; C: number } {
  // kept dims innermost: one lane per output reads neighbouring outputs' elements together
  if (layout.kind === 'col' && layout.inner >= COALESCED) return { L: 1, C: R <= 64 ? R : 32 };
  if (R <= 16) return { L: 1, C: R };
  const L = R <= 16 * PER_LANE ? 16 : R <= 64 * PER_LANE ? 64 : 256;
  return { L, C: L * PER_LANE };
}

/** Meta words after the common seven (N, R, G, C, N·G, L, op flags) that describe `layout`. */
function layoutWords(layout: ReduceLayout): number[] {
  if (layout.kind === 'row') return [];
  if (layout.kind === 'col') return [layout.inner];
  const { kept, red } = layout;
  return [
    kept.length,
    red.length,
    ...kept.map((k) => k[0]),
    ...kept.map((k) => k[1]),
    ...red.map((k) => k[0]),
    ...red.map((k) => k[1]),
  ];
}

/** WGSL `fn x_off(o, r) -> u32`: the input element of output row o, reduced position r. */
function offsetFn(layout: ReduceLayout): string {
  if (layout.kind === 'row') return 'fn x_off(o: u32, r: u32) -> u32 { return o * params[1] + r; }';
  if (layout.kind === 'col') {
    return `fn x_off(o: u32, r: u32) -> u32 {
  let inner = params[7];
  return (o / inner) * params[1] * inner + r * inner + o % inner;
}`;
  }
  return `${STRIDED_OFFSET}
fn x_off(o: u32, r: u32) -> u32 {
  let kr = params[7];
  let rr = params[8];
  return strided_offset(o, kr, 9u, 9u + kr) + strided_offset(r, rr, 9u + 2u * kr, 9u + 2u * kr + rr);
}`;
}

/** One pass: its input (the tensor through a layout, or partial states) and its output. */
interface Pass {
  readonly acc: Accumulator;
  readonly inType: WgslScalar;
  /** `null`: the input is a partial-states buffer read as rows. */
  readonly layout: ReduceLayout | null;
  readonly final: boolean;
  /** One lane per chunk (no tree), or L (meta word 5) lanes meeting in a tree. */
  readonly tree: boolean;
}

function passCode(p: Pass): string {
  const { acc, tree } = p;
  const W = acc.words;
  const load =
    p.layout === null
      ? `let at = (o * R + r) * ${W}u; acc = s_comb(acc, s_unword(pin[at], ${W === 2 ? 'pin[at + 1u]' : '0u'}));`
      : 'acc = s_comb(acc, s_load(x[x_off(o, r)], r));';
  // L is a power of two up to the workgroup: levels above it are skipped, but every lane
  // passes every barrier (uniform control flow)
  const treeCode = tree
    ? `
  sh[lid.x] = acc;
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (s < L && lane < s) { acc = s_comb(acc, sh[lid.x + s]); sh[lid.x] = acc; }
  }`
    : '';
  const store = p.final
    ? `let s = acc;${acc.finish}
    y[o] = y_v;`
    : `let at = (o * G + g) * ${W}u;
    for (var k = 0u; k < ${W}u; k++) { pout[at + k] = s_word(acc, k); }`;
  return shader({
    bindings: [
      p.layout === null ? { name: 'pin', type: 'u32' } : { name: 'x', type: p.inType },
      p.final ? { name: 'y', type: acc.outType, write: true } : { name: 'pout', type: 'u32', write: true },
    ],
    meta: true,
    fails: p.final && acc.fails,
    shared: tree ? `var<workgroup> sh: array<S, ${WG}>;` : undefined,
    helpers: `${acc.wgsl}\n${p.layout === null ? '' : offsetFn(p.layout)}`,
    body: `
  let N = params[0];
  let R = params[1];
  let G = params[2];
  let C = params[3];
  let L = ${tree ? 'params[5]' : '1u'};
  let rc = i / L;
  let lane = i % L;
  let live = rc < params[4];
  let o = rc % N;
  let g = rc / N;
  var acc = s_id();
  if (live) {
    let end = min(g * C + C, R);
    for (var r = g * C + lane; r < end; r += L) { ${load} }
  }${treeCode}
  if (live && lane == 0u) {
    ${store}
  }`,
  });
}

/** The identity an empty reduction yields (integer max/min have none: 0, as the CPU backend's typed arrays store ±Infinity). */
function identityOf(op: ReduceOp, floatOut: boolean): number {
  if (op === 'prod') return 1;
  if (!floatOut) return 0;
  if (op === 'max') return Number.NEGATIVE_INFINITY;
  if (op === 'min') return Number.POSITIVE_INFINITY;
  return 0;
}

/**
 * Reduces `axes` (sorted, unique, non-empty) of `x` away with `op`. Output dtype: int32 for
 * argmax/argmin (first position on ties, the first NaN when there is one) and for sum/prod of
 * int32/uint8/bool; otherwise `x`'s dtype. max/min propagate NaN. Integer sums and products are
 * exact and a result beyond int32 (int64 too: it is computed in 32 bits here) fails the next read.
 *
 * @example
 * ```ts
 * // x: [4, 100000] float32 on 'webgpu' → its row sums, [4]
 * const sums = reduce(ctx, 'sum', x, [1]);
 * ```
 */
export function reduce(ctx: GpuContext, op: ReduceOp, x: TensorInfo, axes: readonly number[]): Handle {
  const acc = accumulatorOf(op, x.dtype);
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  const N = numelOf(outShape);
  let R = 1;
  for (const a of axes) R *= x.shape[a]!;
  if (N === 0) return ctx.alloc(0, acc.outDtype);
  if (R === 0) return fill(ctx, outShape, acc.outDtype, identityOf(op, acc.outDtype === 'float32'));

  const inType = scalarOf(x.dtype);
  let layout: ReduceLayout | null = reduceLayout(x.shape, axes);
  let input = bufOf(x);
  let temp: Handle | null = null;
  for (;;) {
    const { L, C } = lanesFor(R, layout ?? { kind: 'row' });
    const G = Math.ceil(R / C);
    const final = G === 1;
    if (N * G * L >= 2 ** 32) {
      throw new Error(
        `${op}: webgpu cannot reduce a tensor of shape [${x.shape.join(', ')}] (${N * G * L} lanes exceed 2^32)`,
      );
    }
    const out = final ? ctx.alloc(N, acc.outDtype) : ctx.alloc(N * G * acc.words, 'int32');
    const pass: Pass = { acc, inType, layout, final, tree: L > 1 };
    ctx.run({
      key: `reduce:${acc.name}:${layout?.kind ?? 'partial'}:${L > 1 ? 'tree' : 'serial'}:${final ? 'final' : 'partial'}`,
      code: () => passCode(pass),
      buffers: [input, out.buffer],
      meta: words([N, R, G, C, N * G, L, acc.flags, ...(layout ? layoutWords(layout) : [])]),
      workgroups: groups1d(N * G * L, WG, ctx.maxWorkgroups),
      fails: final && acc.fails ? (code) => intStatusMessage(op, acc.outDtype, [x.shape], code) : undefined,
    });
    // a temp read by the dispatch just recorded may be reused by later dispatches: they run after it
    if (temp) ctx.release(temp);
    if (final) return out;
    temp = out;
    input = out.buffer;
    layout = null;
    R = G;
  }
}
