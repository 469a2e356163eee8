// OnnxModel: runs any ONNX model as one inference session with onnxruntime-node (synchronous
// native calls available) or onnxruntime-web (wasm, asynchronous; in browsers and in Node).
import type { Tensor } from '@proj/core';
import { isNode, nodeBuiltin } from '../runtime/node-builtins.js';
import { checkInput, checkNotEmpty, checkSymbolicDims, loadError } from './checks.js';
import { createNodeSession, createWebSession, type RuntimeSession } from './sessions.js';
import { fromOrt, type OrtLikeTensor, ortInput } from './tensors.js';

/** Options of {@link OnnxModel.load}. */
export interface OnnxModelOptions {
  /** 'node' (onnxruntime-node, default in Node) or 'web' (onnxruntime-web, default elsewhere). */
  runtime?: 'node' | 'web';
  /** ORT execution providers (default: `['cpu']` for node, `['wasm']` for web). */
  executionProviders?: readonly (
    | string
    | {
        /** The provider's name (`'cpu'`, `'cuda'`, `'wasm'`, …); the other keys are its options. */
        name: string;
        [k: string]: unknown;
      }
  )[];
  /** Threads inside one operator (node: intraOpNumThreads; web: `env.wasm.numThreads`, set before the first session). Default 1. */
  numThreads?: number;
  /** ORT graph optimisation level (default 'all'). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Device of the returned tensors (default: the current backend's). */
  device?: string;
}

