// exportOnnx: a trace-free, structural export of built-in nn layers (and Sequentials of them)
// to an ONNX model whose initialisers are the module's state-dict tensors.
import { type nn, noGrad, type Tensor, tidy } from '@proj/core';
import type { OnnxDType } from '../proto/dtypes.js';
import { type Dim, GraphBuilder } from '../proto/graph-builder.js';
import { ExportContext } from './context.js';
import { emitModule, type Traced } from './walk.js';

/** Options of {@link exportOnnx}. */
export interface ExportOptions {
  /** Default-domain opset (default 17, the oldest with LayerNormalization; 13 at least). */
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

const MIN_OPSET = 13;

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
 * Exports `module` to ONNX bytes. The module tree is walked structurally: `nn.Sequential`
 * children in order and each built-in layer (Linear, Conv1d/2d, ConvTranspose2d, pooling,
 * BatchNorm, LayerNorm, Dropout, Flatten/Unflatten, Embedding, every activation, RNN/LSTM/GRU,
 * MultiheadAttention, TransformerEncoder(Layer), PositionalEncoding) becomes ONNX nodes; a
 * module with a custom `forward()` is refused with an error naming its class. The model is
 * exported in eval mode (Dropout is the identity, BatchNorm uses its running stats), the
 * module's own mode is restored afterwards. Each module also runs once on `exampleInputs`,
 * which fixes the shapes (all but the symbolic first dim). Initialisers are named by
 * state-dict keys (`0.weight`, `layers.0.self_attn.in_proj_weight`).
 *
 * @throws Error naming the module (its class and path) when it cannot be exported, and when
 * `opset` is not an integer >= 13 (or too old for a layer), no example input is given, or
 * `inputNames`/`outputNames` are not one unique name per input/output.
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
  if (!Number.isInteger(opset) || opset < MIN_OPSET) {
    throw new Error(`exportOnnx: opset must be an integer >= ${MIN_OPSET}, got ${opset}`);
  }
  const examples: Tensor[] = Array.isArray(exampleInputs) ? [...exampleInputs] : [exampleInputs as Tensor];
  if (examples.length === 0) throw new Error('exportOnnx: give at least one example input');
  const dynamic = opts.dynamicBatch ?? true;
  const inputNames = names(opts.inputNames, examples.length, 'input', 'inputNames');
  const g = new GraphBuilder(opts.graphName ?? module.constructor.name);
  const cx = new ExportContext(g, opset);
  const modes = module.modules().map((m) => [m, m.training] as const);
  module.eval();
  try {
    return tidy(() =>
      noGrad(() => {
        const inputs: Traced[] = examples.map((t, i) => {
          const dims: Dim[] = t.shape.map((d, j) => (dynamic && j === 0 ? 'batch' : d));
          const name = g.input(inputNames[i], t.dtype as OnnxDType, dims);
          return {
            value: {
              name,
              dtype: t.dtype as OnnxDType,
              shape: t.shape,
              dyn: dynamic && t.ndim > 0 ? 0 : null,
            },
            example: t,
          };
        });
        const outs = emitModule(cx, module, '', inputs);
        const outputNames = names(opts.outputNames, outs.length, 'output', 'outputNames');
        outs.forEach((o, i) => {
          const v = o.value;
          const [name] = g.node('Identity', [v.name], [outputNames[i]]);
          g.output(
            name,
            v.dtype,
            v.shape.map((d, j) => (j === v.dyn ? 'batch' : d)),
          );
        });
        return g.toBytes({ opset, producer: opts.producer });
      }),
    );
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}
