/**
 * Index helpers are generated twice from one description: as GLSL native functions (integer
 * arithmetic, exact for any index a texture can hold) for the WebGL modes, and as plain JS
 * functions for gpu.js's CPU fallback. gpu.js itself turns every JS `var` into a float, so
 * index math written in the kernel body would lose exactness past 2^24 elements.
 */
import { stridesOf } from '@proj/core';

/** The two target languages of a helper. */
export interface Lang {
  readonly glsl: boolean;
  /** Integer division of non-negative operands. */
  div(a: string, b: string | number): string;
  /** Declares an int local. */
  let(name: string, expr: string): string;
  /** A float-to-int conversion (truncating). */
  toInt(expr: string): string;
}

const GLSL: Lang = {
  glsl: true,
  div: (a, b) => `((${a}) / ${b})`,
  let: (name, expr) => `int ${name} = ${expr};`,
  toInt: (e) => `int(${e})`,
};

const JS: Lang = {
  glsl: false,
  div: (a, b) => `Math.floor((${a}) / ${b})`,
  let: (name, expr) => `var ${name} = ${expr};`,
  toInt: (e) => `Math.floor(${e})`,
};

/** A helper function in both languages. */
export interface Helper {
  readonly name: string;
  readonly glsl: string;
  readonly js: string;
}

/** A parameter of a helper: ints are indices, floats are values read from textures. */
export type Param = readonly [name: string, type: 'int' | 'float'];

/**
 * Builds an int-returning helper `name(params)` whose body `body(L)` returns statement lines;
 * the last line must be a `return`.
 */
export function helper(name: string, params: readonly Param[], body: (L: Lang) => string[]): Helper {
  const glsl = `int ${name}(${params.map(([n, t]) => `${t} ${n}`).join(', ')}) {\n  ${body(GLSL).join('\n  ')}\n}`;
  const js = `function ${name}(${params.map(([n]) => n).join(', ')}) {\n  ${body(JS).join('\n  ')}\n}`;
  return { name, glsl, js };
}

/**
 * Statements splitting the flat row-major index `src` over `dims` into coordinates named
 * `${prefix}0..` (innermost first to keep one running quotient). Size-1 dims get 0.
 */
export function decompose(L: Lang, src: string, dims: readonly number[], prefix: string): string[] {
  const lines: string[] = [];
  let rest = src;
  for (let d = dims.length - 1; d >= 0; d--) {
    const name = `${prefix}${d}`;
    if (dims[d] === 1) {
      lines.push(L.let(name, '0'));
      continue;
    }
    if (d === 0) {
      lines.push(L.let(name, rest));
      continue;
    }
    const q = `${prefix}q${d}`;
    lines.push(L.let(q, L.div(rest, dims[d])));
    lines.push(L.let(name, `${rest} - ${q} * ${dims[d]}`));
    rest = q;
  }
  return lines;
}

/** `off + Σ c_d * strides[d]` over coordinates `${prefix}d`, leaving out zero strides. */
export function linear(prefix: string, strides: readonly number[], off = 0): string {
  const terms: string[] = off !== 0 ? [String(off)] : [];
  strides.forEach((s, d) => {
    if (s === 1) terms.push(`${prefix}${d}`);
    else if (s !== 0) terms.push(`${prefix}${d} * ${s}`);
  });
  return terms.length === 0 ? '0' : terms.join(' + ');
}

/**
 * Merges adjacent dims that a set of strided views walk contiguously (stride[d] ==
 * stride[d+1] * dims[d+1] in every view) and drops size-1 dims, so the generated index math
 * does as few divisions as possible.
 */
export function collapse(
  dims: readonly number[],
  strides: readonly (readonly number[])[],
): { dims: number[]; strides: number[][] } {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    if (dims[d] === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * dims[d])) {
      outDims[last] *= dims[d];
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
      continue;
    }
    outDims.push(dims[d]);
    strides.forEach((s, k) => {
      outStrides[k].push(s[d]);
    });
  }
  return { dims: outDims, strides: outStrides };
}

/**
 * A helper `name(int i)` mapping a flat output index over `dims` to `off + Σ c_d·strides[d]`
 * — the whole of permute, expand, slice and broadcasting.
 */
export function stridedHelper(
  name: string,
  dims: readonly number[],
  strides: readonly number[],
  off = 0,
): Helper {
  const c = collapse(dims, [strides]);
  return helper(name, [['i', 'int']], (L) => [
    ...decompose(L, 'i', c.dims, 'c'),
    `return ${linear('c', c.strides[0], off)};`,
  ]);
}

/** Strides of `shape` broadcast to `outShape` (right-aligned; size-1 dims get 0). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const st = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, d) => {
    const k = d - off;
    return k < 0 || shape[k] === 1 ? 0 : st[k];
  });
}

/** A float literal for kernel source (gpu.js types `1` as an integer, `1.0` as a float). */
export function flit(v: number): string {
  if (Number.isNaN(v)) return '(0.0 / 0.0)';
  if (v === Number.POSITIVE_INFINITY) return '(1.0 / 0.0)';
  if (v === Number.NEGATIVE_INFINITY) return '(-1.0 / 0.0)';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A helper `name(int i)` returning coordinate `d` of the flat index `i` over `dims`. */
export function coordHelper(name: string, dims: readonly number[], d: number): Helper {
  let inner = 1;
  for (let k = d + 1; k < dims.length; k++) inner *= dims[k];
  return helper(name, [['i', 'int']], (L) => {
    const q = inner === 1 ? 'i' : L.div('i', inner);
    return d === 0 ? [`return ${q};`] : [L.let('q', q), `return q - ${L.div('q', dims[d])} * ${dims[d]};`];
  });
}