async function readSource(source: Uint8Array | ArrayBuffer | string): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source !== 'string')
    throw new Error(`OnnxModel.load: expected bytes or a path/URL, got ${typeof source}`);
  if (isNode && !/^https?:\/\//.test(source)) {
    const { readFile } = nodeBuiltin('node:fs/promises', 'OnnxModel.load(path)');
    return new Uint8Array(await readFile(source));
  }
  const res = await fetch(source);
  if (!res.ok) throw new Error(`OnnxModel.load: fetching ${source} failed: ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * An ONNX model loaded into one ONNX Runtime session: the whole forward pass is one call.
 *
 * ```ts
 * const model = await OnnxModel.load(exportOnnx(net, [x]));          // onnxruntime-node
 * const [y] = await model.run([x]);                                  // or model.runSync([x]) in Node
 * const web = await OnnxModel.load('model.onnx', { runtime: 'web' }); // onnxruntime-web (wasm)
 * model.dispose();
 * ```
 */
export class OnnxModel {
  /** Input names, in the model's order. */
  readonly inputNames: readonly string[];
  /** Output names, in the model's order (the order of {@link run}'s results). */
  readonly outputNames: readonly string[];
  /** Which runtime executes the model. */
  readonly runtime: 'node' | 'web';
  private session: RuntimeSession | null;
  private readonly device: string | undefined;

  private constructor(session: RuntimeSession, runtime: 'node' | 'web', device: string | undefined) {
    this.session = session;
    this.runtime = runtime;
    this.device = device;
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
  }

  /**
   * Loads a model from bytes, or from a file path (Node) or URL, into a session (see
   * {@link OnnxModelOptions} for the runtime, threads and device).
   *
   * @throws Error if the runtime is unknown ('node' outside Node), the source is empty or cannot
   * be read or fetched, the runtime's package (onnxruntime-node or onnxruntime-web) is not
   * installed, or onnxruntime cannot load the bytes (not an ONNX model, an unsupported opset, …).
   */
  static async load(
    source: Uint8Array | ArrayBuffer | string,
    opts: OnnxModelOptions = {},
  ): Promise<OnnxModel> {
    const runtime = opts.runtime ?? (isNode ? 'node' : 'web');
    if (runtime !== 'node' && runtime !== 'web') {
      throw new Error(`OnnxModel.load: runtime must be 'node' or 'web', got '${runtime}'`);
    }
    if (runtime === 'node' && !isNode)
      throw new Error("OnnxModel.load: runtime 'node' needs Node.js; use runtime 'web' in browsers");
    const bytes = await readSource(source);
    const what = typeof source === 'string' ? `'${source}'` : 'the given bytes';
    checkNotEmpty(bytes, what);
    let session: RuntimeSession;
    try {
      session =
        runtime === 'node' ? await createNodeSession(bytes, opts) : await createWebSession(bytes, opts);
    } catch (e) {
      throw loadError(bytes, what, e);
    }
    return new OnnxModel(session, runtime, opts.device);
  }

  private live(op: string): RuntimeSession {
    if (!this.session) throw new Error(`OnnxModel.${op}() called after dispose() (the session was released)`);
    return this.session;
  }

  private feeds(op: string, s: RuntimeSession, inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>) {
    const byName: Record<string, Tensor> = {};
    if (Array.isArray(inputs)) {
      if (inputs.length !== this.inputNames.length) {
        throw new Error(
          `OnnxModel.${op}: got ${inputs.length} inputs, the model takes ${this.inputNames.length} (${this.inputNames.join(', ')})`,
        );
      }
      for (const [i, n] of this.inputNames.entries()) byName[n] = (inputs as readonly Tensor[])[i];
    } else {
      const given = Object.keys(inputs);
      const missing = this.inputNames.filter((n) => !(n in inputs));
      const unknown = given.filter((n) => !this.inputNames.includes(n));
      if (missing.length || unknown.length) {
        throw new Error(
          `OnnxModel.${op}: inputs do not match the model's (${this.inputNames.join(', ')}): ` +
            `${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown ${unknown.join(', ')}` : ''}`,
        );
      }
      Object.assign(byName, inputs);
    }
    const where = `OnnxModel.${op}`;
    const tensors = this.inputNames.map((n) => byName[n]);
    for (const [i, n] of this.inputNames.entries()) {
      checkInput(where, n, tensors[i], s.inputTypes[n], s.inputShapes[n]);
    }
    checkSymbolicDims(
      where,
      this.inputNames,
      tensors,
      this.inputNames.map((n) => s.inputShapes[n]),
    );
    return this.inputNames.map((n) => ortInput(byName[n], s.inputTypes[n]));
  }

  /** ORT's own failure (what the checks above cannot see, e.g. a bad value), with the inputs named. */
  private runError(op: string, e: unknown, feeds: readonly { dims: number[]; type: string }[]): Error {
    const given = feeds.map((f, i) => `${this.inputNames[i]} [${f.dims.join(', ')}] ${f.type}`).join(', ');
    return new Error(`OnnxModel.${op}: onnxruntime failed on ${given}: ${(e as Error).message}`);
  }

  private results(outs: readonly OrtLikeTensor[]): Tensor[] {
    return outs.map((o, i) => fromOrt(o, this.outputNames[i], this.device));
  }

  /**
   * Runs the model. Inputs are positional (in {@link inputNames} order) or by name; returns
   * one tensor per output, in {@link outputNames} order.
   *
   * @throws Error if the inputs do not match the model's (count, names, dtype, rank, fixed
   * dims, or a symbolic dim given two sizes), onnxruntime fails, or the model was disposed.
   */
  async run(inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>): Promise<Tensor[]> {
    const s = this.live('run');
    const feeds = this.feeds('run', s, inputs);
    let outs: OrtLikeTensor[];
    try {
      outs = await s.run(feeds);
    } catch (e) {
      throw this.runError('run', e, feeds);
    }
    return this.results(outs);
  }

  /**
   * Runs the model synchronously (onnxruntime-node only, through its native binding).
   * With runtime 'web' execution is asynchronous: use `await model.run()`.
   *
   * @throws Error with runtime 'web' (or when the native binding cannot be loaded synchronously),
   * and as {@link run} throws.
   */
  runSync(inputs: readonly Tensor[] | Readonly<Record<string, Tensor>>): Tensor[] {
    const s = this.live('runSync');
    if (!s.runSync) {
      throw new Error(
        this.runtime === 'web'
          ? "OnnxModel.runSync: runtime 'web' (onnxruntime-web) only runs asynchronously; use await model.run()"
          : "OnnxModel.runSync: onnxruntime-node's native binding could not be loaded synchronously; use await model.run()",
      );
    }
    const feeds = this.feeds('runSync', s, inputs);
    let outs: OrtLikeTensor[];
    try {
      outs = s.runSync(feeds);
    } catch (e) {
      throw this.runError('runSync', e, feeds);
    }
    return this.results(outs);
  }

  /** Releases the session; `run`/`runSync` throw afterwards. Disposing twice is harmless. */
  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.release();
  }
}
