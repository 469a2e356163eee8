// A symbolic first dim from traces at fixed sizes. Core computes shapes and scale factors as
// JS numbers, so a traced graph holds the batch (or sequence) size D inside its constants:
// Reshape targets, ConstantOfShape sizes, Slice ends, a mean's 1/D, BatchNorm's n/(n-1), and
// the sizes of random inputs (dropout masks). Tracing at several sizes tells which constants
// depend on D. An integer element must be a·D + c; a float scalar a·D + c, 1/(a·D + c) or
// (a·D + b)/(c·D + 1); each is fitted on the first traces and checked exactly on the others,
// then computed in the graph from the input's own first dim. Anything else that differs (the
// graph's structure, a large constant, a float that fits no form) cannot be symbolic: an
// error naming what, and the caller falls back to a graph per size.
import type { IModelProto, INodeProto, ITensorProto, IValueInfoProto } from '../proto/onnx-types.js';

/** The sizes the first dim is traced at: primes unlikely to equal a model dim. */
export const TRACE_SIZES = [97, 101, 103, 107] as const;

const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const DOUBLE = 11;

/** One traced graph and the exact (float64) values of its float constants, by value name. */
export interface SizedTrace {
  readonly model: IModelProto;
  readonly exact: ReadonlyMap<string, Float64Array>;
}

/** A dim as a function of D: `slope·D + offset`. */
export interface DimFit {
  readonly slope: number;
  readonly offset: number;
}

/** The graph with a symbolic first dim, and the dims of its inputs as functions of D. */
export interface SymbolicGraph {
  readonly model: IModelProto;
  /** Inputs whose declared dims depend on D (random inputs), by name: one fit per dim. */
  readonly inputDims: ReadonlyMap<string, readonly DimFit[]>;
}

/** Raised when the graph depends on D in a way it cannot compute. */
export class NotSymbolic extends Error {}

function constantTensor(n: INodeProto): ITensorProto | undefined {
  if (n.opType !== 'Constant') return undefined;
  return n.attribute?.find((a) => a.name === 'value')?.t ?? undefined;
}

function numbersOf(t: ITensorProto): number[] {
  const raw = t.rawData as Uint8Array;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  const step = t.dataType === INT64 || t.dataType === DOUBLE ? 8 : 4;
  for (let i = 0; i < raw.byteLength; i += step) {
    if (t.dataType === INT64) out.push(Number(view.getBigInt64(i, true)));
    else if (t.dataType === DOUBLE) out.push(view.getFloat64(i, true));
    else if (t.dataType === FLOAT) out.push(view.getFloat32(i, true));
    else out.push(view.getInt32(i, true));
  }
  return out;
}

const sameBytes = (a?: Uint8Array | null, b?: Uint8Array | null) =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((v, i) => v === (b as Uint8Array)[i]);

/** What reads `name` (for messages). */
function consumers(nodes: readonly INodeProto[], name: string): string {
  const ops = nodes.filter((n) => (n.input ?? []).includes(name)).map((n) => n.opType);
  return ops.length ? ops.join(', ') : 'an output';
}

/** An integer affine fit of `values` (one per size) checked on every size, or null. */
function fitInt(sizes: readonly number[], values: readonly number[]): DimFit | null {
  const slope = (values[1] - values[0]) / (sizes[1] - sizes[0]);
  const offset = values[0] - slope * sizes[0];
  if (!Number.isInteger(slope)) return null;
  return sizes.every((d, i) => slope * d + offset === values[i]) ? { slope, offset } : null;
}

/** A float form of D: how to compute it, and its value at `d`. */
interface FloatForm {
  readonly kind: 'affine' | 'reciprocal' | 'moebius';
  readonly c: readonly number[];
}

const evalForm = (f: FloatForm, d: number): number =>
  f.kind === 'affine'
    ? f.c[0] * d + f.c[1]
    : f.kind === 'reciprocal'
      ? 1 / (f.c[0] * d + f.c[1])
      : (f.c[0] * d + f.c[1]) / (f.c[2] * d + 1);

