// Tracing a model's training step (forward, loss, core's backward, the optimizer's update) or
// its forward alone into one ONNX graph, and how that graph's inputs are fed and its outputs
// handed back. Runtime-free: compile adds a session, exportOnnx writes the graph.
import {
  currentBackendName,
  type DType,
  type nn,
  noGrad,
  type optim,
  Tensor,
  tensorFromHandle,
  tidy,
} from '@proj/core';
import type { GraphBuilder, OnnxDType } from '../proto/index.js';
import type { DimFit } from './symbolic-dim.js';
import { TraceBackend, writeLiteral } from './trace-backend.js';
import {
  type Bound,
  bindInitializer,
  bindTensor,
  releaseTraceDevice,
  runTraced,
  traceDeviceName,
} from './tracing.js';

/** How a graph input is fed on each run. */
export type Feed =
  | { readonly kind: 'arg'; readonly index: number }
  | { readonly kind: 'tensor'; readonly tensor: Tensor }
  | {
      readonly kind: 'random';
      readonly redraw: (n: number) => ArrayLike<number>;
      readonly dtype: DType;
      readonly dims: readonly number[];
      /** In a graph of symbolic batch: each dim as a function of the batch size. */
      readonly fit?: readonly DimFit[];
    }
  | { readonly kind: 'literals' };

/** What a graph output becomes after each run. */
export type Sink =
  | {
      readonly kind: 'result';
      readonly index: number;
      readonly dtype: DType;
      readonly dims: readonly number[];
    }
  | { readonly kind: 'update'; readonly tensor: Tensor }
  | { readonly kind: 'grad'; readonly param: Tensor }
  | {
      readonly kind: 'state';
      readonly param: Tensor;
      readonly key: string;
      readonly optimizer: optim.Optimizer<any>;
      readonly dtype: DType;
      readonly dims: readonly number[];
    }
  | { readonly kind: 'check'; readonly message: () => string };

/** A loss: a module (`nn.CrossEntropyLoss`, …) or a function of the output and the target. */
export type LossFn = nn.Module | ((output: any, target: Tensor) => Tensor);

/** The shape and dtype of a traced argument. */
export interface ArgSpec {
  readonly shape: readonly number[];
  readonly dtype: Tensor['dtype'];
}

/** What a trace needs to know. */
export interface GraphSpec {
  readonly model: nn.Module;
  /** The arguments (for a step: the model's inputs then the target). */
  readonly args: readonly ArgSpec[];
  readonly loss?: LossFn;
  readonly optimizer?: optim.Optimizer<any>;
  /**
   * `'inputs'`: parameters, buffers and state are graph inputs fed per run and updated from
   * its outputs (compile); `'initializers'`: parameters and buffers are initialisers named by
   * their state-dict keys, and only the results are outputs (export).
   */
  readonly weights: 'inputs' | 'initializers';
  /** Graph input names (default `input_0`, …). */
  readonly inputNames?: readonly string[];
  /** Graph output names of the results, or a function of their count (default: fresh names). */
  readonly outputNames?: readonly string[] | ((count: number) => readonly string[]);
  /** Name of the graph (default: the model's class name). */
  readonly graphName?: string;
  /** Let equal optimizer literals share one entry of the literal vector (default true). */
  readonly dedupeLiterals?: boolean;
  /** Dims declared for the inputs (default: their shapes); strings are symbolic. */
  readonly inputDims?: readonly (readonly (number | string)[])[];
}

/** A traced graph and how to run it. */
export interface TracedGraph {
  readonly graph: GraphBuilder;
  readonly feeds: readonly Feed[];
  readonly sinks: readonly Sink[];
  /** Shapes of the results, in output order. */
  readonly resultShapes: readonly (readonly number[])[];
  /** The optimizer segment's primitive keys (what a replay must reproduce). */
  readonly optKeys: string;
  /** Offsets in the literal vector of the optimizer literals, by their creation index. */
  readonly optSlots: ReadonlyMap<number, number>;
  /** Entries of the literal vector. */
  readonly optLength: number;
  /** Optimizer literals made (a replay must make as many). */
  readonly optCount: number;
  /** Optimizer literals sharing another's entry: [literal, the one it shares] (replays verify them). */
  readonly optShared: readonly (readonly [number, number])[];
  /** The parameters whose gradients the step computes (the replay gives them placeholders). */
  readonly gradParams: readonly Tensor[];
  /** The model's parameters when traced. */
  readonly params: readonly Tensor[];
  /** Its parameters and buffers when traced (a replaced one means a new trace). */
  readonly tensors: readonly Tensor[];
  /** The device results are returned on. */
  readonly device: string;
  /** The literal vector of the first run (the trace's own optimizer literals). */
  readonly literals: Float64Array;
  /** core's float64 values of the graph's float constants, by value name. */
  readonly exact: ReadonlyMap<string, Float64Array>;
}

