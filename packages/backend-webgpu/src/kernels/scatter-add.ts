// scatterAdd (torch.scatter_add) without atomics: WGSL has no float atomic add, and atomics
// would make float sums depend on thread timing. Each target element is summed in the order
// the CPU backend sums it — the target value, then the src values whose index names it, in
// ascending position along `axis` — so float32 results match the CPU bit for bit and are the
// same on every run. Two plans share that order:
// - per element: one invocation per target element scans its fiber (the src positions that can
//   reach it) for indices equal to its own axis coordinate: O(target · axisLen) work, full
//   parallelism; chosen when that is small or the target axis is short.
// - per fiber: the output starts as a copy of the target and one invocation per fiber walks its
//   src positions in order, adding each into place: O(src + target) work, parallel over fibers
//   only; chosen when the first plan's work would be large.
// Integer sums are exact: int32/int64 accumulate in 64 bits (a lo/hi word pair) and only the
// final sum must fit (as on the CPU, which sums in doubles), uint8 saturates past 255 (its sums
// only grow), bool adds as logical or (torch: True + True = True).
import type { DType, TensorInfo } from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { intStatusMessage, STATUS } from '../errors.js';
import { bufOf, type Handle, numelOf, scalarOf } from '../storage.js';
import { shader, stridesOf, WG, words } from '../wgsl.js';
import { AXIS_PARAMS, atLeast1d } from './axis-params.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Which of the two plans (see the top of this file) a scatterAdd of these sizes takes. */
export type ScatterAddPlan = 'per-element' | 'per-fiber';

/** Per-element work (target · axisLen) up to which the per-element plan is always taken. */
const SMALL_WORK = 2 ** 24;
/** Fibers from which the per-fiber plan alone fills a GPU. */
const MANY_FIBERS = 4096;
/** Target axis lengths up to which scanning the fiber once per target element stays cheap. */
const SHORT_AXIS = 64;

/**
 * The plan for a target axis of `T` elements, an index axis of `L` and `F` fibers (index
 * elements off the axis).
 */
export function scatterAddPlan(T: number, L: number, F: number): ScatterAddPlan {
  if (T * L * F <= SMALL_WORK) return 'per-element';
  return F < MANY_FIBERS && T <= SHORT_AXIS ? 'per-element' : 'per-fiber';
}

/** Workgroup width of the per-fiber plan (fibers are few: narrow groups spread them wider). */
const FIBER_WG = 64;

/** How each dtype accumulates: WGSL for the start, one added `src[p]` and the end. */
type Kind = 'f32' | 'int' | 'uint8' | 'bool';

function kindOf(dtype: DType): Kind {
  if (dtype === 'uint8' || dtype === 'bool') return dtype;
  return scalarOf(dtype) === 'f32' ? 'f32' : 'int';
}

/** Adds the i32 `sv` to the 64-bit sum (`lo`: u32 low word, `hi`: i32 high word). */
const ADD64 =
  'let nlo = lo + bitcast<u32>(sv); hi += select(0i, -1i, sv < 0i) + select(0i, 1i, nlo < lo); lo = nlo;';
/** Whether the 64-bit sum fits int32 (its high word is the low word's sign). */
const FITS64 = 'hi == select(0i, -1i, lo >= 0x80000000u)';

/** Per-element: the accumulator's start from `t[i]`, one addition of `src[p]`, the result written. */
const ELEMENT: Record<Kind, { init: string; add: string; done: string }> = {
  f32: { init: 'var acc = t[i];', add: 'acc = acc + src[p];', done: 'y[i] = acc;' },
  int: {
    init: 'var lo = bitcast<u32>(t[i]); var hi = select(0i, -1i, t[i] < 0i);',
    add: `let sv = src[p]; ${ADD64}`,
    done: `if (!(${FITS64})) { atomicMax(&status[0], ${STATUS.range}u); } y[i] = bitcast<i32>(lo);`,
  },
  uint8: {
    init: 'var acc = t[i];',
    add: 'acc = min(acc + src[p], 256u);',
    done: `if (acc > 255u) { atomicMax(&status[0], ${STATUS.range}u); } y[i] = acc;`,
  },
  bool: { init: 'var acc = t[i];', add: 'if (src[p] != 0u) { acc = 1u; }', done: 'y[i] = acc;' },
};

