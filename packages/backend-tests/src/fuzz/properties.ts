import * as core from '@proj/core';
import { type DType, type Tensor, tensor } from '@proj/core';
import fc from 'fast-check';
import type { Tolerance } from '../tolerance.js';
import {
  broadcastPair,
  elementDtype,
  float32Value,
  nonEmptyShape,
  shapeArb,
  type ValueDomain,
  valuesFor,
} from './arbitraries.js';
import { matmulRef, numel, permuteRef, type Ref, reduceAxes, softmaxRef, zip } from './reference.js';
import {
  cpow,
  INT32_MAX,
  INT32_MIN,
  ipow,
  resultTypeScalar,
  resultTypeTensors,
  roundHalfEven,
  toDtype,
} from './semantics.js';

/** What a property body returns: null when the backend agrees with the reference, else why not. */
export type Verdict = string | null;

/** One fuzzed op family: an arbitrary for its inputs and a body checking one draw. */
export interface FuzzProperty<T = unknown> {
  readonly name: string;
  readonly arb: (domain: ValueDomain) => fc.Arbitrary<T>;
  readonly check: (input: T, tol: Tolerance, domain: ValueDomain) => Verdict;
}

/** The errors of an integer that does not fit (core's wording, or a backend's narrower bound). */
const INT_REFUSED =
  /does not fit int32|does not fit int64|beyond ±\(2\^53 - 1\)|integer division by zero|cannot be stored exactly|hold exactly/;

/**
 * Whether the backend holds `v` as an int32 (in int32's range) or an int64 (within ±(2^53 - 1),
 * where int64 is computed exactly), and below its exact bound.
 */
function holdsInt(v: number, domain: ValueDomain, dtype: DType = 'int32'): boolean {
  const inRange =
    dtype === 'int64' ? Math.abs(v) <= Number.MAX_SAFE_INTEGER : v >= INT32_MIN && v <= INT32_MAX;
  return inRange && (domain.intBound >= 2 ** 31 || Math.abs(v) < domain.intBound);
}

/** Builds a tensor of `dtype` and `shape` from plain values. */
function make(dtype: DType, shape: readonly number[], values: readonly number[]): Tensor {
  const flat =
    dtype === 'int32'
      ? tensor(Int32Array.from(values))
      : dtype === 'bool'
        ? tensor(
            Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0)),
            { dtype: 'bool' },
          )
        : tensor(Float32Array.from(values));
  return flat.reshape([...shape]);
}

/** Bound of |got - want| for one element: exact (0), or the preset scaled by a magnitude. */
type Bound = (i: number) => number;

const exact: Bound = () => 0;

function scaled(tol: Tolerance, want: readonly number[], magnitude?: readonly number[]): Bound {
  return (i) => tol.atol + tol.rtol * Math.max(Math.abs(want[i]), magnitude?.[i] ?? 0);
}

/** Compares a result with the reference: shape, dtype, then every value within its bound. */
function compare(got: Tensor, want: Ref, dtype: DType, bound: Bound): Verdict {
  if (got.dtype !== dtype) return `dtype ${got.dtype}, expected ${dtype}`;
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i]))
    return `shape [${got.shape}], expected [${want.shape}]`;
  // int64 values come back as bigints
  const g = Array.from(got.dataSync<core.DataArray>(), Number);
  for (let i = 0; i < want.data.length; i++) {
    const w = toDtype(want.data[i], dtype);
    const v = g[i];
    if (Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= bound(i))
      continue;
    return `element ${i} is ${v}, expected ${w} (got [${Array.from(g).slice(0, 12)}], want [${want.data.slice(0, 12)}])`;
  }
  return null;
}

/** Runs `fn`, expecting an error whose message matches `pattern`. */
function expectThrow(fn: () => unknown, pattern: RegExp): Verdict {
  try {
    fn();
  } catch (e) {
    const m = (e as Error).message;
    return pattern.test(m) ? null : `threw '${m}', expected ${pattern}`;
  }
  return `returned, expected an error matching ${pattern}`;
}

/** `f` applied to every element (the float64 reference of a unary op). */
function mapRef(x: Ref, f: (v: number) => number): Ref {
  return { shape: x.shape, data: x.data.map(f) };
}

