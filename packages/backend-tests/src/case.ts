import { type Backend, listBackends } from '@proj/core';
import type { Tols } from './checks.js';

/** Something a case needs from the backend beyond the required primitive set. */
export type Requirement =
  /** The backend stores and computes float64 (`supportsDtype('float64')`). */
  | 'float64'
  /** The backend stores and computes int64 (`supportsDtype('int64')`). */
  | 'int64'
  /** The backend stores and computes uint8 (`supportsDtype('uint8')`). */
  | 'uint8'
  /**
   * The backend stores float16 (`supportsDtype('float16')`: core rounds half results on the
   * host, so a backend that reads only asynchronously has no half dtypes).
   */
  | 'float16'
  /** The backend stores bfloat16 (`supportsDtype('bfloat16')`), as float16. */
  | 'bfloat16'
  /** A second backend is registered, for device-mismatch checks. */
  | 'second-backend'
  /**
   * The backend reads synchronously (`readsSync` is not false): the case checks a synchronous
   * reader itself (`dataSync()`, `item()`), which throws by design on a backend that reads only
   * asynchronously. Value checks never need it (`Tols` reads them asynchronously there).
   */
  | 'readsSync';

/**
 * One conformance case: an id `family/op/variant` and a body that builds tensors with the
 * public API and checks them with `t`. Bodies are synchronous and read values only through
 * `t` (so the same body runs on a backend that reads only asynchronously); the runner wraps
 * each in `tidy` and fails it if tensors or backend buffers leak.
 */
export interface ConformanceCase {
  /** `family/op/variant`, e.g. `binary/add/broadcast-row`; the key of a skip map. */
  readonly id: string;
  /** What the case needs; when the backend lacks it the case is skipped with a recorded reason. */
  readonly requires?: readonly Requirement[];
  readonly run: (t: Tols) => void;
}

/** Builds a case; `requires` is optional. */
export function tcase(
  id: string,
  run: (t: Tols) => void,
  requires?: readonly Requirement[],
): ConformanceCase {
  return requires ? { id, run, requires } : { id, run };
}

/** The family of a case id (`binary` for `binary/add/broadcast-row`). */
export function familyOf(id: string): string {
  return id.split('/')[0];
}

/** The family/op group of a case id (`binary/add` for `binary/add/broadcast-row`). */
export function groupOf(id: string): string {
  return id.split('/').slice(0, 2).join('/');
}

/** Why `backend` cannot run `c`, or undefined when it meets every requirement. */
export function unmetRequirement(c: ConformanceCase, backend: Backend): string | undefined {
  for (const r of c.requires ?? []) {
    if (
      (r === 'float64' || r === 'int64' || r === 'uint8' || r === 'float16' || r === 'bfloat16') &&
      !backend.supportsDtype(r)
    )
      return `backend '${backend.name}' does not support ${r}`;
    if (r === 'readsSync' && backend.readsSync === false) {
      return `backend '${backend.name}' reads only asynchronously; the case checks a synchronous reader`;
    }
    if (r === 'second-backend' && listBackends().filter((n) => n !== backend.name).length === 0) {
      return 'needs a second registered backend';
    }
  }
  return undefined;
}

/** Another registered backend than `name` (for device-mismatch cases). */
export function otherBackend(name: string): string {
  const other = listBackends().find((n) => n !== name);
  if (other === undefined) throw new Error(`no backend registered besides '${name}'`);
  return other;
}

/**
 * The skip reason declared for `id` in `skip`: an exact id, or a `prefix/*` entry covering a
 * whole family or op (`'matmul/*'`, `'binary/pow/*'`).
 */
export function declaredSkip(id: string, skip: Readonly<Record<string, string>>): string | undefined {
  if (skip[id] !== undefined) return skip[id];
  for (const [key, reason] of Object.entries(skip)) {
    if (key.endsWith('/*') && id.startsWith(key.slice(0, -1))) return reason;
  }
  return undefined;
}

/** Skip-map keys that match no case: stale declarations, reported as an error. */
export function unknownSkips(ids: readonly string[], skip: Readonly<Record<string, string>>): string[] {
  return Object.keys(skip).filter((key) =>
    key.endsWith('/*') ? !ids.some((id) => id.startsWith(key.slice(0, -1))) : !ids.includes(key),
  );
}