/**
 * A form that gives `exact` (core's float64 values) at every size, rounded as the constant
 * is (`round`), or null. Fitted on the first sizes, checked on all.
 */
function fitFloat(
  sizes: readonly number[],
  exact: readonly number[],
  round: (v: number) => number,
): FloatForm | null {
  const [d0, d1, d2] = sizes;
  const [v0, v1, v2] = exact;
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    const a = (y1 - y0) / (x1 - x0);
    return [a, y0 - a * x0];
  };
  const candidates: FloatForm[] = [
    { kind: 'affine', c: line(d0, v0, d1, v1) },
    { kind: 'reciprocal', c: line(d0, 1 / v0, d1, 1 / v1) },
  ];
  // (a·d + b)/(c·d + 1) = v  ⇔  a·d + b − c·d·v = v: three equations in a, b, c
  const m = [
    [d0, 1, -d0 * v0, v0],
    [d1, 1, -d1 * v1, v1],
    [d2, 1, -d2 * v2, v2],
  ];
  const abc = solve3(m);
  if (abc) candidates.push({ kind: 'moebius', c: abc });
  return (
    candidates.find((f) =>
      sizes.every((d, i) => {
        const got = evalForm(f, d);
        return Number.isFinite(got) && round(got) === round(exact[i]);
      }),
    ) ?? null
  );
}

/** Gaussian elimination of a 3×4 augmented matrix, or null when singular. */
function solve3(m: number[][]): number[] | null {
  const a = m.map((r) => [...r]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (Math.abs(a[p][c]) < 1e-300) return null;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < 4; k++) a[r][k] -= f * a[c][k];
    }
  }
  return [a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]];
}

/** Builds the graph-side computations (D as int64/double) with names under `prefix`. */
class Builder {
  readonly prelude: INodeProto[] = [];
  private d: string | null = null;
  private dFloat: string | null = null;
  private n = 0;

  constructor(
    private readonly input: string,
    private readonly prefix: string,
  ) {}

  fresh(what: string): string {
    return `${this.prefix}__${what}_${this.n++}`;
  }

  /** D as an int64 scalar, from the input's shape. */
  dim(): string {
    if (this.d === null) {
      const shape = this.fresh('shape');
      const zero = this.fresh('zero');
      this.d = this.fresh('d');
      this.prelude.push(
        constant(zero, [0], [], INT64),
        node('Shape', [this.input], shape),
        node('Gather', [shape, zero], this.d, [{ name: 'axis', type: 2, i: 0 }]),
      );
    }
    return this.d;
  }

  /** D as a float64 scalar. */
  dimFloat(): string {
    if (this.dFloat === null) {
      this.dFloat = this.fresh('dfloat');
      this.prelude.push(node('Cast', [this.dim()], this.dFloat, [{ name: 'to', type: 2, i: DOUBLE }]));
    }
    return this.dFloat;
  }
}

function node(
  opType: string,
  input: string[],
  output: string,
  attribute: INodeProto['attribute'] = [],
): INodeProto {
  return { opType, input, output: [output], name: `${output}__node`, attribute };
}

function constant(
  name: string,
  values: readonly number[],
  dims: readonly number[],
  dataType: number,
): INodeProto {
  const size = dataType === INT64 || dataType === DOUBLE ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (dataType === INT64) view.setBigInt64(i * 8, BigInt(v), true);
    else if (dataType === DOUBLE) view.setFloat64(i * 8, v, true);
    else if (dataType === FLOAT) view.setFloat32(i * 4, v, true);
    else view.setInt32(i * 4, v, true);
  });
  return node('Constant', [], name, [
    { name: 'value', type: 4, t: { dims: [...dims], dataType, rawData: bytes } },
  ]);
}

