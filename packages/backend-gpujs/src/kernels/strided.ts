// Strided views (torch.as_strided / as_strided_scatter) of a whole storage buffer, seen flat.
// Both kernels are loop-free: a read computes its source element from the output index; a write
// decides for each buffer element whether the view covers it — analytically when the view's
// strides tell its elements apart by division (the usual case: transpose, narrow, select, steps),
// or through a precomputed inverse map uploaded as a texture otherwise.
import { flatPositions, isContiguousGeometry, sizeOf, stridesOf } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { collapse, helper, type Lang, stridedHelper } from '../lang.js';

const fmt = (a: readonly number[]) => `[${a.join(',')}]`;

/** Whether the view is the whole buffer in order (it then shares the buffer's texture). */
export function isWholeBuffer(
  length: number,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): boolean {
  return offset === 0 && sizeOf(shape) === length && isContiguousGeometry(shape, strides);
}

/** Statements giving int locals `${p}i` for the float uniforms `names` (exact below 2^24). */
const ints = (L: Lang, names: readonly string[]) => names.map((p) => L.let(`${p}i`, L.toInt(p)));

/**
 * asStrided: output i reads `x[offset + Σ c_d·strides[d]]`, c the coordinates of i over the
 * view (collapsed). Sized, the geometry is compiled in as constants; the general variant (one
 * per collapsed rank) reads sizes, strides and offset as uniforms, so views that keep changing
 * share one kernel.
 */
export function asStridedSpec(
  length: number,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): KernelSpec {
  const c = collapse(shape, [strides]);
  const dims = c.dims;
  const st = c.strides[0];
  const R = dims.length;
  const dn = dims.slice(1).map((_, k) => `d${k + 1}`);
  const sn = st.map((_, k) => `s${k}`);
  const params = [...dn, ...sn, 'off'];
  const general = helper('gsrc', [['i', 'int'], ...params.map((p) => [p, 'float'] as const)], (L) => {
    const lines = ints(L, params);
    let rest = 'i';
    for (let d = R - 1; d >= 1; d--) {
      lines.push(L.let(`q${d}`, L.div(rest, `d${d}i`)), L.let(`c${d}`, `${rest} - q${d} * d${d}i`));
      rest = `q${d}`;
    }
    if (R > 0) lines.push(L.let('c0', rest));
    lines.push(`return offi${st.map((_, d) => ` + c${d} * s${d}i`).join('')};`);
    return lines;
  });
  return {
    sized: true,
    key: `asStrided:${length}:${fmt(dims)}:${fmt(st)}:${offset}`,
    source: 'function (a) { return a[src(this.thread.x)]; }',
    helpers: [stridedHelper('src', dims, st, offset)],
    general: {
      source: `function (a, ${params.join(', ')}) { return a[gsrc(this.thread.x, ${params.join(', ')})]; }`,
      helpers: [general],
      args: [...dims.slice(1), ...st, offset],
    },
  };
}

/**
 * A write-through view whose elements a buffer position can be mapped back to by division:
 * its dims (size > 1) sorted by stride, each stride larger than the furthest the smaller-stride
 * dims reach ((n_j - 1)·s_j summed over them). Then position p is in the view iff
 * p - offset = Σ i_k·s_k with i_k = ⌊rest / s_k⌋ < n_k and nothing left over, and `v` (the
 * view's row-major strides) gives its element.
 */
export interface InversePlan {
  readonly n: readonly number[];
  readonly s: readonly number[];
  readonly v: readonly number[];
}

/** The {@link InversePlan} of a view, or null when its strides do not separate its elements. */
export function planInverse(shape: readonly number[], strides: readonly number[]): InversePlan | null {
  const vs = stridesOf(shape);
  const dims: { n: number; s: number; v: number }[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    if (strides[d] === 0) return null; // repeats elements: not a view one can write through
    dims.push({ n: shape[d], s: strides[d], v: vs[d] });
  }
  dims.sort((a, b) => b.s - a.s);
  let reach = 0;
  for (let k = dims.length - 1; k >= 0; k--) {
    if (reach >= dims[k].s) return null;
    reach += (dims[k].n - 1) * dims[k].s;
  }
  return { n: dims.map((d) => d.n), s: dims.map((d) => d.s), v: dims.map((d) => d.v) };
}