const fdata = (dtype: DType, values: readonly number[]): number[] =>
  values.map((v) => (dtype === 'float32' ? Math.fround(v) : v));

// ---- unary ------------------------------------------------------------------------------

const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse; integrate the series / continued fraction instead.
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Math.sign(x);
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let sum = 0;
  let term = ax;
  for (let n = 0; n < 200; n++) {
    const t = term / (2 * n + 1);
    sum += t;
    term *= (-ax * ax) / (n + 1);
    if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
};

/** Unary float ops: name → [float64 reference, input scale]. */
const UNARY: Record<string, [(v: number) => number, number]> = {
  neg: [(v) => -v, 1e3],
  abs: [Math.abs, 1e3],
  exp: [Math.exp, 20],
  expm1: [Math.expm1, 20],
  log: [Math.log, 1e3],
  log1p: [Math.log1p, 1e3],
  sqrt: [Math.sqrt, 1e3],
  rsqrt: [(v) => 1 / Math.sqrt(v), 1e3],
  reciprocal: [(v) => 1 / v, 1e3],
  sin: [Math.sin, 10],
  cos: [Math.cos, 10],
  tanh: [Math.tanh, 10],
  sigmoid: [(v) => 1 / (1 + Math.exp(-v)), 30],
  relu: [(v) => (v > 0 ? v : Number.isNaN(v) ? v : 0), 1e3],
  erf: [erf, 5],
  floor: [Math.floor, 1e3],
  ceil: [Math.ceil, 1e3],
  round: [roundHalfEven, 1e3],
  // PyTorch: sign(NaN) is 0 and sign(-0) is +0.
  sign: [(v) => (v > 0 ? 1 : v < 0 ? -1 : 0), 1e3],
};

const unaryProp: FuzzProperty<{ op: string; shape: number[]; values: number[] }> = {
  name: 'unary',
  arb: (domain) =>
    fc.record({ op: fc.constantFrom(...Object.keys(UNARY)), shape: shapeArb }).chain(({ op, shape }) =>
      fc
        .array(float32Value(domain, UNARY[op][1], false), {
          minLength: numel(shape),
          maxLength: numel(shape),
        })
        .map((values) => ({ op, shape, values })),
    ),
  check: ({ op, shape, values }, tol) => {
    const x = make('float32', shape, values);
    const got = (x as unknown as Record<string, () => Tensor>)[op]();
    const want = mapRef({ shape, data: fdata('float32', values) }, UNARY[op][0]);
    return compare(got, want, 'float32', scaled(tol, want.data));
  },
};

// ---- binary -----------------------------------------------------------------------------

const ARITH = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
const COMPARE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
type BinaryName = (typeof ARITH)[number] | (typeof COMPARE)[number];
type TensorLike = Tensor | number | boolean;

const BINARY_FNS: Record<BinaryName, (a: TensorLike, b: TensorLike) => Tensor> = {
  add: (a, b) => core.add(a, b),
  sub: (a, b) => core.sub(a, b),
  mul: core.mul,
  div: core.div,
  pow: core.pow,
  maximum: core.maximum,
  minimum: core.minimum,
  eq: core.eq,
  ne: core.ne,
  lt: core.lt,
  le: core.le,
  gt: core.gt,
  ge: core.ge,
};

const REF2: Record<BinaryName, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: cpow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
};

/** An operand: a tensor (dtype, shape, values) or a JS scalar. */
type Operand = { dtype: DType; shape: number[]; values: number[] } | { scalar: number | boolean };

interface BinaryDraw {
  op: BinaryName;
  a: Operand;
  b: Operand;
}

function tensorOperand(shape: number[], domain: ValueDomain): fc.Arbitrary<Operand> {
  return elementDtype.chain((dtype) =>
    valuesFor(dtype, numel(shape), domain).map((values) => ({ dtype, shape, values })),
  );
}

const scalarArb = (domain: ValueDomain): fc.Arbitrary<number | boolean> =>
  fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc
      .double({ min: -5, max: 5, noNaN: true })
      .map(Math.fround)
      .map((v) => (!domain.subnormals && v !== 0 && Math.abs(v) < 2 ** -126 ? 0 : v)),
    fc.boolean(),
    domain.nonFinite
      ? fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)
      : fc.constant(0.5),
    fc.constant(3e9),
  );

