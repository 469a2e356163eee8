import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

/** Reference softmax in float64: exp(x - max) / sum. */
function softmaxRef(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function logSoftmaxRef(x: number[]): number[] {
  const m = Math.max(...x);
  const lse = m + Math.log(x.reduce((a, v) => a + Math.exp(v - m), 0));
  return x.map((v) => v - lse);
}

const ROWS = [
  [1, 2, 3],
  [-1, 0, 0.5],
];
const INF = Number.POSITIVE_INFINITY;

/** softmax / logSoftmax along each dim, on huge spreads (no NaN/Inf) and -Infinity masks. */
export const softmaxCases: ConformanceCase[] = [
  tcase('softmax/softmax/vector', (t) => {
    t.close(f32([1, 2, 3]).softmax(0), softmaxRef([1, 2, 3]));
  }),
  tcase('softmax/softmax/dims', (t) => {
    t.close(f32(ROWS).softmax(1), ROWS.map(softmaxRef));
    t.close(f32(ROWS).softmax(-1), ROWS.map(softmaxRef));
    const cols = [0, 1, 2].map((j) => softmaxRef([ROWS[0][j], ROWS[1][j]]));
    t.close(f32(ROWS).softmax(0), [cols.map((c) => c[0]), cols.map((c) => c[1])]);
  }),
  tcase('softmax/softmax/huge-values', (t) => {
    // exp(1e4) overflows float32 and float64: only a max-subtracting kernel gets these
    // (close() also rejects NaN and ±Infinity where a finite value is expected)
    t.close(f32([0, 1e4]).softmax(0), [0, 1]);
    t.close(f32([1e4, 1e4]).softmax(0), [0.5, 0.5]);
    t.close(f32([-1e4, -1e4]).softmax(0), [0.5, 0.5]);
    t.close(f32([[-1e4, 0, 1e4]]).softmax(-1), [[0, 0, 1]]);
  }),
  tcase('softmax/softmax/neg-infinity-mask', (t) => {
    t.close(f32([0, -INF, 0]).softmax(0), [0.5, 0, 0.5]);
  }),
  tcase('softmax/softmax/non-contiguous', (t) => {
    // the transpose's rows are ROWS' columns
    const cols = [0, 1, 2].map((j) => softmaxRef([ROWS[0][j], ROWS[1][j]]));
    t.close(f32(ROWS).transpose(0, 1).softmax(1), cols);
  }),
  tcase('softmax/softmax/3d-middle-dim', (t) => {
    const y = f32([
      [
        [1, 5],
        [3, 5],
      ],
    ]).softmax(1);
    const s = softmaxRef([1, 3]);
    t.close(y, [
      [
        [s[0], 0.5],
        [s[1], 0.5],
      ],
    ]);
  }),
  tcase('softmax/logSoftmax/vector', (t) => {
    t.close(f32([1, 2, 3]).logSoftmax(0), logSoftmaxRef([1, 2, 3]));
    t.close(f32(ROWS).logSoftmax(-1), ROWS.map(logSoftmaxRef));
  }),
  tcase('softmax/logSoftmax/huge-values', (t) => {
    // log(softmax) would give log(0) = -Infinity for the first entry
    t.close(f32([0, 1e4]).logSoftmax(0), [-1e4, 0]);
    t.close(f32([1e4, 1e4]).logSoftmax(0), [-Math.LN2, -Math.LN2]);
    t.close(f32([[-1e4, 0, 1e4]]).logSoftmax(1), [[-2e4, -1e4, 0]]);
  }),
  tcase('softmax/logSoftmax/neg-infinity-mask', (t) => {
    t.close(f32([0, -INF, 0]).logSoftmax(0), [-Math.LN2, -INF, -Math.LN2]);
  }),
];