/**
 * Per-element module. `params`: [n, rank, axis, T, L, tShape[rank], iShape[rank], iStrides[rank]].
 * Target elements whose off-axis coordinates lie beyond the index's shape keep their value.
 * The invocations at axis coordinate 0 check every index of their fiber (each fiber once).
 */
function elementModule(kind: Kind): string {
  const ty = kind === 'f32' ? 'f32' : kind === 'int' ? 'i32' : 'u32';
  const k = ELEMENT[kind];
  return shader({
    bindings: [
      { name: 't', type: ty },
      { name: 'idx', type: 'i32' },
      { name: 'src', type: ty },
      { name: 'y', type: ty, write: true },
    ],
    meta: true,
    fails: true,
    body: `${AXIS_PARAMS}
  var pb = 0u;
  var inside = true;
  var k = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let s = params[5u + u32(d)];
    let c = rem % s;
    rem /= s;
    if (u32(d) == axis) {
      k = c;
    } else {
      if (c >= params[5u + rank + u32(d)]) { inside = false; }
      pb += c * params[5u + 2u * rank + u32(d)];
    }
  }
  ${k.init}
  if (inside) {
    let stride = params[5u + 2u * rank + axis];
    let T = params[3];
    let L = params[4];
    for (var j = 0u; j < L; j++) {
      let p = pb + j * stride;
      let v = idx[p];
      if (k == 0u && (v < 0i || u32(v) >= T)) { atomicMax(&status[0], ${STATUS.index}u); }
      if (v == i32(k)) { ${k.add} }
    }
  }
  ${k.done}`,
  });
}

/** Per-fiber: one addition of `src[p]` into `y[q]` (and the int sums' high words `hi[q]`). */
const FIBER_ADD: Record<Kind, string> = {
  f32: 'y[q] = y[q] + src[p];',
  int: `var lo = y[q]; var hi = hi_words[q]; let sv = src[p]; ${ADD64} y[q] = lo; hi_words[q] = hi;`,
  uint8: `let a = min(y[q] + src[p], 256u); y[q] = a; if (a > 255u) { atomicMax(&status[0], ${STATUS.range}u); }`,
  bool: 'if (src[p] != 0u) { y[q] = 1u; }',
};

/**
 * Per-fiber module over `y`, already a copy of the target. `params`: [F, rank, axis, T, L,
 * iShape[rank], tStrides[rank], iStrides[rank]]. Int sums keep their high words in `hi_words`
 * (set from the target's signs first, checked last).
 */
function fiberModule(kind: Kind): string {
  const ty = kind === 'f32' ? 'f32' : kind === 'int' ? 'i32' : 'u32';
  const int = kind === 'int';
  return shader({
    bindings: [
      { name: 'idx', type: 'i32' },
      { name: 'src', type: ty },
      { name: 'y', type: int ? 'u32' : ty, write: true },
      ...(int ? [{ name: 'hi_words', type: 'i32' as const, write: true }] : []),
    ],
    meta: true,
    fails: true,
    workgroup: FIBER_WG,
    body: `${AXIS_PARAMS}
  let T = params[3];
  let L = params[4];
  var tb = 0u;
  var ib = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    if (u32(d) == axis) { continue; }
    let s = params[5u + u32(d)];
    let c = rem % s;
    rem /= s;
    tb += c * params[5u + rank + u32(d)];
    ib += c * params[5u + 2u * rank + u32(d)];
  }
  let tstride = params[5u + rank + axis];
  let istride = params[5u + 2u * rank + axis];
  ${int ? 'for (var k = 0u; k < T; k++) { let q = tb + k * tstride; hi_words[q] = select(0i, -1i, y[q] >= 0x80000000u); }' : ''}
  for (var j = 0u; j < L; j++) {
    let p = ib + j * istride;
    let v = idx[p];
    if (v < 0i || u32(v) >= T) { atomicMax(&status[0], ${STATUS.index}u); continue; }
    let q = tb + u32(v) * tstride;
    ${FIBER_ADD[kind]}
  }
  ${
    int
      ? `for (var k = 0u; k < T; k++) {
    let q = tb + k * tstride;
    let lo = y[q];
    let hi = hi_words[q];
    if (!(${FITS64})) { atomicMax(&status[0], ${STATUS.range}u); }
  }`
      : ''
  }`,
  });
}

