// A symbolic first dim from traces at fixed sizes. Core computes shapes as numbers, so a
// traced graph holds the batch (or sequence) size inside its shape constants (Reshape targets,
// ConstantOfShape sizes, Slice ends). Tracing at three sizes tells which integer constants
// depend on the size: each such element must be a·D + c (checked on the third trace), and is
// then computed in the graph from the input's own first dim. Anything else that differs
// between the traces (a float constant such as a mean's 1/D, the graph's structure) cannot be
// made symbolic, and is an error naming the op.
import type { IModelProto, INodeProto, ITensorProto } from '../proto/onnx-types.js';

/** The sizes the first dim is traced at: primes unlikely to equal a model dim. */
export const TRACE_SIZES = [97, 101, 103] as const;

const INT64 = 7;
const INT32 = 6;

function constantTensor(n: INodeProto): ITensorProto | undefined {
  if (n.opType !== 'Constant') return undefined;
  return n.attribute?.find((a) => a.name === 'value')?.t ?? undefined;
}

function intsOf(t: ITensorProto): number[] {
  const raw = t.rawData as Uint8Array;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  if (t.dataType === INT64)
    for (let i = 0; i < raw.byteLength; i += 8) out.push(Number(view.getBigInt64(i, true)));
  else for (let i = 0; i < raw.byteLength; i += 4) out.push(view.getInt32(i, true));
  return out;
}

const sameBytes = (a?: Uint8Array | null, b?: Uint8Array | null) =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((v, i) => v === (b as Uint8Array)[i]);

/** What reads `name` (for messages). */
function consumers(nodes: readonly INodeProto[], name: string): string {
  const ops = nodes.filter((n) => (n.input ?? []).includes(name)).map((n) => n.opType);
  return ops.length ? ops.join(', ') : 'an output';
}

/**
 * The model of traces[0] with its size-dependent integer constants computed from the first
 * dim of input `input`; `sizes` are the traced first dims. Output dims that vary become the
 * symbolic `dimName` when they equal D, else unnamed.
 *
 * @throws Error naming the op whose constant (or structure) depends on the size in a way a
 * graph cannot compute from D.
 */
