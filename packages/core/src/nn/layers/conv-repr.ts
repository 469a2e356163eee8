// Python-style formatting for the reprs of the spatial layers, so `toString()` reads like
// PyTorch's (`Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))`).

/** A number as Python prints a float: `2.0`, `0.1`, `1e-05`. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

/** A tuple as Python prints it: `(3, 3)`, `(3,)`. */
export function pyTuple(v: readonly (number | string | null)[]): string {
  const items = v.map((x) => (x === null ? 'None' : String(x)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** A Python bool. */
export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A number, tuple, or null as Python prints an int-or-tuple argument. */
export function pyValue(v: number | readonly (number | null)[] | null | undefined): string {
  if (v === null || v === undefined) return 'None';
  return typeof v === 'number' ? String(v) : pyTuple(v);
}