/** Statements of the inverse test over named (or literal) sizes, strides and view strides. */
function inverseBody(
  L: Lang,
  R: number,
  off: string,
  n: (k: number) => string,
  s: (k: number) => string,
  v: (k: number) => string,
  lastStride: number | null,
): string[] {
  const lines = [L.let('r', `p - ${off}`), 'if (r < 0) return -1;'];
  for (let k = 0; k < R; k++) {
    lines.push(
      L.let(`i${k}`, L.div('r', s(k))),
      `if (i${k} >= ${n(k)}) return -1;`,
      `r = r - i${k} * ${s(k)};`,
    );
  }
  // with the smallest stride 1 nothing can be left over
  if (lastStride !== 1) lines.push('if (r != 0) return -1;');
  const terms = Array.from({ length: R }, (_, k) => `i${k} * ${v(k)}`);
  lines.push(`return ${terms.length ? terms.join(' + ') : '0'};`);
  return lines;
}

const SCATTER_SOURCE = (call: string, params = '') =>
  `function (b, s${params}) { var v = ${call}; if (v < 0) { return b[this.thread.x]; } return s[v]; }`;

/**
 * asStridedScatter for a view with an {@link InversePlan}: output p is `src[view index of p]`
 * when the view covers p, else `base[p]`. Sized with the geometry as constants; the general
 * variant (one per rank) takes it as uniforms.
 */
export function asStridedScatterSpec(
  length: number,
  n: number,
  plan: InversePlan,
  offset: number,
): KernelSpec {
  const R = plan.n.length;
  const lastStride = R > 0 ? plan.s[R - 1] : null;
  const sized = helper('vidx', [['p', 'int']], (L) =>
    inverseBody(
      L,
      R,
      String(offset),
      (k) => String(plan.n[k]),
      (k) => String(plan.s[k]),
      (k) => String(plan.v[k]),
      lastStride,
    ),
  );
  const params = ['off', ...plan.n.flatMap((_, k) => [`n${k}`, `s${k}`, `v${k}`])];
  const general = helper('gvidx', [['p', 'int'], ...params.map((p) => [p, 'float'] as const)], (L) => [
    ...ints(L, params),
    ...inverseBody(
      L,
      R,
      'offi',
      (k) => `n${k}i`,
      (k) => `s${k}i`,
      (k) => `v${k}i`,
      lastStride === 1 ? 1 : null,
    ),
  ]);
  return {
    sized: true,
    key: `asStridedScatter:${length}:${n}:${fmt(plan.n)}:${fmt(plan.s)}:${fmt(plan.v)}:${offset}`,
    source: SCATTER_SOURCE('vidx(this.thread.x)'),
    helpers: [sized],
    general: {
      // the stride-1 shortcut is part of the code: views ending in stride 1 get their own class
      source: SCATTER_SOURCE(`gvidx(this.thread.x, ${params.join(', ')})`, `, ${params.join(', ')}`),
      helpers: [general],
      args: [offset, ...plan.n.flatMap((_, k) => [plan.n[k], plan.s[k], plan.v[k]])],
    },
  };
}

/**
 * asStridedScatter through an inverse map `m` (buffer position → view element, or -1), for
 * views whose strides do not separate their elements by division. One kernel for every size.
 */
export const scatterMapSpec: KernelSpec = {
  key: 'asStridedScatter-map',
  source:
    'function (b, s, m) { var v = m[this.thread.x]; if (v < 0.0) { return b[this.thread.x]; } return s[at(v)]; }',
  helpers: [helper('at', [['v', 'float']], (L) => [`return ${L.toInt('v')};`])],
};

/** The inverse map of a view over a buffer of `length`: view element index per position, or -1. */
export function inverseMap(
  length: number,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Float32Array {
  const map = new Float32Array(length).fill(-1);
  const positions = flatPositions({ shape, strides, offset });
  for (let k = 0; k < positions.length; k++) map[positions[k]] = k;
  return map;
}
