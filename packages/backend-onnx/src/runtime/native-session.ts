// onnxruntime-node's public InferenceSession.run() wraps a synchronous native call in a
// Promise (setImmediate + resolve). The core's op API is synchronous, so this module talks to
// the native binding directly, exactly as onnxruntime-node's own OnnxruntimeSessionHandler
// does (dist/backend.js). Everything that depends on the binding's private layout is here.
// onnxruntime-node is an optional peer dependency, loaded on first use (when the Node entry's
// 'onnx' backend is selected, or at the first session), never at import; `require` comes from
// process.getBuiltinModule, so a browser bundle that includes this file sees no Node module.
import { isMissingPackage, missingPeerError, nodeBuiltin, packageRequire } from './node-builtins.js';

/** The ORT tensor object the binding consumes and produces (onnxruntime-common's Tensor). */
export interface OrtTensor {
  readonly type: string;
  readonly data: ArrayBufferView & ArrayLike<number | bigint>;
  readonly dims: readonly number[];
}

/** Constructor of onnxruntime-common's Tensor, the class the binding returns results as. */
export type OrtTensorCtor = new (type: string, data: ArrayBufferView, dims: readonly number[]) => OrtTensor;

interface NativeInferenceSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, OrtTensor>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, OrtTensor>;
  dispose(): void;
  readonly inputMetadata: readonly { name: string }[];
  readonly outputMetadata: readonly { name: string }[];
}

interface BindingModule {
  binding: { InferenceSession: new () => NativeInferenceSession };
  initOrt(): void;
}

/** Session options passed to ORT (the subset this backend sets). */
export interface NativeSessionOptions {
  /** Threads ORT uses inside one operator (default 1, for predictable timings). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /**
   * ORT's own log level (0 verbose … 4 fatal). Default 4: every ORT error reaches the caller
   * as an exception with the op named, so ORT printing it to stderr as well is only noise.
   */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

let cached: { binding: BindingModule; Tensor: OrtTensorCtor } | undefined;

function layoutError(detail: string): Error {
  return new Error(
    `@proj/backend-onnx: onnxruntime-node's native binding layout changed (${detail}); ` +
      'this backend was written against onnxruntime-node 1.30 (dist/binding.js exporting { binding, initOrt })',
  );
}

/** Loads (once) the native binding and onnxruntime-common's Tensor class. */
export function loadNative(): { binding: BindingModule; Tensor: OrtTensorCtor } {
  if (cached) return cached;
  const what = "@proj/backend-onnx's 'onnx' backend in Node (and compile, OnnxModel runtime 'node')";
  const require = packageRequire(what);
  let mod: BindingModule;
  try {
    mod = require('onnxruntime-node/dist/binding') as BindingModule;
  } catch (e) {
    if (isMissingPackage(e, 'onnxruntime-node')) throw missingPeerError('onnxruntime-node', what);
    throw layoutError(`require('onnxruntime-node/dist/binding') failed: ${(e as Error).message}`);
  }
  if (typeof mod?.initOrt !== 'function' || typeof mod.binding?.InferenceSession !== 'function') {
    throw layoutError('missing initOrt or binding.InferenceSession');
  }
  // onnxruntime-common is onnxruntime-node's dependency: resolve it from there, so it is the
  // very class the binding was initialised with.
  const nodeRequire = nodeBuiltin('node:module', what).createRequire(require.resolve('onnxruntime-node'));
  const common = nodeRequire('onnxruntime-common') as { Tensor: OrtTensorCtor };
  mod.initOrt();
  cached = { binding: mod, Tensor: common.Tensor };
  return cached;
}

/**
 * One ORT inference session created from model bytes, run synchronously. Inputs and
 * outputs are positional (in the model's declared order).
 */
export class NativeSession {
  private readonly session: NativeInferenceSession;
  private readonly inputNames: string[];
  private readonly outputNames: string[];
  private readonly fetches: Record<string, null>;

  constructor(model: Uint8Array, options: NativeSessionOptions = {}) {
    const { binding } = loadNative();
    this.session = new binding.binding.InferenceSession();
    this.session.loadModel(model.buffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: options.interOpNumThreads ?? 1,
      graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
      logSeverityLevel: options.logSeverityLevel ?? 4,
    });
    this.inputNames = this.session.inputMetadata.map((m) => m.name);
    this.outputNames = this.session.outputMetadata.map((m) => m.name);
    this.fetches = Object.fromEntries(this.outputNames.map((n) => [n, null]));
  }

  /** Runs the model on `inputs` (one per declared input) and returns its outputs in order. */
  run(inputs: readonly OrtTensor[]): OrtTensor[] {
    if (inputs.length !== this.inputNames.length) {
      throw new Error(
        `onnx session: got ${inputs.length} inputs, the model declares ${this.inputNames.length}`,
      );
    }
    const feeds: Record<string, OrtTensor> = {};
    for (let i = 0; i < inputs.length; i++) feeds[this.inputNames[i]] = inputs[i];
    const out = this.session.run(feeds, this.fetches, {});
    return this.outputNames.map((n) => out[n]);
  }

  /** Releases the native session (its earlier outputs stay valid: they are JS-owned copies). */
  dispose(): void {
    this.session.dispose();
  }
}
