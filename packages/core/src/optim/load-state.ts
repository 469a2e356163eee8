import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from './params.js';

// The checks of Optimizer.loadStateDict. Its argument may come from a file (via `load`), so
// nothing about it is trusted: every index, key and value is checked before the optimizer
// changes, and names are looked up as own keys only.

/** A checked optimizer state dict: the saved groups in order, and the state of each parameter. */
export interface CheckedStateDict {
  groups: (Record<string, unknown> & { params: unknown[] })[];
  state: Map<Tensor, Record<string, Tensor | number>>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor);
}

/**
 * What a state tensor must look like: null when `v` is acceptable as state `key` of parameter
 * `p`, else what was expected. The default: the parameter's shape (moments, buffers).
 */
export type StateTensorCheck = (key: string, v: Tensor, p: Tensor) => string | null;

/** The usual state tensor: one value per element of the parameter. */
export const sameShapeAsParam: StateTensorCheck = (_key, v, p) =>
  shapesEqual(v.shape, p.shape) ? null : `the parameter has ${fmtShape(p.shape)}`;

/**
 * Checks `sd` against the optimizer's current `groups`: an object `{ state, paramGroups }` with
 * as many groups, each with as many parameter indices (distinct non-negative integers); state
 * keyed by those indices, each entry a record of finite numbers and of tensors that
 * `checkTensor` accepts (by default: of the parameter's shape).
 */
export function checkOptimizerStateDict(
  op: string,
  sd: unknown,
  current: readonly { params: readonly Tensor[] }[],
  checkTensor: StateTensorCheck = sameShapeAsParam,
): CheckedStateDict {
  if (!isRecord(sd)) {
    throw new TypeError(
      `${op}: expected an optimizer state dict object ({ state, paramGroups }), got ${describeValue(sd)}`,
    );
  }
  const saved = Object.hasOwn(sd, 'paramGroups') ? sd.paramGroups : undefined;
  const state = Object.hasOwn(sd, 'state') ? sd.state : undefined;
  if (!Array.isArray(saved))
    throw new TypeError(`${op}: expected {state, paramGroups}: paramGroups is ${describeValue(saved)}`);
  if (!isRecord(state))
    throw new TypeError(`${op}: expected {state, paramGroups}: state is ${describeValue(state)}`);
  if (saved.length !== current.length) {
    throw new Error(
      `${op}: loaded state dict has ${saved.length} parameter groups but the optimizer has ${current.length}`,
    );
  }
  const byIndex = new Map<number, Tensor>();
  current.forEach((g, gi) => {
    const s: unknown = saved[gi];
    if (!isRecord(s))
      throw new TypeError(`${op}: parameter group ${gi} is ${describeValue(s)}, expected an object`);
    const ids = Object.hasOwn(s, 'params') ? s.params : undefined;
    if (!Array.isArray(ids) || ids.length !== g.params.length) {
      throw new Error(
        `${op}: parameter group ${gi} has ${Array.isArray(ids) ? ids.length : 0} parameters in the state dict but ${g.params.length} in the optimizer`,
      );
    }
    ids.forEach((id: unknown, j) => {
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
        throw new Error(
          `${op}: parameter group ${gi}: params[${j}] must be a non-negative integer index, got ${describeValue(id)}`,
        );
      }
      if (byIndex.has(id))
        throw new Error(`${op}: parameter index ${id} appears more than once in paramGroups`);
      byIndex.set(id, g.params[j]);
    });
  });
  const out = new Map<Tensor, Record<string, Tensor | number>>();
  for (const [key, entry] of Object.entries(state)) {
    // Only canonical indices: '01' or '1.0' would alias parameter 1.
    const p = String(Number(key)) === key ? byIndex.get(Number(key)) : undefined;
    if (p === undefined) throw new Error(`${op}: state for unknown parameter index ${key}`);
    if (!isRecord(entry))
      throw new TypeError(`${op}: state of parameter ${key} is ${describeValue(entry)}, expected an object`);
    const checked: Record<string, Tensor | number> = Object.create(null);
    for (const [k, v] of Object.entries(entry)) {
      if (v instanceof Tensor) {
        if (v.isDisposed) throw new Error(`${op}: state '${k}' of parameter ${key} was disposed`);
        const problem = checkTensor(k, v, p);
        if (problem !== null) {
          throw new Error(
            `${op}: state '${k}' of parameter ${key} has shape ${fmtShape(v.shape)} but ${problem}`,
          );
        }
      } else if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new TypeError(
          `${op}: state '${k}' of parameter ${key} must be a Tensor or a finite number, got ${describeValue(v)}`,
        );
      }
      checked[k] = v;
    }
    out.set(p, checked);
  }
  return { groups: saved as CheckedStateDict['groups'], state: out };
}
