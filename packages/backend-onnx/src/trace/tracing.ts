// Running core code on a TraceBackend: the tracer becomes a registered device and the default
// backend while `fn` runs, the given tensors stand for its graph values, and every host draw
// is handed to the tracer (a draw that does not go through core's hostDraw is refused).
import {
  currentBackendName,
  Generator,
  registerBackend,
  removeBackend,
  setBackend,
  swapStorage,
  type Tensor,
  watchHostDraws,
} from '@proj/core';
import { Sym, type TraceBackend, TraceReadError } from './trace-backend.js';

let named = 0;
const free: string[] = [];

/**
 * A device name for a tracer (its tensors report it), not in use by another tracer; give it
 * back with {@link releaseTraceDevice}, so that the names (and memory()'s devices) stay few.
 */
export function traceDeviceName(): string {
  return free.pop() ?? `onnx-trace-${++named}`;
}

/** Gives back a name from {@link traceDeviceName}. */
export function releaseTraceDevice(name: string): void {
  free.push(name);
}

/** A tensor bound to a graph value for the duration of a trace, and how to put it back. */
export interface Bound {
  readonly tensor: Tensor;
  readonly sym: Sym;
  readonly restore: () => void;
}

/**
 * Runs `fn` with `tracer` registered as its device and selected as the default backend, and
 * `bind` called first to bind tensors (with {@link bindTensor}); everything is put back
 * afterwards, even when `fn` throws. Random numbers drawn by `fn` must all come through
 * core's `hostDraw` (dropout, rand, …), so that the traced program can draw them again.
 */
export function runTraced<T>(tracer: TraceBackend, fn: () => T): T {
  const previous = currentBackendName();
  registerBackend(tracer.name, () => tracer);
  let accounted = 0;
  const start = Generator.drawCount;
  try {
    setBackend(tracer.name);
    const result = watchHostDraws((redraw, _n, draws) => {
      accounted += draws;
      tracer.noteDraw(redraw);
    }, fn);
    if (Generator.drawCount - start !== accounted) {
      throw new TraceReadError(
        `compile: the traced code drew ${Generator.drawCount - start - accounted} random numbers outside ` +
          "core's random ops (a generator used directly), which a compiled program cannot draw again",
      );
    }
    return result;
  } finally {
    setBackend(previous);
    removeBackend(tracer.name);
  }
}

/** Binds `t` to a new graph input of `tracer` named `name`; `restore()` puts its storage back. */
export function bindTensor(tracer: TraceBackend, t: Tensor, name: string, batchDim = false): Bound {
  const onnxDims = batchDim && t.ndim > 0 ? ['batch', ...t.shape.slice(1)] : undefined;
  const sym = tracer.input(name, t.dtype, t.shape, onnxDims);
  const restore = swapStorage(t, tracer.name, sym);
  return { tensor: t, sym, restore };
}

/**
 * Declares `t`'s values an initialiser named `name` of the tracer's graph and binds `t` to it
 * (export: weights travel in the file); `restore()` puts its storage back.
 */
export function bindInitializer(tracer: TraceBackend, t: Tensor, name: string): Bound {
  tracer.graph.initializer(name, t);
  const sym = new Sym(name, t.dtype, [...t.shape]);
  const restore = swapStorage(t, tracer.name, sym);
  return { tensor: t, sym, restore };
}
