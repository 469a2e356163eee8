// A traced graph with its onnxruntime-node session: what compile runs.
import { NativeSession } from '../runtime/native-session.js';
import { type GraphSpec, traceGraph } from '../trace/trace-graph.js';
import type { Program } from './program.js';

/** A new program and the literal vector of its first run (from the trace itself). */
export interface Traced {
  readonly program: Program;
  readonly literals: Float64Array;
}

/** Traces `spec` (see traceGraph) and builds its session; throws what the trace or ORT refused. */
export function traceProgram(spec: Omit<GraphSpec, 'weights'> & { intraOpNumThreads: number }): Traced {
  const t = traceGraph({ ...spec, weights: 'inputs' });
  let session: NativeSession;
  try {
    session = new NativeSession(t.graph.toBytes(), { intraOpNumThreads: spec.intraOpNumThreads });
  } catch (e) {
    throw new Error(`compile: onnxruntime refused the traced graph: ${(e as Error).message}`);
  }
  const { graph: _graph, literals, resultShapes: _shapes, ...rest } = t;
  return { program: { ...rest, session }, literals };
}