const roundAs = (dataType: number) => (dataType === FLOAT ? Math.fround : (v: number) => v);

/**
 * The model of traces[0] with every constant that depends on D computed from the first dim
 * of input `input` (see the file comment); `sizes` are the traced values of D. Varying output
 * and input dims become the symbolic `dimName` when they equal D, else `dimName_i_j`.
 *
 * @throws NotSymbolic naming the op whose constant (or structure) depends on D in a way a
 * graph cannot compute; `floats: false` refuses varying float constants (export: a forward
 * rarely has one, and a mean over the batch is better refused than guessed).
 */
export function symbolicFirstDim(
  traces: readonly SizedTrace[],
  sizes: readonly number[],
  input: string,
  dimName: string,
  what: string,
  floats = true,
): SymbolicGraph {
  const graphs = traces.map((t) => t.model.graph as NonNullable<IModelProto['graph']>);
  const nodes = graphs.map((g) => g.node ?? []);
  const fail = (why: string) =>
    new NotSymbolic(
      `${what}: the graph depends on the size of the first dim in a way it cannot compute (${why}); export with dynamicBatch: false`,
    );
  if (nodes.some((n) => n.length !== nodes[0].length)) throw fail('its operators differ with the size');
  const b = new Builder(input, dimName);
  const out: INodeProto[] = [];
  for (let k = 0; k < nodes[0].length; k++) {
    const a = nodes[0][k];
    const sameOp = (x: INodeProto) =>
      x.opType === a.opType &&
      (x.input ?? []).join() === (a.input ?? []).join() &&
      (a.opType === 'Constant' || JSON.stringify(x.attribute) === JSON.stringify(a.attribute));
    if (!nodes.every((n) => sameOp(n[k]))) {
      throw fail(
        `operator ${k} is ${a.opType} at size ${sizes[0]} and ${nodes[1][k].opType} at size ${sizes[1]}`,
      );
    }
    const ts = nodes.map((n) => constantTensor(n[k]));
    const t0 = ts[0];
    if (!t0 || ts.every((t) => sameBytes(t0.rawData, t?.rawData))) {
      out.push(a);
      continue;
    }
    const name = (a.output as string[])[0];
    const dims = (t0.dims ?? []).map(Number);
    if (ts.some((t) => (t?.dims ?? []).join() !== dims.join()))
      throw fail(`a constant read by ${consumers(nodes[0], name)} changes its size`);
    const type = t0.dataType as number;
    if (type === INT64 || type === INT32) {
      const values = ts.map((t) => numbersOf(t as ITensorProto));
      const fits = values[0].map((_, i) =>
        fitInt(
          sizes,
          values.map((v) => v[i]),
        ),
      );
      if (fits.some((f) => f === null)) {
        throw fail(
          `a shape read by ${consumers(nodes[0], name)} is not a multiple of the size plus a constant`,
        );
      }
      // value = slope·D + offset, elementwise, in the constant's dtype and dims
      let d = b.dim();
      if (type === INT32) {
        const cast = b.fresh('cast');
        out.push(node('Cast', [d], cast, [{ name: 'to', type: 2, i: INT32 }]));
        d = cast;
      }
      const slope = b.fresh('slope');
      const offset = b.fresh('offset');
      const scaled = b.fresh('scaled');
      out.push(
        constant(
          slope,
          fits.map((f) => (f as DimFit).slope),
          dims,
          type,
        ),
        constant(
          offset,
          fits.map((f) => (f as DimFit).offset),
          dims,
          type,
        ),
        node('Mul', [d, slope], scaled),
        node('Add', [scaled, offset], name),
      );
      continue;
    }
    const exact = traces.map((t) => t.exact.get(name));
    const scalar = dims.reduce((p, q) => p * q, 1) === 1;
    if (!floats || !scalar || (type !== FLOAT && type !== DOUBLE) || exact.some((e) => !e)) {
      throw fail(`a value read by ${consumers(nodes[0], name)} changes with the size`);
    }
    const form = fitFloat(
      sizes,
      exact.map((e) => (e as Float64Array)[0]),
      roundAs(type),
    );
    if (!form) throw fail(`a scale read by ${consumers(nodes[0], name)} is no simple function of the size`);
    out.push(...floatForm(b, form, name, type, dims));
  }
  for (const [i, init] of (graphs[0].initializer ?? []).entries()) {
    if (
      graphs.some(
        (g) =>
          !g.initializer?.[i] ||
          g.initializer[i].name !== init.name ||
          !sameBytes(init.rawData, g.initializer[i].rawData),
      )
    ) {
      throw fail(`the initialiser '${init.name}' changes with the size`);
    }
  }
  const inputDims = new Map<string, DimFit[]>();
  const symbolicDims = (vs: readonly IValueInfoProto[][], o: number, record: boolean): IValueInfoProto => {
    const v = vs[0][o];
    const dim = v.type?.tensorType?.shape?.dim;
    if (!dim) return v;
    const fits: DimFit[] = [];
    const named = dim.map((x, j) => {
      const values = vs.map((list) => Number(list[o].type?.tensorType?.shape?.dim?.[j]?.dimValue));
      if (x.dimParam || values.every((w) => w === values[0])) {
        fits.push({ slope: 0, offset: values[0] });
        return x;
      }
      const fit = fitInt(sizes, values);
      if (!fit) throw fail(`dim ${j} of '${v.name}' is not a multiple of the size plus a constant`);
      fits.push(fit);
      const equalsD = fit.slope === 1 && fit.offset === 0;
      return equalsD ? { dimParam: dimName } : { dimParam: `${dimName}_${o}_${j}` };
    });
    if (record && fits.some((f) => f.slope !== 0)) inputDims.set(v.name as string, fits);
    return { ...v, type: { tensorType: { ...v.type?.tensorType, shape: { dim: named } } } };
  };
  const ins = graphs.map((g) => g.input ?? []);
  const outs = graphs.map((g) => g.output ?? []);
  const model: IModelProto = {
    ...traces[0].model,
    graph: {
      ...graphs[0],
      node: [...b.prelude, ...out],
      input: ins[0].map((_, o) => symbolicDims(ins, o, true)),
      output: outs[0].map((_, o) => symbolicDims(outs, o, false)),
    },
  };
  return { model, inputDims };
}

