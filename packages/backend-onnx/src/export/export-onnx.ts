// exportOnnx: a module's forward traced from core's own ops (the tracer compile uses) into an
// ONNX model whose initialisers are the module's state-dict tensors. Runtime-free.
import type { nn, Tensor } from '@proj/core';
import type { Dim } from '../proto/graph-builder.js';
import { onnx } from '../proto/onnx.js';
import type { IModelProto } from '../proto/onnx-types.js';
import { symbolicFirstDim, TRACE_SIZES } from '../trace/symbolic-dim.js';
import { traceGraph } from '../trace/trace-graph.js';

/** Options of {@link exportOnnx}. */
export interface ExportOptions {
  /** Default-domain opset (default 17, the traced operators' opset; 17 or 18). */
  opset?: number;
  /**
   * Make the first dim of every input (the batch, or the sequence for sequence-first
   * recurrent/transformer inputs) the symbolic dim `batch` (default true).
   */
  dynamicBatch?: boolean;
  /** Graph input names (default `input`, or `input_0`, `input_1`, …). */
  inputNames?: readonly string[];
  /** Graph output names (default `output`, or `output_0`, … for LSTM's `[output, h, c]`). */
  outputNames?: readonly string[];
  /** Name of the graph (default: the module's class name). */
  graphName?: string;
  /** `producer_name` (default '@proj/backend-onnx'). */
  producer?: string;
}

const OPSETS = [17, 18];

function names(given: readonly string[] | undefined, n: number, base: string, what: string): string[] {
  if (given) {
    if (given.length !== n)
      throw new Error(`exportOnnx: ${what} has ${given.length} names for ${n} ${what.replace('Names', '')}s`);
    if (new Set(given).size !== n)
      throw new Error(`exportOnnx: ${what} must be unique, got [${given.join(', ')}]`);
    return [...given];
  }
  return n === 1 ? [base] : Array.from({ length: n }, (_, i) => `${base}_${i}`);
}

/**
 * Exports `module` to ONNX bytes. Its `forward` runs once on a tracing backend that records
 * each of core's primitives as ONNX operators instead of computing them, so any module that
 * runs eagerly exports (built-in layers, custom `forward()`s, control flow that is fixed for
 * the traced shapes). The module is exported in eval mode (Dropout is the identity, BatchNorm
 * uses its running stats; its mode is restored afterwards). Initialisers are named by
 * state-dict keys (`0.weight`, `layers.0.self_attn.in_proj_weight`); unused ones are left out.
 *
 * With `dynamicBatch` (the default) the first dim of every input is the symbolic `batch`: the
 * forward is traced at three sizes of it, and each shape constant that depends on it is
 * computed in the graph from the input's own first dim.
 *
 * @throws Error when the forward reads a tensor's value (`item()`), when its graph depends on
 * the first dim in a way a graph cannot compute (then export with `dynamicBatch: false`),
 * when `opset` is not 17 or 18, no example input is given, or `inputNames`/`outputNames` are
 * not one unique name per input/output.
 *
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
 * const bytes = exportOnnx(model, [randn([1, 4])]);        // input 'input' ['batch', 4]
 * const session = await OnnxModel.load(bytes);
 * ```
 */
export function exportOnnx(
  module: nn.Module,
  exampleInputs: Tensor | readonly Tensor[],
  opts: ExportOptions = {},
): Uint8Array {
  const opset = opts.opset ?? 17;
  if (!OPSETS.includes(opset)) {
    throw new Error(`exportOnnx: opset must be 17 or 18 (the traced operators' opsets), got ${opset}`);
  }
  const examples: Tensor[] = Array.isArray(exampleInputs) ? [...exampleInputs] : [exampleInputs as Tensor];
  if (examples.length === 0) throw new Error('exportOnnx: give at least one example input');
  const dynamic = (opts.dynamicBatch ?? true) && examples.every((t) => t.ndim > 0);
  const inputNames = names(opts.inputNames, examples.length, 'input', 'inputNames');
  const modes = module.modules().map((m) => [m, m.training] as const);
  module.eval();
  try {
    const trace = (first: number | null) => {
      const args = examples.map((t) => ({
        dtype: t.dtype,
        shape: first === null ? t.shape : [first, ...t.shape.slice(1)],
      }));
      const inputDims = examples.map((t): Dim[] => (dynamic ? ['batch', ...t.shape.slice(1)] : [...t.shape]));
      const t = traceGraph({
        model: module,
        args,
        weights: 'initializers',
        inputNames,
        inputDims,
        outputNames: (n) => names(opts.outputNames, n, 'output', 'outputNames'),
        graphName: opts.graphName,
      });
      return { model: t.graph.toModel({ opset: 17, producer: opts.producer }), exact: t.exact };
    };
    let model: IModelProto;
    if (!dynamic) model = trace(null).model;
    else {
      // sizes unlikely to equal a model dim first; a model that refuses them (a maximum
      // length) is traced at the example's size and the next two
      const d = examples[0].shape[0];
      let sizes: readonly number[] = TRACE_SIZES.slice(0, 3);
      let traces: ReturnType<typeof trace>[];
      try {
        traces = sizes.map((n) => trace(n));
      } catch {
        sizes = [d, d + 1, d + 2];
        traces = sizes.map((n) => trace(n));
      }
      model = symbolicFirstDim(traces, sizes, inputNames[0], 'batch', 'exportOnnx', false).model;
    }
    if (opset >= 18) model = toOpset18(model);
    return onnx.ModelProto.encode(onnx.ModelProto.create(model as never)).finish();
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

/** Reduce operators whose `axes` moved from an attribute to an input in opset 18. */
const AXES_TO_INPUT = new Set([
  'ReduceMax',
  'ReduceMin',
  'ReduceMean',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ReduceSumSquare',
]);

/** The opset-17 model in opset 18's forms (the Reduce operators take `axes` as an input). */
function toOpset18(model: IModelProto): IModelProto {
  const graph = model.graph as NonNullable<IModelProto['graph']>;
  const nodes = (graph.node ?? []).flatMap((n) => {
    const axes = n.attribute?.find((a) => a.name === 'axes');
    if (!AXES_TO_INPUT.has(n.opType as string) || !axes) return [n];
    const name = `${(n.output as string[])[0]}__axes`;
    const values = (axes.ints ?? []).map((v) => BigInt(v as number));
    const raw = new Uint8Array(new BigInt64Array(values).buffer);
    const constant = {
      opType: 'Constant',
      input: [],
      output: [name],
      name: `${name}__Constant`,
      attribute: [{ name: 'value', type: 4, t: { dims: [values.length], dataType: 7, rawData: raw } }],
    };
    const attribute = (n.attribute ?? []).filter((a) => a.name !== 'axes');
    return [constant, { ...n, input: [...(n.input ?? []), name], attribute }];
  });
  const opsetImport = (model.opsetImport ?? []).map((o) => (o.domain ? o : { ...o, version: 18 }));
  return { ...model, opsetImport, irVersion: 8, graph: { ...graph, node: nodes } };
}
