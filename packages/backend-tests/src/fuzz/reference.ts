/**
 * A float64 reference for the fuzz suite, written independently of every backend (plain
 * loops over flat row-major arrays, no shared kernel code), so that a backend is never
 * checked against itself. Results are exact float64 values; the fuzz rounds them to the
 * result dtype before comparing.
 */

/** A dense row-major array with its shape. */
export interface Ref {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function strides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d];
  }
  return st;
}

/** NumPy's broadcast of two shapes, or null when they do not broadcast. */
export function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The flat index in `shape` (broadcast to `out`) of output coordinate `coord`. */
function sourceIndex(shape: readonly number[], out: readonly number[], coord: readonly number[]): number {
  const st = strides(shape);
  const off = out.length - shape.length;
  let idx = 0;
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) idx += coord[d + off] * st[d];
  return idx;
}

function coordOf(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return c;
}

/** `f(a[i], b[i])` over the broadcast shape. */
export function zip(a: Ref, b: Ref, f: (x: number, y: number) => number): Ref {
  const shape = broadcast(a.shape, b.shape);
  if (shape === null) throw new Error(`reference: shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  const n = numel(shape);
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = coordOf(i, shape);
    data[i] = f(a.data[sourceIndex(a.shape, shape, c)], b.data[sourceIndex(b.shape, shape, c)]);
  }
  return { shape, data };
}

/** One reduction along `axes` (sorted), with the contributions' Σ|v| for the error bound. */
export function reduceAxes(
  x: Ref,
  axes: readonly number[],
  init: number,
  step: (acc: number, v: number, r: number) => number,
): { out: Ref; magnitude: number[] } {
  const keep = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outShape = keep.map((d) => x.shape[d]);
  const n = numel(outShape);
  const data = new Array<number>(n).fill(init);
  const magnitude = new Array<number>(n).fill(0);
  const counters = new Array<number>(n).fill(0);
  for (let i = 0; i < x.data.length; i++) {
    const c = coordOf(i, x.shape);
    let o = 0;
    for (const d of keep) o = o * x.shape[d] + c[d];
    data[o] = step(data[o], x.data[i], counters[o]++);
    magnitude[o] += Math.abs(x.data[i]);
  }
  return { out: { shape: outShape, data }, magnitude };
}

/** Softmax (or log-softmax) along `dim` in float64. */
export function softmaxRef(x: Ref, dim: number, log: boolean): Ref {
  const A = x.shape[dim];
  const inner = numel(x.shape.slice(dim + 1));
  const outer = numel(x.shape.slice(0, dim));
  const data = new Array<number>(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const at = (a: number) => o * A * inner + a * inner + k;
      let m = Number.NEGATIVE_INFINITY;
      for (let a = 0; a < A; a++) m = Math.max(m, x.data[at(a)]);
      let s = 0;
      for (let a = 0; a < A; a++) s += Math.exp(x.data[at(a)] - m);
      for (let a = 0; a < A; a++) {
        const z = x.data[at(a)] - m;
        data[at(a)] = log ? z - Math.log(s) : Math.exp(z) / s;
      }
    }
  }
  return { shape: x.shape, data };
}

/** Batched matrix product with NumPy's batch broadcasting (both operands at least 2-D). */
export function matmulRef(a: Ref, b: Ref): { out: Ref; magnitude: number[] } {
  const M = a.shape[a.shape.length - 2];
  const K = a.shape[a.shape.length - 1];
  const N = b.shape[b.shape.length - 1];
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (batch === null) throw new Error('reference: batch dims do not broadcast');
  const B = numel(batch);
  const data = new Array<number>(B * M * N).fill(0);
  const magnitude = new Array<number>(B * M * N).fill(0);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  for (let bi = 0; bi < B; bi++) {
    const c = coordOf(bi, batch);
    const ao = sourceIndex(aBatch, batch, c) * M * K;
    const bo = sourceIndex(bBatch, batch, c) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let m = 0;
        for (let k = 0; k < K; k++) {
          const p = a.data[ao + i * K + k] * b.data[bo + k * N + j];
          s += p;
          m += Math.abs(p);
        }
        data[bi * M * N + i * N + j] = s;
        magnitude[bi * M * N + i * N + j] = m;
      }
    }
  }
  return { out: { shape: [...batch, M, N], data }, magnitude };
}

/** Output dim i is input dim perm[i]. */
export function permuteRef(x: Ref, perm: readonly number[]): Ref {
  const shape = perm.map((p) => x.shape[p]);
  const st = strides(x.shape);
  const n = numel(shape);
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const c = coordOf(i, shape);
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += c[d] * st[perm[d]];
    data[i] = x.data[src];
  }
  return { shape, data };
}
