// The two runtimes behind OnnxModel: onnxruntime-node (through its native binding, so it can
// also run synchronously) and onnxruntime-web (wasm; asynchronous, also usable in Node).
import type { loadNative } from '../runtime/native-session.js';
import { isMissingPackage, missingPeerError, packageRequire } from '../runtime/node-builtins.js';
import { importOrtWeb } from '../runtime/ort-web.js';
import type { OnnxModelOptions } from './onnx-model.js';
import type { OrtLikeTensor } from './tensors.js';

/** An ORT tensor to feed: element type, data and dims. */
export interface Feed {
  type: string;
  data: ArrayBufferView;
  dims: number[];
}

/** One loaded model in either runtime. */
export interface RuntimeSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Declared element type of each input, where the runtime reports it. */
  readonly inputTypes: Readonly<Record<string, string | undefined>>;
  /**
   * Declared shape of each input, where the runtime reports one: a number is a fixed size, a
   * string a symbolic dim ('' when unnamed). An empty array may also mean "not declared".
   */
  readonly inputShapes: Readonly<Record<string, readonly (number | string)[] | undefined>>;
  run(feeds: readonly Feed[]): Promise<OrtLikeTensor[]>;
  /** Present when the runtime can execute synchronously (onnxruntime-node). */
  runSync?: (feeds: readonly Feed[]) => OrtLikeTensor[];
  release(): Promise<void>;
}

// ONNX TensorProto.DataType code -> ORT type string (onnxruntime-node's dist/backend.js table).
const ORT_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

interface RawMetadata {
  name: string;
  isTensor?: boolean;
  type?: number;
  /** Sizes, -1 where symbolic (then named in `symbolicDimensions`). */
  shape?: readonly number[];
  symbolicDimensions?: readonly string[];
}

/** A declared shape from the native binding's metadata (-1 → the symbolic dim's name). */
function nativeShape(m: RawMetadata): (number | string)[] | undefined {
  if (!m.isTensor || !m.shape) return undefined;
  return m.shape.map((d, i) => (d >= 0 ? d : (m.symbolicDimensions?.[i] ?? '')));
}

interface RawNativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, OrtLikeTensor>;
  dispose(): void;
  readonly inputMetadata: readonly RawMetadata[];
  readonly outputMetadata: readonly RawMetadata[];
}

function sessionOptions(opts: OnnxModelOptions, defaultEp: string): Record<string, unknown> {
  return {
    executionProviders: [...(opts.executionProviders ?? [defaultEp])],
    intraOpNumThreads: opts.numThreads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
  };
}

/**
 * An onnxruntime-node session driven through the native binding (as onnxruntime-node's own
 * session handler does), which runs synchronously; falls back to the public, async-only API
 * when the binding's layout is not the one `runtime/native-session.ts` knows.
 */
export async function createNodeSession(bytes: Uint8Array, opts: OnnxModelOptions): Promise<RuntimeSession> {
  let native: ReturnType<typeof loadNative> | null = null;
  try {
    native = (await import('../runtime/native-session.js')).loadNative();
  } catch (e) {
    // not installed: the public API below would fail the same way, so say what to install
    if ((e as { missingPeer?: string }).missingPeer) throw e;
    native = null;
  }
  const options = sessionOptions(opts, 'cpu');
  if (native) {
    const { binding, Tensor } = native;
    const s = new (binding.binding.InferenceSession as unknown as new () => RawNativeSession)();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, options);
    const inputNames = s.inputMetadata.map((m) => m.name);
    const outputNames = s.outputMetadata.map((m) => m.name);
    const inputTypes = Object.fromEntries(
      s.inputMetadata.map((m) => [m.name, m.type === undefined ? undefined : ORT_TYPES[m.type]]),
    );
    const inputShapes = Object.fromEntries(s.inputMetadata.map((m) => [m.name, nativeShape(m)]));
    const fetches = Object.fromEntries(outputNames.map((n) => [n, null]));
    const runSync = (feeds: readonly Feed[]): OrtLikeTensor[] => {
      const f: Record<string, unknown> = {};
      for (const [i, x] of feeds.entries()) f[inputNames[i]] = new Tensor(x.type, x.data, x.dims);
      const out = s.run(f, fetches, {});
      return outputNames.map((n) => out[n]);
    };
    return {
      inputNames,
      outputNames,
      inputTypes,
      inputShapes,
      runSync,
      run: async (feeds) => runSync(feeds),
      release: async () => s.dispose(),
    };
  }
  // required, not imported: a bundler building for browsers must not follow it
  const what = "OnnxModel.load with runtime 'node'";
  let ort: typeof import('onnxruntime-node');
  try {
    ort = packageRequire(what)('onnxruntime-node') as typeof import('onnxruntime-node');
  } catch (e) {
    if (isMissingPackage(e, 'onnxruntime-node')) throw missingPeerError('onnxruntime-node', what);
    throw e;
  }
  const s = await ort.InferenceSession.create(bytes, options as never);
  return publicSession(s, ort.Tensor as never);
}

type PublicSession = {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly {
    name: string;
    isTensor: boolean;
    type?: string;
    shape?: readonly (number | string)[];
  }[];
  run(feeds: Record<string, unknown>): Promise<Record<string, unknown>>;
  release(): Promise<void>;
};

function publicSession(
  s: PublicSession,
  TensorCtor: new (type: string, data: ArrayBufferView, dims: readonly number[]) => unknown,
): RuntimeSession {
  const inputNames = [...s.inputNames];
  const outputNames = [...s.outputNames];
  const inputTypes = Object.fromEntries(
    (s.inputMetadata ?? []).map((m) => [m.name, m.isTensor ? m.type : undefined]),
  );
  const inputShapes = Object.fromEntries(
    (s.inputMetadata ?? []).map((m) => [m.name, m.isTensor ? m.shape : undefined]),
  );
  return {
    inputNames,
    outputNames,
    inputTypes,
    inputShapes,
    run: async (feeds) => {
      const f: Record<string, unknown> = {};
      for (const [i, x] of feeds.entries()) f[inputNames[i]] = new TensorCtor(x.type, x.data, x.dims);
      const out = await s.run(f);
      return outputNames.map((n) => out[n] as OrtLikeTensor);
    },
    release: () => s.release(),
  };
}

let webConfigured = false;

/**
 * An onnxruntime-web session (wasm execution provider, onnxruntime-web's wasm-only build). In
 * Node that build reads its .wasm from the installed package, so nothing is downloaded;
 * threads default to 1.
 */
export async function createWebSession(bytes: Uint8Array, opts: OnnxModelOptions): Promise<RuntimeSession> {
  const ort = await importOrtWeb("OnnxModel.load with runtime 'web'");
  if (!webConfigured) {
    // env.wasm is read when the first session initialises the wasm module; later changes are ignored.
    ort.env.wasm.numThreads = opts.numThreads ?? 1;
    webConfigured = true;
  }
  const options = sessionOptions(opts, 'wasm');
  delete options.intraOpNumThreads;
  delete options.interOpNumThreads;
  const s = await ort.InferenceSession.create(bytes, options as never);
  return publicSession(s as unknown as PublicSession, ort.Tensor as never);
}