/** The nodes computing a fitted float form into `name` (in float64, then its dtype and dims). */
function floatForm(
  b: Builder,
  form: FloatForm,
  name: string,
  type: number,
  dims: readonly number[],
): INodeProto[] {
  const d = b.dimFloat();
  const nodes: INodeProto[] = [];
  const c = (v: number) => {
    const n = b.fresh('c');
    nodes.push(constant(n, [v], [], DOUBLE));
    return n;
  };
  const affine = (a: number, k: number) => {
    const m = b.fresh('mul');
    const s = b.fresh('add');
    nodes.push(node('Mul', [d, c(a)], m), node('Add', [m, c(k)], s));
    return s;
  };
  let v: string;
  if (form.kind === 'affine') v = affine(form.c[0], form.c[1]);
  else if (form.kind === 'reciprocal') {
    v = b.fresh('div');
    nodes.push(node('Div', [c(1), affine(form.c[0], form.c[1])], v));
  } else {
    v = b.fresh('div');
    nodes.push(node('Div', [affine(form.c[0], form.c[1]), affine(form.c[2], 1)], v));
  }
  const shaped = b.fresh('shape');
  nodes.push(constant(shaped, dims, [dims.length], INT64));
  const cast = type === DOUBLE ? v : b.fresh('cast');
  if (type !== DOUBLE) nodes.push(node('Cast', [v], cast, [{ name: 'to', type: 2, i: type }]));
  nodes.push(node('Reshape', [cast, shaped], name));
  return nodes;
}
