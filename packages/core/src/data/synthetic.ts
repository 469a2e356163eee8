import type { DType } from '../backend/types.js';
import { fromArray } from '../tensor/creation.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** Randomness options shared by the synthetic generators. */
export interface SyntheticOptions {
  /** Seeds a private generator (reproducible data) when no `generator` is given (default: the global one). */
  seed?: number;
  /** The generator to draw from (scikit-learn's `random_state`); it wins over `seed`. */
  generator?: Generator;
  /** Shuffle the samples (default true, as in scikit-learn). */
  shuffle?: boolean;
  /** Backend for the returned tensors. */
  device?: string;
}

function rngOf(o: SyntheticOptions): Generator {
  return o.generator ?? (o.seed !== undefined ? new Generator(o.seed) : defaultGenerator);
}

function checkCount(op: string, n: number, name = 'nSamples'): void {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${op}: ${name} must be a non-negative integer, got ${n}`);
}

/** Row-major [n, f] float64 samples and their targets, shuffled together by rows. */
function finish(
  op: string,
  x: Float64Array,
  y: Float64Array,
  n: number,
  f: number,
  yCols: number,
  yDtype: DType,
  rng: Generator,
  o: SyntheticOptions,
): [Tensor, Tensor] {
  const order = (o.shuffle ?? true) ? rng.permutation(n) : null;
  const [xp, yp] = permuteRows(x, y, n, f, yCols, order);
  const ys = yDtype === 'int32' ? Int32Array.from(yp) : Float32Array.from(yp);
  const yShape = yCols === 1 ? [n] : [n, yCols];
  return [fromArray(op, Float32Array.from(xp), [n, f], 'float32', o), fromArray(op, ys, yShape, yDtype, o)];
}

/** `[nOuter, nInner]` from a total (floor(n/2) outer) or a pair, both checked. */
function splitPair(op: string, nSamples: number | readonly [number, number]): [number, number] {
  const [nOut, nIn] =
    typeof nSamples === 'number' ? [Math.floor(nSamples / 2), nSamples - Math.floor(nSamples / 2)] : nSamples;
  checkCount(op, nOut);
  checkCount(op, nIn);
  return [nOut, nIn];
}

/** The 2-D two-class tail of makeMoons/makeCircles: scikit-learn shuffles first, then adds noise. */
function shuffleNoiseFinish(
  op: string,
  x: Float64Array,
  y: Float64Array,
  opts: MakeMoonsOptions,
): [Tensor, Tensor] {
  const n = y.length;
  const rng = rngOf(opts);
  const order = (opts.shuffle ?? true) ? rng.permutation(n) : null;
  const [xs, ys] = permuteRows(x, y, n, 2, 1, order);
  addNoise(xs, opts.noise, rng);
  return finish(op, xs, ys, n, 2, 1, 'int32', rng, { ...opts, shuffle: false });
}

function addNoise(x: Float64Array, noise: number | undefined, rng: Generator): void {
  if (!noise) return;
  for (let i = 0; i < x.length; i++) x[i] += noise * rng.normal();
}

/** Options of {@link makeMoons}. */
export interface MakeMoonsOptions extends SyntheticOptions {
  /** Standard deviation of Gaussian noise added to the points (default none). */
  noise?: number;
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): `[X float32 [n, 2], y int32 [n]]`.
 * `nSamples` is a total (split floor(n/2) outer, the rest inner) or `[nOuter, nInner]`.
 *
 * @throws Error when a count is not a non-negative integer.
 *
 * @example
 * ```ts
 * const [x, y] = data.makeMoons(200, { noise: 0.1, seed: 0 }); // x [200, 2], y [200]
 * ```
 */
export function makeMoons(
  nSamples: number | readonly [number, number] = 100,
  opts: MakeMoonsOptions = {},
): [Tensor, Tensor] {
  const [nOut, nIn] = splitPair('makeMoons', nSamples);
  const n = nOut + nIn;
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const lin = (k: number, m: number): number => (m > 1 ? (Math.PI * k) / (m - 1) : 0);
  for (let i = 0; i < nOut; i++) {
    x[2 * i] = Math.cos(lin(i, nOut));
    x[2 * i + 1] = Math.sin(lin(i, nOut));
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    x[2 * r] = 1 - Math.cos(lin(i, nIn));
    x[2 * r + 1] = 1 - Math.sin(lin(i, nIn)) - 0.5;
    y[r] = 1;
  }
  return shuffleNoiseFinish('makeMoons', x, y, opts);
}

/** Options of {@link makeCircles}. */
export interface MakeCirclesOptions extends MakeMoonsOptions {
  /** Scale factor between the inner and outer circle, in [0, 1) (default 0.8). */
  factor?: number;
}

/**
 * A large circle containing a smaller one (scikit-learn's `make_circles`):
 * `[X float32 [n, 2], y int32 [n]]`, label 0 on the outer circle (radius 1), 1 on the inner (radius `factor`).
 *
 * @throws Error when a count is not a non-negative integer, or `factor` is outside [0, 1).
 *
 * @example
 * ```ts
 * const [x, y] = data.makeCircles(200, { noise: 0.05, factor: 0.5, seed: 0 });
 * ```
 */
export function makeCircles(
  nSamples: number | readonly [number, number] = 100,
  opts: MakeCirclesOptions = {},
): [Tensor, Tensor] {
  const factor = opts.factor ?? 0.8;
  if (!(factor >= 0 && factor < 1))
    throw new Error(`makeCircles: factor has to be between 0 and 1, got ${factor}`);
  const [nOut, nIn] = splitPair('makeCircles', nSamples);
  const n = nOut + nIn;
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < nOut; i++) {
    const a = (2 * Math.PI * i) / nOut;
    x[2 * i] = Math.cos(a);
    x[2 * i + 1] = Math.sin(a);
  }
  for (let i = 0; i < nIn; i++) {
    const a = (2 * Math.PI * i) / nIn;
    const r = nOut + i;
    x[2 * r] = factor * Math.cos(a);
    x[2 * r + 1] = factor * Math.sin(a);
    y[r] = 1;
  }
  return shuffleNoiseFinish('makeCircles', x, y, opts);
}

/** Rows of `x` ([n, f]) and `y` ([n, yCols]) reordered by `order` (as they are when null). */
function permuteRows(
  x: Float64Array,
  y: Float64Array,
  n: number,
  f: number,
  yCols: number,
  order: Int32Array | null,
): [Float64Array, Float64Array] {
  if (!order) return [x, y];
  const xs = new Float64Array(x.length);
  const ys = new Float64Array(y.length);
  for (let i = 0; i < n; i++) {
    xs.set(x.subarray(order[i] * f, order[i] * f + f), i * f);
    ys.set(y.subarray(order[i] * yCols, order[i] * yCols + yCols), i * yCols);
  }
  return [xs, ys];
}

/** Options of {@link makeBlobs}. */
export interface MakeBlobsOptions extends SyntheticOptions {
  /** The number of centers (drawn uniformly in `centerBox`; default 3) or their coordinates. */
  centers?: number | readonly (readonly number[])[];
  /** Features per sample when `centers` is a number (default 2). */
  nFeatures?: number;
  /** Standard deviation of each cluster: one for all, or one per center (default 1). */
  clusterStd?: number | readonly number[];
  /** Bounds of the random centers (default [-10, 10]). */
  centerBox?: readonly [number, number];
}

/**
 * Isotropic Gaussian blobs (scikit-learn's `make_blobs`): `[X float32 [n, nFeatures], y int32 [n]]`,
 * `y` the blob index; samples are split evenly over the centers (the first get one more).
 *
 * @throws Error when a count is not a non-negative integer, the given centers are empty or of
 *   different lengths, or `clusterStd` has not one value per center.
 *
 * @example
 * ```ts
 * const [x, y] = data.makeBlobs(300, { centers: 4, clusterStd: 0.5, seed: 1 }); // x [300, 2], y in 0..3
 * ```
 */
export function makeBlobs(nSamples = 100, opts: MakeBlobsOptions = {}): [Tensor, Tensor] {
  checkCount('makeBlobs', nSamples);
  const rng = rngOf(opts);
  let centers: number[][];
  if (typeof opts.centers === 'object') {
    centers = opts.centers.map((c) => [...c]);
    if (centers.length === 0 || centers.some((c) => c.length !== centers[0].length)) {
      throw new Error('makeBlobs: centers must be a non-empty array of points of equal length');
    }
  } else {
    const k = opts.centers ?? 3;
    checkCount('makeBlobs', k, 'centers');
    const f = opts.nFeatures ?? 2;
    checkCount('makeBlobs', f, 'nFeatures');
    const [lo, hi] = opts.centerBox ?? [-10, 10];
    centers = Array.from({ length: k }, () => Array.from({ length: f }, () => lo + (hi - lo) * rng.random()));
  }
  const k = centers.length;
  const f = centers[0].length;
  const std =
    typeof opts.clusterStd === 'object'
      ? [...opts.clusterStd]
      : new Array<number>(k).fill(opts.clusterStd ?? 1);
  if (std.length !== k) throw new Error(`makeBlobs: clusterStd has ${std.length} values for ${k} centers`);
  const x = new Float64Array(nSamples * f);
  const y = new Float64Array(nSamples);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(nSamples / k) + (c < nSamples % k ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      for (let j = 0; j < f; j++) x[row * f + j] = centers[c][j] + std[c] * rng.normal();
      y[row] = c;
    }
  }
  return finish('makeBlobs', x, y, nSamples, f, 1, 'int32', rng, opts);
}

/** Options of {@link makeRegression}. */
export interface MakeRegressionOptions extends SyntheticOptions {
  /** Features per sample (default 100). */
  nFeatures?: number;
  /** Features that enter the linear model (default 10, at most nFeatures). */
  nInformative?: number;
  /** Regression targets per sample (default 1: y is 1-D). */
  nTargets?: number;
  /** Intercept added to y (default 0). */
  bias?: number;
  /** Standard deviation of Gaussian noise added to y (default 0). */
  noise?: number;
}

/**
 * A random linear regression problem (scikit-learn's `make_regression`): standard normal X, a
 * sparse ground-truth coefficient vector with `nInformative` entries uniform in [0, 100),
 * `y = X·coef + bias + noise`. Returns `[X float32 [n, nFeatures], y float32 [n] or [n, nTargets]]`.
 *
 * @throws Error when `nSamples` or `nFeatures` is not a non-negative integer, or `nTargets` not
 *   a positive one.
 *
 * @example
 * ```ts
 * const [x, y] = data.makeRegression(100, { nFeatures: 5, nInformative: 3, noise: 0.1, seed: 0 });
 * ```
 */
export function makeRegression(nSamples = 100, opts: MakeRegressionOptions = {}): [Tensor, Tensor] {
  checkCount('makeRegression', nSamples);
  const f = opts.nFeatures ?? 100;
  const t = opts.nTargets ?? 1;
  checkCount('makeRegression', f, 'nFeatures');
  if (!Number.isInteger(t) || t < 1)
    throw new Error(`makeRegression: nTargets must be a positive integer, got ${t}`);
  const nInf = Math.min(f, opts.nInformative ?? 10);
  const rng = rngOf(opts);
  const x = new Float64Array(nSamples * f);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const coef = new Float64Array(f * t);
  for (let i = 0; i < nInf * t; i++) coef[i] = 100 * rng.random();
  const y = new Float64Array(nSamples * t).fill(opts.bias ?? 0);
  for (let i = 0; i < nSamples; i++) {
    for (let j = 0; j < f; j++) for (let c = 0; c < t; c++) y[i * t + c] += x[i * f + j] * coef[j * t + c];
  }
  addNoise(y, opts.noise, rng);
  if (opts.shuffle ?? true) shuffleColumns(x, nSamples, f, rng);
  return finish('makeRegression', x, y, nSamples, f, t, 'float32', rng, opts);
}

/** scikit-learn also permutes the feature columns when shuffling, so informative ones are not first. */
function shuffleColumns(x: Float64Array, n: number, f: number, rng: Generator): void {
  const perm = rng.permutation(f);
  const row = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) row[j] = x[i * f + perm[j]];
    x.set(row, i * f);
  }
}

/** Options of {@link makeClassification}. */
export interface MakeClassificationOptions extends SyntheticOptions {
  /** Total features (default 20). */
  nFeatures?: number;
  /** Informative features (default 2, at most nFeatures). */
  nInformative?: number;
  /** Linear combinations of the informative features (default 2, or fewer if nFeatures leaves no room). */
  nRedundant?: number;
  /** Copies of informative/redundant features (default 0). */
  nRepeated?: number;
  /** Classes (default 2). */
  nClasses?: number;
  /** Gaussian clusters per class (default 2, or fewer if 2^nInformative leaves no room). */
  nClustersPerClass?: number;
  /** Fraction of labels assigned at random (default 0.01). */
  flipY?: number;
  /** Half the side of the hypercube whose vertices are the cluster centers (default 1). */
  classSep?: number;
  /** Put the centers on the hypercube's vertices (default true) or on a random polytope. */
  hypercube?: boolean;
  /** Added to every feature (default 0). */
  shift?: number;
  /** Multiplies every feature (default 1). */
  scale?: number;
}

/**
 * A random n-class problem (scikit-learn's `make_classification`): Gaussian clusters on the
 * vertices of a hypercube in the informative subspace, each with a random covariance, plus
 * redundant, repeated and noise features. Returns `[X float32 [n, nFeatures], y int32 [n]]`.
 *
 * @throws Error when a count is not a non-negative integer, the informative, redundant and
 *   repeated features outnumber `nFeatures`, or `nClasses * nClustersPerClass` exceeds
 *   `2 ** nInformative`.
 *
 * @example
 * ```ts
 * const [x, y] = data.makeClassification(500, { nFeatures: 10, nInformative: 4, nClasses: 3, seed: 0 });
 * ```
 */
export function makeClassification(nSamples = 100, opts: MakeClassificationOptions = {}): [Tensor, Tensor] {
  const op = 'makeClassification';
  checkCount(op, nSamples);
  const f = opts.nFeatures ?? 20;
  const nInf = opts.nInformative ?? Math.min(2, f);
  const nRep = opts.nRepeated ?? 0;
  const nRed = opts.nRedundant ?? Math.max(0, Math.min(2, f - nInf - nRep));
  const classes = opts.nClasses ?? 2;
  const perClass = opts.nClustersPerClass ?? Math.max(1, Math.min(2, Math.floor(2 ** nInf / classes)));
  const sep = opts.classSep ?? 1;
  for (const [name, v] of Object.entries({
    nFeatures: f,
    nInformative: nInf,
    nRedundant: nRed,
    nRepeated: nRep,
  })) {
    checkCount(op, v, name);
  }
  if (nInf + nRed + nRep > f) {
    throw new Error(
      `${op}: number of informative (${nInf}), redundant (${nRed}) and repeated (${nRep}) features must sum to at most nFeatures (${f})`,
    );
  }
  if (classes * perClass > 2 ** nInf) {
    throw new Error(
      `${op}: nClasses (${classes}) * nClustersPerClass (${perClass}) must be at most 2**nInformative (${2 ** nInf})`,
    );
  }
  const rng = rngOf(opts);
  const clusters = classes * perClass;
  const counts = new Array<number>(clusters).fill(Math.floor(nSamples / clusters));
  for (let i = 0; i < nSamples - counts.reduce((a, b) => a + b, 0); ) counts[i++ % clusters]++;
  const centroids = hypercube(clusters, nInf, rng).map((v) => v.map((b) => b * 2 * sep - sep));
  if (opts.hypercube === false) {
    const rowScale = centroids.map(() => rng.random());
    const colScale = Array.from({ length: nInf }, () => rng.random());
    for (const [i, c] of centroids.entries())
      for (let j = 0; j < nInf; j++) c[j] *= rowScale[i] * colScale[j];
  }
  const x = new Float64Array(nSamples * f);
  const y = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) for (let j = 0; j < nInf; j++) x[i * f + j] = rng.normal();
  let start = 0;
  const tmp = new Float64Array(nInf);
  for (let k = 0; k < clusters; k++) {
    const a = Array.from({ length: nInf * nInf }, () => 2 * rng.random() - 1);
    for (let i = start; i < start + counts[k]; i++) {
      y[i] = k % classes;
      for (let c = 0; c < nInf; c++) {
        let s = 0;
        for (let r = 0; r < nInf; r++) s += x[i * f + r] * a[r * nInf + c];
        tmp[c] = s + centroids[k][c];
      }
      x.set(tmp, i * f);
    }
    start += counts[k];
  }
  if (nRed > 0) {
    const b = Array.from({ length: nInf * nRed }, () => 2 * rng.random() - 1);
    for (let i = 0; i < nSamples; i++) {
      for (let c = 0; c < nRed; c++) {
        let s = 0;
        for (let r = 0; r < nInf; r++) s += x[i * f + r] * b[r * nRed + c];
        x[i * f + nInf + c] = s;
      }
    }
  }
  if (nRep > 0) {
    const m = nInf + nRed;
    const src = Array.from({ length: nRep }, () => Math.floor((m - 1) * rng.random() + 0.5));
    for (let i = 0; i < nSamples; i++) for (let c = 0; c < nRep; c++) x[i * f + m + c] = x[i * f + src[c]];
  }
  for (let i = 0; i < nSamples; i++) for (let j = nInf + nRed + nRep; j < f; j++) x[i * f + j] = rng.normal();
  const flip = opts.flipY ?? 0.01;
  if (flip > 0) {
    const mask = Array.from({ length: nSamples }, () => rng.random() < flip);
    mask.forEach((m, i) => {
      if (m) y[i] = rng.int(0, classes);
    });
  }
  const shift = opts.shift ?? 0;
  const scale = opts.scale ?? 1;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] + shift) * scale;
  if (opts.shuffle ?? true) {
    const order = rng.permutation(nSamples);
    const [xs, ys] = permuteRows(x, y, nSamples, f, 1, order);
    shuffleColumns(xs, nSamples, f, rng);
    return finish(op, xs, ys, nSamples, f, 1, 'int32', rng, { ...opts, shuffle: false });
  }
  return finish(op, x, y, nSamples, f, 1, 'int32', rng, opts);
}

/** `samples` distinct random vertices of the unit hypercube in `dims` dimensions. */
function hypercube(samples: number, dims: number, rng: Generator): number[][] {
  const low = Math.min(dims, 30);
  const seen = new Set<number>();
  const out: number[][] = [];
  while (out.length < samples) {
    const v = Math.floor(rng.random() * 2 ** low);
    if (seen.has(v)) continue;
    seen.add(v);
    const bits: number[] = Array.from({ length: dims - low }, () => (rng.random() < 0.5 ? 0 : 1));
    for (let b = low - 1; b >= 0; b--) bits.push(Math.floor(v / 2 ** b) % 2);
    out.push(bits);
  }
  return out;
}
