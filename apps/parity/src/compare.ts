// Elementwise comparison of two sets of outputs under one tolerance.
import type { Tolerance } from './tolerances.js';
import type { Diff, Outputs } from './types.js';

/**
 * Compares `got` with `want` name by name. maxAbs is max |got − want|; maxRel is max
 * |got − want| / |want| over elements with |want| > atol (below the floor a relative error says
 * nothing). A missing output, a shape difference or a lone NaN fails with an infinite error.
 */
export function compareOutputs(got: Outputs, want: Outputs, tol: Tolerance): Diff {
  let maxAbs = 0;
  let maxRel = 0;
  let worst: string | undefined;
  const fail = (msg: string) => {
    maxAbs = Number.POSITIVE_INFINITY;
    maxRel = Number.POSITIVE_INFINITY;
    worst ??= msg;
  };
  for (const [name, w] of Object.entries(want)) {
    const g = got[name];
    if (!g) {
      fail(`${name}: missing`);
      continue;
    }
    if (g.shape.join(',') !== w.shape.join(',')) {
      fail(`${name}: shape [${g.shape}] vs [${w.shape}]`);
      continue;
    }
    const exact = w.exact === true;
    for (let i = 0; i < w.data.length; i++) {
      const a = Number(g.data[i]);
      const b = Number(w.data[i]);
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      if (a === b) continue;
      const abs = Math.abs(a - b);
      const bad = exact || !(abs <= tol.atol + tol.rtol * Math.abs(b));
      if (Number.isNaN(abs)) {
        fail(`${name}[${i}]: ${a} vs ${b}`);
        continue;
      }
      if (abs > maxAbs) maxAbs = abs;
      if (Math.abs(b) > tol.atol && abs / Math.abs(b) > maxRel) maxRel = abs / Math.abs(b);
      if (bad) worst ??= `${name}[${i}]: ${a} vs ${b}`;
    }
  }
  return worst === undefined ? { maxAbs, maxRel, pass: true } : { maxAbs, maxRel, pass: false, worst };
}
