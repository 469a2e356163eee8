import type { Tensor } from './tensor.js';

const scopes: Tensor[][] = [];

/**
 * Called by the Tensor constructor after `storage.retain()` (which counts the tensor): adds it
 * to the open tidy scope. What the garbage collector reclaims is finalized per storage.
 */
export function trackTensor(t: Tensor): void {
  const n = scopes.length;
  if (n > 0) scopes[n - 1].push(t);
}

/**
 * Runs `fn` and disposes every tensor created inside it, except the tensors it returns
 * (found in a returned tensor, array or plain object) and those marked with {@link keep}.
 * Returned tensors move to the enclosing scope.
 *
 * ```ts
 * const y = tidy(() => x.mul(2).add(1).relu()); // the intermediates are freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  scopes.push([]);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    disposeScope(scopes.pop()!, new Set());
    throw e;
  }
  if (result instanceof Promise) {
    disposeScope(scopes.pop()!, new Set());
    throw new Error('tidy: the function must be synchronous (it returned a Promise)');
  }
  const keepSet = new Set<Tensor>();
  collectTensors(result, keepSet, 0);
  const scope = scopes.pop()!;
  disposeScope(scope, keepSet);
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of keepSet) if (!t.isDisposed) parent.push(t);
  return result;
}

/** Exempts `t` from disposal by the enclosing {@link tidy} scopes (it must be disposed by hand or by the GC). */
export function keep<T extends Tensor>(t: T): T {
  t._kept = true;
  return t;
}

function disposeScope(scope: Tensor[], keepSet: Set<Tensor>): void {
  for (const t of scope) {
    if (!t._kept && !t.isDisposed && !keepSet.has(t)) t.dispose();
  }
}

function collectTensors(v: unknown, out: Set<Tensor>, depth: number): void {
  if (v === null || typeof v !== 'object' || depth > 4) return;
  if (isTensor(v)) {
    out.add(v);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) collectTensors(x, out, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(v) === Object.prototype || v instanceof Map) {
    const values = v instanceof Map ? v.values() : Object.values(v);
    for (const x of values) collectTensors(x, out, depth + 1);
  }
}

let tensorClass: (abstract new (...args: never[]) => Tensor) | undefined;

export function setTensorClass(cls: abstract new (...args: never[]) => Tensor): void {
  tensorClass = cls;
}

function isTensor(v: unknown): v is Tensor {
  return tensorClass !== undefined && v instanceof tensorClass;
}
