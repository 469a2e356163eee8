// The structural rules of ONNX's checker (onnx.checker.check_model) that can be applied without
// the operator schemas: a valid, topologically sorted SSA graph, an opset import, typed
// inputs/outputs and initialisers whose data fills their dims.
import { BYTES_PER_ELEMENT, dtypeOfOnnx } from './dtypes.js';
import { onnx } from './onnx.js';
import type { IGraphProto, IModelProto, ITensorProto, IValueInfoProto } from './onnx-types.js';

/** What {@link checkModel} read from a valid model. */
export interface ModelSummary {
  /** The model's IR version (`ir_version`). */
  irVersion: number;
  /** Version of the default ('' / 'ai.onnx') opset. */
  opset: number;
  /** Names of the graph inputs, in order (one may share an initialiser's name: its default value). */
  inputs: string[];
  /** Names of the graph outputs, in order. */
  outputs: string[];
  /** Names of the initialisers (the weights stored in the model). */
  initializers: string[];
  /** Op types in node order. */
  nodes: string[];
}

const num = (v: unknown): number =>
  typeof v === 'number' ? v : Number((v as { toString(): string }).toString());

function dataLength(t: ITensorProto): { have: number; unit: 'bytes' | 'elements' } {
  if (t.rawData && t.rawData.length > 0) return { have: t.rawData.length, unit: 'bytes' };
  const fields = [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data, t.stringData];
  const f = fields.find((a) => a && a.length > 0);
  return { have: f ? f.length : 0, unit: 'elements' };
}

function checkTensor(t: ITensorProto, where: string, problems: string[]): void {
  const dims = (t.dims ?? []).map(num);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    problems.push(`${where}: dims [${dims.join(', ')}] must be non-negative integers`);
    return;
  }
  const n = dims.reduce((a, b) => a * b, 1);
  let bytes: number;
  try {
    bytes = BYTES_PER_ELEMENT[dtypeOfOnnx(t.dataType ?? 0)];
  } catch {
    problems.push(`${where}: unsupported data type ${t.dataType}`);
    return;
  }
  const { have, unit } = dataLength(t);
  // int32_data also carries bool/int8/uint8 elements, one per entry.
  const want = unit === 'bytes' ? n * bytes : n;
  if (have !== want) {
    problems.push(`${where}: dims [${dims.join(', ')}] need ${want} ${unit} of data, found ${have}`);
  }
}

function checkValueInfo(v: IValueInfoProto, where: string, problems: string[]): void {
  const tt = v.type?.tensorType;
  if (!tt?.elemType) problems.push(`${where} '${v.name}': has no tensor element type`);
  for (const d of tt?.shape?.dim ?? []) {
    if (d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) < 0) {
      problems.push(`${where} '${v.name}': negative dim ${num(d.dimValue)}`);
    }
  }
}

function checkGraph(g: IGraphProto, problems: string[], outer: ReadonlySet<string>): void {
  const defined = new Set<string>(outer);
  const define = (name: string | null | undefined, what: string) => {
    if (!name) {
      problems.push(`${what} has an empty name`);
      return;
    }
    if (defined.has(name) && !outer.has(name))
      problems.push(`${what} '${name}' is defined more than once (graph is not SSA)`);
    defined.add(name);
  };
  const inits = new Set<string>();
  for (const t of g.initializer ?? []) {
    define(t.name, 'initializer');
    inits.add(t.name ?? '');
    checkTensor(t, `initializer '${t.name}'`, problems);
  }
  for (const v of g.input ?? []) {
    // An input may share its name with an initialiser (the initialiser is its default value).
    if (!inits.has(v.name ?? '')) define(v.name, 'graph input');
    checkValueInfo(v, 'graph input', problems);
  }
  const nodeNames = new Set<string>();
  (g.node ?? []).forEach((n, i) => {
    const label = `node ${i} (${n.opType || '?'}${n.name ? ` '${n.name}'` : ''})`;
    if (!n.opType) problems.push(`${label}: empty op_type`);
    if (n.name) {
      if (nodeNames.has(n.name)) problems.push(`${label}: node name is not unique`);
      nodeNames.add(n.name);
    }
    for (const inp of n.input ?? []) {
      if (inp !== '' && !defined.has(inp)) {
        problems.push(
          `${label}: input '${inp}' is not defined before use (graph inputs, initialisers or earlier nodes)`,
        );
      }
    }
    const attrNames = new Set<string>();
    for (const a of n.attribute ?? []) {
      if (!a.name) problems.push(`${label}: attribute without a name`);
      else if (attrNames.has(a.name)) problems.push(`${label}: attribute '${a.name}' given twice`);
      attrNames.add(a.name ?? '');
      if (!a.type) problems.push(`${label}: attribute '${a.name}' has no type`);
      if (a.t) checkTensor(a.t, `${label} attribute '${a.name}'`, problems);
      if (a.g) checkGraph(a.g, problems, defined);
    }
    for (const out of n.output ?? []) if (out !== '') define(out, `${label} output`);
  });
  for (const v of g.output ?? []) {
    if (!defined.has(v.name ?? '')) problems.push(`graph output '${v.name}' is not produced by the graph`);
    checkValueInfo(v, 'graph output', problems);
  }
  if ((g.output ?? []).length === 0) problems.push('the graph has no outputs');
}

/**
 * Decodes an ONNX model and applies the checker's structural rules: IR version and a
 * default-domain opset are declared; every value is defined once (SSA); every node input is
 * defined before use (topological order); inputs/outputs are typed; graph outputs exist;
 * initialiser data matches its dims; node and attribute names are unique. Throws one error
 * listing every problem; returns a summary of a valid model.
 *
 * ```ts
 * const { opset, initializers } = checkModel(exportOnnx(model, [x]));
 * ```
 */
export function checkModel(model: Uint8Array | IModelProto): ModelSummary {
  let m: IModelProto;
  if (model instanceof Uint8Array) {
    try {
      m = onnx.ModelProto.decode(model);
    } catch (e) {
      throw new Error(`checkModel: not an ONNX model (protobuf decode failed: ${(e as Error).message})`);
    }
  } else {
    m = model;
  }
  const problems: string[] = [];
  const ir = num(m.irVersion ?? 0);
  if (!(ir >= 3)) problems.push(`ir_version ${ir} is missing or too old (need >= 3)`);
  const defaults = (m.opsetImport ?? []).filter((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = defaults.length ? num(defaults[0].version ?? 0) : 0;
  if (defaults.length === 0) problems.push('no opset_import for the default ONNX domain');
  else if (defaults.length > 1) problems.push('the default ONNX domain is imported more than once');
  else if (!(opset >= 1)) problems.push(`default opset version ${opset} is invalid`);
  const domains = new Set((m.opsetImport ?? []).map((o) => o.domain || ''));
  if (!m.graph) problems.push('the model has no graph');
  else {
    checkGraph(m.graph, problems, new Set());
    for (const n of m.graph.node ?? []) {
      const d = n.domain || '';
      if (d !== 'ai.onnx' && !domains.has(d))
        problems.push(`node ${n.opType}: domain '${d}' has no opset_import`);
    }
  }
  if (problems.length) throw new Error(`checkModel: invalid ONNX model:\n  ${problems.join('\n  ')}`);
  const g = m.graph!;
  return {
    irVersion: ir,
    opset,
    inputs: (g.input ?? []).map((v) => v.name ?? ''),
    outputs: (g.output ?? []).map((v) => v.name ?? ''),
    initializers: (g.initializer ?? []).map((t) => t.name ?? ''),
    nodes: (g.node ?? []).map((n) => n.opType ?? ''),
  };
}