/** Applies a loss module or function. */
export const callLoss = (loss: LossFn, out: unknown, target: Tensor): Tensor =>
  typeof loss === 'function'
    ? loss(out, target)
    : (loss as nn.Module & { forward(o: unknown, t: Tensor): Tensor }).forward(out, target);

/** The tensors a step reads and may update: parameters, buffers, optimizer state and kept grads. */
function stateTensors(spec: GraphSpec): { tensor: Tensor; name: string }[] {
  const seen = new Set<Tensor>();
  const out: { tensor: Tensor; name: string }[] = [];
  const add = (tensor: Tensor, name: string) => {
    if (seen.has(tensor)) return;
    seen.add(tensor);
    out.push({ tensor, name });
  };
  for (const [k, p] of spec.model.namedParameters()) add(p, `param.${k}`);
  for (const [k, b] of spec.model.namedBuffers()) add(b, `buffer.${k}`);
  const opt = spec.optimizer;
  if (opt) {
    opt.paramGroups.forEach((g, gi) => {
      g.params.forEach((p: Tensor, pi: number) => {
        add(p, `opt.${gi}.${pi}`);
        for (const [k, v] of Object.entries(opt.state.get(p) ?? {})) {
          if (typeof v === 'object') add(v, `state.${gi}.${pi}.${k}`);
        }
      });
    });
  }
  // gradients the optimizer does not reset accumulate, as in eager
  for (const [k, p] of spec.model.namedParameters()) if (p.grad) add(p.grad, `grad.${k}`);
  return out;
}

/**
 * Traces `spec` (see the file comment). Nothing runs: the model's tensors stand for graph
 * values while the code runs, and are put back as they were.
 *
 * @throws Error naming what the trace refused (a value read, a random draw it cannot replay).
 */