export function symbolicFirstDim(
  traces: readonly IModelProto[],
  sizes: readonly number[],
  input: string,
  dimName: string,
  what: string,
): IModelProto {
  const [m0, m1, m2] = traces;
  const [g0, g1, g2] = [m0.graph, m1.graph, m2.graph].map((g) => g as NonNullable<IModelProto['graph']>);
  const [n0, n1, n2] = [g0.node ?? [], g1.node ?? [], g2.node ?? []];
  const fail = (why: string) =>
    new Error(
      `${what}: the graph depends on the size of the first dim in a way it cannot compute (${why}); export with dynamicBatch: false`,
    );
  if (n0.length !== n1.length || n0.length !== n2.length) throw fail('its operators differ with the size');
  const [D0, D1, D2] = sizes;
  const nodes: INodeProto[] = [];
  const prelude: INodeProto[] = [];
  let dScalar: string | null = null;
  const dim = () => {
    if (dScalar === null) {
      dScalar = `${dimName}__d`;
      prelude.push(
        {
          opType: 'Shape',
          input: [input],
          output: [`${dimName}__shape`],
          name: `${dimName}__Shape`,
          attribute: [],
        },
        {
          opType: 'Gather',
          input: [`${dimName}__shape`, `${dimName}__zero`],
          output: [dScalar],
          name: `${dimName}__Gather`,
          attribute: [{ name: 'axis', type: 2, i: 0 }],
        },
      );
      prelude.unshift(intConstant(`${dimName}__zero`, [0], []));
    }
    return dScalar;
  };
  for (let k = 0; k < n0.length; k++) {
    const [a, b, c] = [n0[k], n1[k], n2[k]];
    const sameOp = (x: INodeProto) =>
      x.opType === a.opType &&
      (x.input ?? []).join() === (a.input ?? []).join() &&
      (a.opType === 'Constant' || JSON.stringify(x.attribute) === JSON.stringify(a.attribute));
    if (!sameOp(b) || !sameOp(c)) {
      throw fail(`operator ${k} is ${a.opType} at size ${D0} and ${b.opType} at size ${D1}`);
    }
    const [t0, t1, t2] = [a, b, c].map(constantTensor);
    if (!t0 || !t1 || !t2 || sameBytes(t0.rawData, t1.rawData)) {
      nodes.push(a);
      continue;
    }
    const out = (a.output as string[])[0];
    if (
      (t0.dataType !== INT64 && t0.dataType !== INT32) ||
      (t0.dims ?? []).join() !== (t1.dims ?? []).join()
    ) {
      throw fail(`a constant read by ${consumers(n0, out)} changes with the size`);
    }
    const [v0, v1, v2] = [t0, t1, t2].map(intsOf);
    const slope = v0.map((v, i) => (v1[i] - v) / (D1 - D0));
    const offset = v0.map((v, i) => v - slope[i] * D0);
    const ok = slope.every((s, i) => Number.isInteger(s) && s * D2 + offset[i] === v2[i]);
    if (!ok)
      throw fail(`a shape read by ${consumers(n0, out)} is not a multiple of the size plus a constant`);
    const dims = (t0.dims ?? []).map(Number);
    // value = slope·D + offset, in the constant's dtype and dims
    const d = dim();
    const cast = t0.dataType === INT64 ? d : `${out}__d`;
    if (t0.dataType !== INT64)
      nodes.push({
        opType: 'Cast',
        input: [d],
        output: [cast],
        name: `${out}__Cast`,
        attribute: [{ name: 'to', type: 2, i: INT32 }],
      });
    nodes.push(
      intConstant(`${out}__slope`, slope, dims, t0.dataType as number),
      intConstant(`${out}__offset`, offset, dims, t0.dataType as number),
      {
        opType: 'Mul',
        input: [cast, `${out}__slope`],
        output: [`${out}__scaled`],
        name: `${out}__Mul`,
        attribute: [],
      },
      {
        opType: 'Add',
        input: [`${out}__scaled`, `${out}__offset`],
        output: [out],
        name: `${out}__Add`,
        attribute: [],
      },
    );
  }
  for (const [i, init] of (g0.initializer ?? []).entries()) {
    const other = g1.initializer?.[i];
    if (!other || other.name !== init.name || !sameBytes(init.rawData, other.rawData)) {
      throw fail(`the initialiser '${init.name}' changes with the size`);
    }
  }
  const varying = (o: number, j: number) => {
    const dims = [g0, g1, g2].map((g) => g.output?.[o].type?.tensorType?.shape?.dim?.[j]?.dimValue);
    return dims[0] !== dims[1];
  };
  const outputs = (g0.output ?? []).map((v, o) => {
    const dim = v.type?.tensorType?.shape?.dim;
    if (!dim) return v;
    const d1 = g1.output?.[o].type?.tensorType?.shape?.dim;
    const named = dim.map((x, j) => {
      if (!varying(o, j)) return x;
      const equalsD = Number(x.dimValue) === D0 && Number(d1?.[j]?.dimValue) === D1;
      return equalsD ? { dimParam: dimName } : { dimParam: `${dimName}_${o}_${j}` };
    });
    return { ...v, type: { tensorType: { ...v.type?.tensorType, shape: { dim: named } } } };
  });
  return { ...m0, graph: { ...g0, node: [...prelude, ...nodes], output: outputs } };
}

function intConstant(
  name: string,
  values: readonly number[],
  dims: readonly number[],
  dataType = INT64,
): INodeProto {
  const bytes = new Uint8Array(values.length * (dataType === INT64 ? 8 : 4));
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (dataType === INT64) view.setBigInt64(i * 8, BigInt(v), true);
    else view.setInt32(i * 4, v, true);
  });
  return {
    opType: 'Constant',
    input: [],
    output: [name],
    name: `${name}__Constant`,
    attribute: [{ name: 'value', type: 4, t: { dims: [...dims], dataType, rawData: bytes } }],
  };
}