const binaryProp: FuzzProperty<BinaryDraw> = {
  name: 'binary',
  arb: (domain) =>
    fc
      .record({
        op: fc.constantFrom<BinaryName>(...ARITH, ...COMPARE),
        base: shapeArb,
        form: fc.constantFrom('tt', 'tt', 'ts', 'st'),
      })
      .chain(({ op, base, form }) =>
        broadcastPair(base).chain(([sa, sb]) =>
          fc
            .tuple(
              form === 'st' ? scalarArb(domain).map((scalar) => ({ scalar })) : tensorOperand(sa, domain),
              form === 'ts' ? scalarArb(domain).map((scalar) => ({ scalar })) : tensorOperand(sb, domain),
            )
            .map(([a, b]) => ({ op, a, b }) as BinaryDraw),
        ),
      ),
  check: ({ op, a, b }, tol, domain) => {
    const ta = 'scalar' in a ? a.scalar : make(a.dtype, a.shape, a.values);
    const tb = 'scalar' in b ? b.scalar : make(b.dtype, b.shape, b.values);
    // The function form takes a scalar on either side, as torch.add(2, t) does.
    const run = (): Tensor => BINARY_FNS[op](ta, tb);
    // The common dtype (PyTorch's result_type) the op computes in.
    let common: DType;
    if ('scalar' in a) common = resultTypeScalar((b as { dtype: DType }).dtype, a.scalar);
    else if ('scalar' in b) common = resultTypeScalar(a.dtype, b.scalar);
    else common = resultTypeTensors(a.dtype, a.shape.length, b.dtype, b.shape.length);
    const isCmp = (COMPARE as readonly string[]).includes(op);
    const compute = op === 'div' && common !== 'float64' ? 'float32' : common;
    const outDtype: DType = isCmp ? 'bool' : compute;
    // Scalars that do not fit an integer operand's dtype, and PyTorch's bool/int errors.
    const sv = 'scalar' in a ? a.scalar : 'scalar' in b ? b.scalar : null;
    const intCompute = compute === 'int32' || compute === 'int64';
    if (intCompute && typeof sv === 'number' && !holdsInt(sv, domain, compute))
      return expectThrow(run, INT_REFUSED);
    if (compute === 'bool' && op === 'sub') return expectThrow(run, /sub: subtraction with two bool tensors/);
    if (compute === 'bool' && op === 'pow') return expectThrow(run, /pow: not implemented for bool/);
    const ra: Ref =
      'scalar' in a
        ? { shape: [], data: conv([Number(a.scalar)], compute) }
        : { shape: a.shape, data: conv(a.values, compute) };
    const rb: Ref =
      'scalar' in b
        ? { shape: [], data: conv([Number(b.scalar)], compute) }
        : { shape: b.shape, data: conv(b.values, compute) };
    if (intCompute && op === 'pow' && 'scalar' in b && Number(b.scalar) < 0)
      return expectThrow(run, /negative integer powers/);
    let want = zip(ra, rb, intCompute && op === 'pow' ? ipow : REF2[op]);
    if (intCompute && !isCmp) {
      if (want.data.some((v) => !holdsInt(v, domain, compute))) return expectThrow(run, INT_REFUSED);
      want = mapRef(want, Math.trunc);
    }
    if (compute === 'bool' && !isCmp) want = mapRef(want, (v) => +(v !== 0));
    const got = run();
    return compare(got, want, outDtype, isCmp || compute !== 'float32' ? exact : scaled(tol, want.data));
  },
};

/** An operand's values as the common dtype `to` computes them. */
function conv(values: readonly number[], to: DType): number[] {
  if (to === 'float32') return values.map(Math.fround);
  if (to === 'bool') return values.map((v) => +(v !== 0));
  return [...values];
}

// ---- reductions -------------------------------------------------------------------------

const REDUCE = ['sum', 'mean', 'max', 'min', 'argmax', 'argmin'] as const;