export function traceGraph(spec: GraphSpec): TracedGraph {
  const tracer = new TraceBackend(traceDeviceName(), spec.graphName ?? spec.model.constructor.name);
  tracer.dedupeLiterals = spec.dedupeLiterals ?? true;
  const g = tracer.graph;
  const feedOf = new Map<string, Feed>();
  const sinks: Sink[] = [];
  const bound: Bound[] = [];
  const created: Tensor[] = [];
  const gradParams: Tensor[] = [];
  const training = spec.optimizer !== undefined;
  const opt = spec.optimizer;
  const params = spec.model.parameters();
  const tensors = [...params, ...spec.model.buffers()];
  const device = params[0]?.device ?? currentBackendName();
  const asInputs = spec.weights === 'inputs';
  const resultShapes: number[][] = [];
  let optStart = 0;
  const stateBefore = new Map<Tensor, Set<string>>();
  if (opt)
    for (const p of opt.paramGroups.flatMap((gr) => gr.params))
      stateBefore.set(p, new Set(Object.keys(opt.state.get(p) ?? {})));
  const declared = new Set<string>();
  const output = (name: string, dtype: string, sink: Sink, as?: string, dims?: readonly number[]) => {
    // a node's value is the output itself (an Identity would be a copy ORT keeps); an input,
    // an initialiser, a value given twice or a named output goes through one
    const identity = as !== undefined || declared.has(name) || g.isSource(name);
    const o = identity ? g.node('Identity', [name], as === undefined ? 1 : [as])[0] : name;
    declared.add(o);
    g.output(o, dtype as OnnxDType, dims ?? null);
    sinks.push(sink);
  };
  try {
    runTraced(tracer, () => {
      const args = spec.args.map((a, i) => {
        const name = spec.inputNames?.[i] ?? `input_${i}`;
        feedOf.set(name, { kind: 'arg', index: i });
        const sym = tracer.input(name, a.dtype, a.shape, spec.inputDims?.[i]);
        return tensorFromHandle(tracer.name, sym, a.shape, a.dtype);
      });
      created.push(...args);
      if (asInputs) {
        for (const { tensor, name } of stateTensors(spec)) {
          const b = bindTensor(tracer, tensor, name);
          feedOf.set(b.sym.name, { kind: 'tensor', tensor });
          bound.push(b);
        }
      } else {
        // named by their state-dict keys (a tensor shared by two names is bound once)
        const seen = new Set<Tensor>();
        for (const [name, tensor] of [...spec.model.namedParameters(), ...spec.model.namedBuffers()]) {
          if (seen.has(tensor)) continue;
          seen.add(tensor);
          bound.push(bindInitializer(tracer, tensor, name));
        }
      }
      const results = tidy(() => {
        if (!training) return flatResults(noGrad(() => spec.model.forward(...args)));
        const n = args.length - 1;
        const out = spec.model.forward(...args.slice(0, n));
        const loss = callLoss(spec.loss as LossFn, out, args[n]);
        loss.backward();
        tracer.segment = 'opt';
        optStart = tracer.keys.length;
        (opt as optim.Optimizer<any>).step();
        tracer.segment = 'model';
        return [loss];
      });
      created.push(...results);
      const given = spec.outputNames;
      const outNames = typeof given === 'function' ? given(results.length) : given;
      results.forEach((r, index) => {
        resultShapes.push([...r.shape]);
        const sink: Sink = { kind: 'result', index, dtype: r.dtype, dims: r.shape };
        output(tracer.nameOfTensor(r), r.dtype, sink, outNames?.[index], r.shape);
      });
      if (asInputs)
        for (const b of bound) {
          const h = b.tensor.handle;
          if (h !== b.sym)
            output(tracer.nameOfTensor(b.tensor), b.tensor.dtype, { kind: 'update', tensor: b.tensor });
        }
      if (training) {
        const boundSet = new Set(bound.map((b) => b.tensor));
        for (const p of params) {
          const grad = p.grad;
          if (grad && !boundSet.has(grad)) {
            output(tracer.nameOfTensor(grad), p.dtype, { kind: 'grad', param: p });
          }
        }
        for (const [p, before] of stateBefore) {
          for (const [key, v] of Object.entries(opt?.state.get(p) ?? {})) {
            if (typeof v !== 'object' || before.has(key)) continue;
            const sink: Sink = {
              kind: 'state',
              param: p,
              key,
              optimizer: opt as optim.Optimizer<any>,
              dtype: v.dtype,
              dims: v.shape,
            };
            output(tracer.nameOfTensor(v), v.dtype, sink);
          }
        }
      }
      // (an exported graph has nowhere to report them: ORT's own index checks remain)
      if (asInputs)
        for (const c of tracer.checks) output(c.name, 'bool', { kind: 'check', message: c.message });
    });
  } finally {
    for (const b of bound) b.restore();
    // what the trace created on the tracer's device goes (a run's outputs replace it), also
    // when the trace failed half way
    for (const p of params) {
      const grad = p.grad;
      if (grad?.device !== tracer.name) continue;
      gradParams.push(p);
      p.grad = null;
      created.push(grad);
    }
    for (const t of created) if (!t.isDisposed) t.dispose();
    releaseTraceDevice(tracer.name);
  }
  if (!asInputs && tracer.randoms.length > 0) {
    throw new Error(
      'exportOnnx: the forward draws random numbers in eval mode (rand, randn, a dropout called with training: true), which an exported graph cannot; keep draws out of an exported forward',
    );
  }
  for (const { lit, input } of tracer.randoms) {
    const redraw = lit.redraw as (n: number) => ArrayLike<number>;
    feedOf.set(input, { kind: 'random', redraw, dtype: lit.type, dims: lit.dims });
  }
  feedOf.set('literals', { kind: 'literals' });
  const feeds = g.inputNames.map((n) => feedOf.get(n) as Feed);
  const literals = new Float64Array(tracer.optLength);
  for (const [index, off] of tracer.optSlots) writeLiteral(tracer.optLiterals[index], literals, off);
  if (!asInputs) g.pruneInitializers();
  return {
    graph: g,
    feeds,
    sinks,
    resultShapes,
    optKeys: tracer.keys.slice(optStart).join('\n'),
    optSlots: tracer.optSlots,
    optLength: tracer.optLength,
    optCount: tracer.optLiterals.length,
    optShared: tracer.optShared,
    gradParams,
    params,
    tensors,
    device,
    literals,
    exact: tracer.constantExact,
  };
}

/** A model's results as a flat list (`[out, [h, c]]` → `[out, h, c]`; nulls dropped). */
function flatResults(r: unknown): Tensor[] {
  const out: Tensor[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof Tensor) out.push(v);
    else if (v !== null && v !== undefined) {
      throw new Error('trace: the model must return tensors (or arrays of tensors), got ' + typeof v);
    }
  };
  visit(r);
  return out;
}
