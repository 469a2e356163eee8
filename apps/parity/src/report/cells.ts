// Shared formatting of one cell for the terminal and HTML tables.
import type { CellResult } from '../types.js';

/** `1.2e-7`, `0` or `inf`. */
export function sci(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return 'inf';
  return x === 0 ? '0' : x.toExponential(1);
}

/** The larger error of the two comparisons (vs cpu, vs PyTorch). */
export function worstOf(c: CellResult): { abs: number | undefined; rel: number | undefined } {
  const ds = [c.vsCpu, c.vsTorch].filter((d) => d !== undefined);
  if (ds.length === 0) return { abs: undefined, rel: undefined };
  return { abs: Math.max(...ds.map((d) => d.maxAbs)), rel: Math.max(...ds.map((d) => d.maxRel)) };
}

/** Short status word. */
export const STATUS = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'skip' } as const;
