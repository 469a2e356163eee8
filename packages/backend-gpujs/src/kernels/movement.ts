import { stridesOf } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { decompose, type Helper, helper, stridedHelper } from '../lang.js';

/** Output dim i is input dim perm[i]. */
export function permuteSpec(shape: readonly number[], perm: readonly number[]): KernelSpec {
  const st = stridesOf(shape);
  return {
    sized: true,
    key: `permute:[${shape}]:[${perm}]`,
    source: 'function (a) { return a[src(this.thread.x)]; }',
    helpers: [
      stridedHelper(
        'src',
        perm.map((p) => shape[p]),
        perm.map((p) => st[p]),
      ),
    ],
  };
}

/** Broadcast to `outShape` (same rank). */
export function expandSpec(shape: readonly number[], outShape: readonly number[]): KernelSpec {
  const st = stridesOf(shape).map((s, d) => (shape[d] === 1 ? 0 : s));
  return {
    sized: true,
    key: `expand:[${shape}]:[${outShape}]`,
    source: 'function (a) { return a[src(this.thread.x)]; }',
    helpers: [stridedHelper('src', outShape, st)],
  };
}

/** Strided slice. */
export function sliceSpec(
  shape: readonly number[],
  begin: readonly number[],
  sizes: readonly number[],
  steps: readonly number[],
): KernelSpec {
  const st = stridesOf(shape);
  let off = 0;
  for (let d = 0; d < shape.length; d++) off += begin[d] * st[d];
  return {
    sized: true,
    key: `slice:[${shape}]:[${begin}]:[${sizes}]:[${steps}]`,
    source: 'function (a) { return a[src(this.thread.x)]; }',
    helpers: [
      stridedHelper(
        'src',
        sizes,
        st.map((s, d) => s * steps[d]),
        off,
      ),
    ],
  };
}

/** Constant padding; the value is a uniform. */
export function padSpec(shape: readonly number[], pads: readonly (readonly [number, number])[]): KernelSpec {
  const outShape = shape.map((s, d) => s + pads[d][0] + pads[d][1]);
  const st = stridesOf(shape);
  // inside(i): 1 when output i maps into the input; src(i): its input index (0 outside)
  const body = (ret: 'inside' | 'src') =>
    helper(ret, [['i', 'int']], (L) => {
      const lines = decompose(L, 'i', outShape, 'c');
      const terms: string[] = [];
      shape.forEach((s, d) => {
        const [before] = pads[d];
        const c = before === 0 ? `c${d}` : `(c${d} - ${before})`;
        if (pads[d][0] !== 0 || pads[d][1] !== 0) lines.push(`if (${c} < 0 || ${c} >= ${s}) return 0;`);
        if (st[d] !== 0 && s !== 1) terms.push(st[d] === 1 ? c : `${c} * ${st[d]}`);
      });
      lines.push(`return ${ret === 'inside' ? '1' : terms.length ? terms.join(' + ') : '0'};`);
      return lines;
    });
  return {
    sized: true,
    key: `pad:[${shape}]:${JSON.stringify(pads)}`,
    source:
      'function (a, v) { if (inside(this.thread.x) === 0) { return v; } return a[src(this.thread.x)]; }',
    helpers: [body('inside'), body('src')],
  };
}

/** Most inputs one concat kernel takes; longer lists are joined in groups. */
export const CONCAT_MAX = 8;

/** Joins up to {@link CONCAT_MAX} inputs along `axis`. */
export function concatSpec(shapes: readonly (readonly number[])[], axis: number): KernelSpec {
  const chunks = shapes.map((s) => s.slice(axis).reduce((a, b) => a * b, 1));
  const row = chunks.reduce((a, b) => a + b, 0);
  const helpers: Helper[] = [];
  const names = shapes.map((_, k) => `x${k}`);
  const branches: string[] = [];
  let col = 0;
  shapes.forEach((_, k) => {
    const lo = col;
    const n = chunks[k];
    col += n;
    if (n === 0) return;
    // which input column c = i mod row falls into, and the element it reads there
    helpers.push(
      helper(`src${k}`, [['i', 'int']], (L) => [
        L.let('o', L.div('i', row)),
        `return o * ${n} + (i - o * ${row}) - ${lo};`,
      ]),
    );
    branches.push(`if (col < ${col}) { return ${names[k]}[src${k}(this.thread.x)]; }`);
  });
  helpers.push(helper('colOf', [['i', 'int']], (L) => [`return i - ${L.div('i', row)} * ${row};`]));
  return {
    sized: true,
    key: `concat:${axis}:${JSON.stringify(shapes)}`,
    source: `function (${names.join(', ')}) { var col = colOf(this.thread.x); ${branches.join(' ')} return 0.0; }`,
    helpers,
  };
}