/**
 * torch.scatter_add: a copy of `target` with `src[p]` added at `p` with its `axis` coordinate
 * replaced by `index[p]` (index and src share a shape, no larger than target off `axis`).
 * Deterministic and in the CPU backend's summation order (see the top of this file). An index
 * outside `[0, target.shape[axis])` or an integer sum beyond the dtype fails the next read.
 */
export function scatterAdd(
  ctx: GpuContext,
  target: TensorInfo,
  axis: number,
  index: TensorInfo,
  src: TensorInfo,
): Handle {
  const dtype = target.dtype;
  const tShape = atLeast1d(target.shape);
  const iShape = atLeast1d(index.shape);
  const rank = tShape.length;
  const T = tShape[axis]!;
  const L = iShape[axis]!;
  const nIdx = numelOf(iShape);
  const nOut = numelOf(tShape);
  const shapes = `input ${fmt(target.shape)} ${dtype}, index and src ${fmt(index.shape)}`;
  for (let d = 0; d < rank; d++) {
    if (d !== axis && iShape[d]! > tShape[d]!) {
      throw new Error(
        `scatterAdd: index is larger than the input in dim ${d} (${shapes}); expected index.shape[d] <= input.shape[d] for d != ${axis}`,
      );
    }
  }
  if (nIdx > 0 && T === 0) {
    throw new Error(`scatterAdd: every index is out of range for axis ${axis} of size 0 (${shapes})`);
  }
  const out = ctx.alloc(nOut, dtype);
  if (nOut === 0) return out;
  if (nIdx === 0) {
    ctx.copy(bufOf(target), 0, out.buffer, 0, nOut * 4);
    return out;
  }
  const kind = kindOf(dtype);
  const fails = (code: number) =>
    code === STATUS.index
      ? `scatterAdd: an index is out of range for axis ${axis} of size ${T} (expected 0 <= index < ${T}); ${shapes}`
      : intStatusMessage('scatterAdd', dtype, [tShape, iShape], code);
  const F = nIdx / L;
  if (scatterAddPlan(T, L, F) === 'per-element') {
    ctx.run({
      key: `scatter-add-element:${kind}`,
      code: () => elementModule(kind),
      buffers: [bufOf(target), bufOf(index), bufOf(src), out.buffer],
      meta: words([nOut, rank, axis, T, L, ...tShape, ...iShape, ...stridesOf(iShape)]),
      workgroups: groups1d(nOut, WG, ctx.maxWorkgroups),
      fails,
    });
    return out;
  }
  ctx.copy(bufOf(target), 0, out.buffer, 0, nOut * 4);
  const hi = kind === 'int' ? ctx.alloc(nOut, 'int32') : null;
  ctx.run({
    key: `scatter-add-fiber:${kind}`,
    code: () => fiberModule(kind),
    buffers: [bufOf(index), bufOf(src), out.buffer, ...(hi ? [hi.buffer] : [])],
    meta: words([F, rank, axis, T, L, ...iShape, ...stridesOf(tShape), ...stridesOf(iShape)]),
    workgroups: groups1d(F, FIBER_WG, ctx.maxWorkgroups),
    fails,
  });
  // later users of the pooled scratch run after this launch in queue order
  if (hi) ctx.release(hi);
  return out;
}
