// Every session cache of this package (the backend's primitive sessions, compile's
// per-shape sessions, the web backend's) keeps its ORT sessions in core's LruMap: without a
// bound, a workload whose shapes keep changing builds sessions forever (~100 KB native each).
export { LruMap } from '@proj/core';

/** Validates an entry budget given by a user: a positive integer (Infinity allowed). */
export function checkLimit(op: string, limit: unknown, option = 'maxSessions'): number {
  if (
    typeof limit !== 'number' ||
    !(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))
  ) {
    throw new Error(`${op}: ${option} must be a positive integer (or Infinity), got ${String(limit)}`);
  }
  return limit;
}
