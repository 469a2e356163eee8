// A traced program: the ONNX graph of one step (or forward) and how each of its inputs is fed
// and each of its outputs is handed back to core's tensors when it runs.
import {
  backendByName,
  type DType,
  keep,
  replaceHandle,
  type Tensor,
  tensorFromHandle,
  toDataArray,
} from '@proj/core';
import { OnnxBackend } from '../backend/onnx-backend.js';
import { OnnxWebBackend } from '../backend/onnx-web-backend.js';
import type { Handle } from '../backend/storage.js';
import { ortInput } from '../model/tensors.js';
import { loadNative, type NativeSession, type OrtTensor } from '../runtime/native-session.js';
import type { Feed, Sink, TracedGraph } from '../trace/trace-graph.js';

export type { Feed, Sink };

/**
 * One traced graph with its session: what the trace says of its inputs and outputs (see
 * {@link TracedGraph}; the graph itself lives on in the session).
 */
export interface Program extends Omit<TracedGraph, 'graph' | 'literals' | 'resultShapes' | 'exact'> {
  readonly session: NativeSession;
  /** Whether the graph's first dim is symbolic (one graph for every batch size). */
  readonly dynamic: boolean;
  /** The last replay of a core optimizer: the literals, and the optimizer state they came from. */
  lastReplay?: { readonly fingerprint: string; readonly literals: Float64Array };
}

/** The ORT tensor holding `t`'s values with `t`'s shape (no copy for tensors on 'onnx'). */
export function feedOf(t: Tensor): OrtTensor {
  const { Tensor: Ort } = loadNative();
  const b = nativeOnnx(t.device);
  if (b) {
    const h = t.handle as Handle;
    const same = h.dims.length === t.ndim && h.dims.every((d, i) => d === t.shape[i]);
    return same ? h : new Ort(t.dtype, h.data, t.shape);
  }
  const o = ortInput(t, undefined);
  return new Ort(o.type, o.data, o.dims);
}

/** The backend of `device` when it is the 'onnx' backend on onnxruntime-node (its handles are ORT tensors). */
function nativeOnnx(device: string): OnnxBackend | null {
  const b = backendByName(device);
  return b instanceof OnnxBackend && !(b instanceof OnnxWebBackend) ? b : null;
}

/** A random input: the draw run again, in the input's dtype. */
export function randomFeed(f: Extract<Feed, { kind: 'random' }>, batch: number): OrtTensor {
  const { Tensor: Ort } = loadNative();
  // in a graph of symbolic batch, the draw's dims are functions of the batch size
  const dims = f.fit ? f.fit.map((d) => d.slope * batch + d.offset) : f.dims;
  const n = dims.reduce((a, b) => a * b, 1);
  const values = toDataArray('compile', f.redraw(n) as never, f.dtype);
  return new Ort(f.dtype, values as unknown as ArrayBufferView, dims);
}

/** `out` as a buffer of the backend of `device`: taken over on 'onnx' (Node), else written (one copy). */
export function handleOn(device: string, out: OrtTensor, dtype: DType): unknown {
  const onnx = nativeOnnx(device);
  if (onnx) return onnx.adopt(out);
  return backendByName(device).write(out.data as never, out.dims, dtype);
}

/**
 * Hands the outputs of a run back: results as new tensors on `program.device`, updated
 * parameters, buffers and state in place (their storage takes the new buffer), gradients as
 * new `grad` tensors, state the step created as new (kept) state tensors. Checks are read
 * first: a failed one throws before anything changes.
 */
export function applyOutputs(program: Program, outs: readonly OrtTensor[]): Tensor[] {
  program.sinks.forEach((s, i) => {
    if (s.kind === 'check' && !(outs[i].data as Uint8Array)[0]) throw new Error(s.message());
  });
  const results: Tensor[] = [];
  program.sinks.forEach((s, i) => {
    const o = outs[i];
    switch (s.kind) {
      case 'result':
        results[s.index] = tensorFromHandle(
          program.device,
          handleOn(program.device, o, s.dtype),
          o.dims,
          s.dtype,
        );
        break;
      case 'update':
        replaceHandle(s.tensor, handleOn(s.tensor.device, o, s.tensor.dtype));
        break;
      case 'grad': {
        const p = s.param;
        p.grad?.dispose();
        // kept, as the gradients backward() makes: a tidy() around the step does not free them
        p.grad = keep(tensorFromHandle(p.device, handleOn(p.device, o, p.dtype), p.shape, p.dtype));
        break;
      }
      case 'state': {
        const p = s.param;
        const state = s.optimizer.state.get(p);
        if (!state) throw new Error('compile: optimizer state vanished during the step');
        const old = state[s.key];
        if (typeof old === 'object') old.dispose();
        state[s.key] = keep(tensorFromHandle(p.device, handleOn(p.device, o, s.dtype), s.dims, s.dtype));
        break;
      }
      default:
        break;
    }
  });
  return results;
}