const reduceProp: FuzzProperty<{
  op: (typeof REDUCE)[number];
  shape: number[];
  values: number[];
  dim: number | null;
  keepdim: boolean;
}> = {
  name: 'reduce',
  arb: (domain) =>
    fc
      .record({ op: fc.constantFrom(...REDUCE), shape: shapeArb, keepdim: fc.boolean(), whole: fc.boolean() })
      .chain(({ op, shape, keepdim, whole }) =>
        fc
          .record({
            values: valuesFor('float32', numel(shape), domain, 100, false),
            dim:
              shape.length === 0 || whole
                ? fc.constant(null)
                : fc.integer({ min: -shape.length, max: shape.length - 1 }),
          })
          .map(({ values, dim }) => ({ op, shape, values, dim, keepdim })),
      ),
  check: ({ op, shape, values, dim, keepdim }, tol) => {
    const x = make('float32', shape, values);
    const axes = dim === null ? shape.map((_, i) => i) : [dim < 0 ? dim + shape.length : dim];
    // max/min along one dim are { values, indices } (PyTorch's); the values are checked here.
    const run = (): Tensor => {
      if (dim === null) return x[op]();
      if (op === 'max' || op === 'min') return x[op](dim, keepdim).values;
      return x[op](dim, keepdim);
    };
    const count = axes.reduce((n, d) => n * shape[d], 1);
    const isArg = op === 'argmax' || op === 'argmin';
    // An extremum over nothing is undefined: PyTorch raises (an empty *other* dim is fine).
    if (count === 0 && (op === 'max' || op === 'min' || isArg)) return expectThrow(run, new RegExp(op));
    const data = fdata('float32', values);
    const better = (v: number, best: number) =>
      Number.isNaN(best) ? false : Number.isNaN(v) || (op === 'max' || op === 'argmax' ? v > best : v < best);
    const { out, magnitude } = reduceAxes(
      { shape, data },
      axes,
      op === 'sum' || op === 'mean' ? 0 : isArg ? -1 : Number.NaN,
      op === 'sum' || op === 'mean'
        ? (acc, v) => acc + v
        : (acc, v, r) => {
            if (isArg) return acc < 0 ? r : acc;
            return r === 0 || better(v, acc) ? v : acc;
          },
    );
    let want = isArg ? argRef(shape, data, axes, op === 'argmax') : out;
    if (op === 'mean') want = { shape: want.shape, data: want.data.map((v) => v / count) };
    if (keepdim && dim !== null)
      want = { shape: shape.map((d, i) => (axes.includes(i) ? 1 : d)), data: want.data };
    const mag = op === 'mean' ? magnitude.map((m) => m / count) : magnitude;
    return compare(
      run(),
      want,
      isArg ? 'int64' : 'float32',
      isArg || op === 'max' || op === 'min' ? exact : scaled(tol, want.data, mag),
    );
  },
};

/** argmax/argmin along `axes` (one axis, or all flattened): first index of the extremum, first NaN wins. */
function argRef(
  shape: readonly number[],
  data: readonly number[],
  axes: readonly number[],
  isMax: boolean,
): Ref {
  const keep = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const outShape = keep.map((d) => shape[d]);
  const n = numel(outShape);
  const bestVal = new Array<number>(n).fill(Number.NaN);
  const bestIdx = new Array<number>(n).fill(-1);
  const seen = new Array<number>(n).fill(0);
  const st: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d];
  }
  for (let i = 0; i < data.length; i++) {
    let o = 0;
    for (const d of keep) o = o * shape[d] + (Math.floor(i / st[d]) % shape[d]);
    const r = seen[o]++;
    const v = data[i];
    const cur = bestVal[o];
    if (bestIdx[o] < 0) {
      bestIdx[o] = r;
      bestVal[o] = v;
    } else if (!Number.isNaN(cur) && (Number.isNaN(v) || (isMax ? v > cur : v < cur))) {
      bestIdx[o] = r;
      bestVal[o] = v;
    }
  }
  return { shape: outShape, data: bestIdx };
}

// ---- softmax ----------------------------------------------------------------------------

const softmaxProp: FuzzProperty<{ log: boolean; shape: number[]; values: number[]; dim: number }> = {
  name: 'softmax',
  arb: (domain) =>
    fc.record({ log: fc.boolean(), shape: nonEmptyShape }).chain(({ log, shape }) =>
      fc
        .record({
          values: valuesFor('float32', numel(shape), { ...domain, nonFinite: false }, 50, true),
          dim: fc.integer({ min: 0, max: shape.length - 1 }),
        })
        .map(({ values, dim }) => ({ log, shape, values, dim })),
    ),
  check: ({ log, shape, values, dim }, tol) => {
    const x = make('float32', shape, values);
    const got = log ? x.logSoftmax(dim) : x.softmax(dim);
    const want = softmaxRef({ shape, data: fdata('float32', values) }, dim, log);
    return compare(got, want, 'float32', scaled(tol, want.data));
  },
};

