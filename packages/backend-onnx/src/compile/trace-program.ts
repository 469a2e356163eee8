// A traced graph with its onnxruntime-node session: what compile runs.
import { onnx } from '../proto/onnx.js';
import { countCompiledGraphs } from '../runtime/compiled-graphs.js';
import { NativeSession } from '../runtime/native-session.js';
import type { SymbolicGraph } from '../trace/symbolic-dim.js';
import { type GraphSpec, type TracedGraph, traceGraph } from '../trace/trace-graph.js';
import type { Program } from './program.js';

function session(bytes: Uint8Array, intraOpNumThreads: number): NativeSession {
  try {
    const s = new NativeSession(bytes, { intraOpNumThreads });
    countCompiledGraphs(1);
    return s;
  } catch (e) {
    throw new Error(`compile: onnxruntime refused the traced graph: ${(e as Error).message}`);
  }
}

/**
 * The program of a traced graph: its session, feeds and sinks. With `symbolic` (the graph
 * made symbolic in the first dim from traces at several sizes, `t` the first of them) the
 * session serves every batch size, and random inputs are drawn at the size of each run.
 */
export function programOf(
  t: TracedGraph,
  symbolic: SymbolicGraph | null,
  intraOpNumThreads: number,
): Program {
  const bytes = symbolic
    ? onnx.ModelProto.encode(onnx.ModelProto.create(symbolic.model as never)).finish()
    : t.graph.toBytes();
  const inputNames = t.graph.inputNames;
  const feeds = t.feeds.map((f, i) => {
    const fit = symbolic?.inputDims.get(inputNames[i]);
    return f.kind === 'random' && fit ? { ...f, fit } : f;
  });
  const { graph: _graph, literals: _literals, resultShapes: _shapes, exact: _exact, ...rest } = t;
  return { ...rest, feeds, session: session(bytes, intraOpNumThreads), dynamic: symbolic !== null };
}

/** Traces `spec` at its shapes (see traceGraph) and builds its session; throws what the trace or ORT refused. */
export function traceProgram(spec: Omit<GraphSpec, 'weights'> & { intraOpNumThreads: number }): Program {
  return programOf(traceGraph({ ...spec, weights: 'inputs' }), null, spec.intraOpNumThreads);
}
