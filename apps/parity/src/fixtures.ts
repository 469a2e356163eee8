// Reading the PyTorch fixture files of packages/core/fixtures and converting between their
// encoded tensors, our tensors and plain Values.
import { readFileSync } from 'node:fs';
import { type DType, type nn, type optim, type Tensor, tensor } from '@proj/core';
import { activeReads, currentReads, readsSync } from './deferred-values.js';
import type { Values } from './types.js';

/** A tensor as the fixture files write it: flat row-major data. */
export interface Enc {
  shape: number[];
  dtype?: string;
  data: (number | boolean)[];
  requiresGrad?: boolean;
  /** ops.json: PyTorch ran the op on a transposed view of the last two dims. */
  transposed?: boolean;
}

const cache = new Map<string, unknown>();

/** The parsed fixture file `name` (e.g. 'ops.json'), read once. */
export function loadFixture<T>(name: string): T {
  if (!cache.has(name)) {
    const url = new URL(`../../../packages/core/fixtures/${name}`, import.meta.url);
    cache.set(name, JSON.parse(readFileSync(url, 'utf8')));
  }
  return cache.get(name) as T;
}

/** A fixture tensor as ours on the current backend; a fresh leaf when `requiresGrad`. */
export function dec(e: Enc, requiresGrad = false): Tensor {
  const dtype = (e.dtype ?? 'float32') as DType;
  const data = dtype === 'bool' ? e.data.map(Boolean) : e.data.map(Number);
  const t = tensor(data as number[], { dtype }).reshape([...e.shape]);
  return requiresGrad ? t.detach().requiresGrad_(true) : t;
}

/** Integer and bool values compare exactly. */
function isExact(dtype: string | undefined): boolean {
  return dtype === 'int32' || dtype === 'int64' || dtype === 'uint8' || dtype === 'bool';
}

/** A fixture tensor as Values (the expected side of a comparison). */
export function encValues(e: Enc, exact = isExact(e.dtype)): Values {
  return { shape: e.shape, data: e.data.map(Number), exact };
}

/**
 * Reads a tensor back to Values; int and bool results compare exactly. On a backend that reads
 * only asynchronously the Values are filled after the case body (from a copy taken now), by
 * the runner: the body must not look at their `data` (derive with {@link joinValues} /
 * {@link selectValues}).
 */
export function values(t: Tensor): Values {
  const exact = isExact(t.dtype);
  if (!readsSync(t)) return activeReads(t).read(t, exact);
  return { shape: [...t.shape], data: Array.from(t.dataSync() as ArrayLike<number>, Number), exact };
}

/** The data of `parts` end to end, as one Values of `shape` (per-step losses, trajectories). */
export function joinValues(parts: readonly Values[], shape: readonly number[]): Values {
  const join = () => parts.flatMap((p) => p.data);
  const reads = deferredOf(parts);
  return reads ? reads.derive(shape, join) : { shape, data: join() };
}

/** The elements of `v` that `keep` accepts (by flat position), as Values of `shape`. */
export function selectValues(v: Values, keep: (i: number) => boolean, shape: readonly number[]): Values {
  const pick = () => v.data.filter((_, i) => keep(i));
  const reads = deferredOf([v]);
  return reads ? reads.derive(shape, pick) : { shape, data: pick() };
}

/** The running collector when one of `vs` is still to be read, else undefined. */
function deferredOf(vs: readonly Values[]) {
  const reads = currentReads();
  return reads && vs.some((v) => reads.pending(v)) ? reads : undefined;
}

/** Flat data of `shape` with its last two dims swapped, and the swapped shape. */
export function swapLastTwo<T>(data: T[], shape: number[]): [T[], number[]] {
  const [rows, cols] = shape.slice(-2) as [number, number];
  const out: T[] = [];
  for (let b = 0; b < data.length; b += rows * cols) {
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(data[b + i * cols + j]!);
  }
  return [out, [...shape.slice(0, -2), cols, rows]];
}

/**
 * Disposes a module's parameters, their gradients and its buffers. Parameters outlive `tidy`
 * by design; releasing them at the end of a case keeps the leak count about the backend.
 */
export function release(m: nn.Module): void {
  for (const p of m.parameters()) {
    p.grad?.dispose();
    p.dispose();
  }
  for (const b of m.buffers()) b.dispose();
}

/**
 * Disposes an optimizer's state tensors (moments, buffers; they are kept out of `tidy`),
 * including those an optimizer keeps outside `state` (LBFGS's curvature pairs).
 */
export function releaseOptimizer(opt: optim.Optimizer): void {
  opt.disposeState();
}