// ---- matmul -----------------------------------------------------------------------------

const matmulProp: FuzzProperty<{ a: number[]; b: number[]; av: number[]; bv: number[] }> = {
  name: 'matmul',
  arb: (domain) =>
    fc
      .record({
        m: fc.integer({ min: 1, max: 5 }),
        k: fc.integer({ min: 0, max: 6 }),
        n: fc.integer({ min: 1, max: 5 }),
        batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        bcast: fc.constantFrom('none', 'a', 'b'),
      })
      .chain(({ m, k, n, batch, bcast }) => {
        const a = [...(bcast === 'a' ? batch.map(() => 1) : batch), m, k];
        const b = [...(bcast === 'b' ? [] : batch), k, n];
        return fc
          .record({
            av: valuesFor('float32', numel(a), domain, 10, false),
            bv: valuesFor('float32', numel(b), domain, 10, false),
          })
          .map(({ av, bv }) => ({ a, b, av, bv }));
      }),
  check: ({ a, b, av, bv }, tol) => {
    const got = make('float32', a, av).matmul(make('float32', b, bv));
    const { out, magnitude } = matmulRef(
      { shape: a, data: fdata('float32', av) },
      { shape: b, data: fdata('float32', bv) },
    );
    return compare(got, out, 'float32', scaled(tol, out.data, magnitude));
  },
};

// ---- movement and casts -----------------------------------------------------------------

const permuteProp: FuzzProperty<{ shape: number[]; values: number[]; perm: number[]; dtype: DType }> = {
  name: 'permute',
  arb: (domain) =>
    fc.record({ shape: shapeArb, dtype: elementDtype }).chain(({ shape, dtype }) =>
      fc
        .record({
          values: valuesFor(dtype, numel(shape), domain),
          perm: fc.shuffledSubarray(
            shape.map((_, i) => i),
            { minLength: shape.length, maxLength: shape.length },
          ),
        })
        .map(({ values, perm }) => ({ shape, values, perm, dtype })),
    ),
  check: ({ shape, values, perm, dtype }) => {
    const got = make(dtype, shape, values)
      .permute(...perm)
      .contiguous();
    return compare(got, permuteRef({ shape, data: conv(values, dtype) }, perm), dtype, exact);
  },
};

const castProp: FuzzProperty<{ shape: number[]; values: number[]; to: DType }> = {
  name: 'cast',
  arb: (domain) =>
    fc
      .record({ shape: shapeArb, to: fc.constantFrom<DType>('int32', 'bool') })
      .chain(({ shape, to }) =>
        fc
          .array(
            fc.oneof(float32Value(domain, 1e3, false), fc.constantFrom(2147483520, -2147483648, 3e9, 1e10)),
            { minLength: numel(shape), maxLength: numel(shape) },
          )
          .map((values) => ({ shape, values, to })),
      ),
  check: ({ shape, values, to }, _tol, domain) => {
    const x = make('float32', shape, values);
    const data = fdata('float32', values);
    if (to === 'int32' && data.some((v) => !holdsInt(Math.trunc(v), domain)))
      return expectThrow(() => x.int(), INT_REFUSED);
    const got = to === 'int32' ? x.int() : x.to('bool');
    return compare(
      got,
      { shape, data: data.map(to === 'int32' ? Math.trunc : (v) => +(v !== 0)) },
      to,
      exact,
    );
  },
};

/** A property with its input type erased, so properties of different inputs share one list. */
function erase<T>(p: FuzzProperty<T>): FuzzProperty<unknown> {
  return p as unknown as FuzzProperty<unknown>;
}

/** Every property of the fuzz suite. */
export const FUZZ_PROPERTIES: readonly FuzzProperty<unknown>[] = [
  erase(unaryProp),
  erase(binaryProp),
  erase(reduceProp),
  erase(softmaxProp),
  erase(matmulProp),
  erase(permuteProp),
  erase(castProp),
];
