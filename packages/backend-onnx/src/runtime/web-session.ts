// onnxruntime-web sessions: creation and execution are asynchronous, so the web backend
// defers ops and runs them here when a result is read (`await t.data()`).
import type { GraphBuilder } from '../proto/index.js';
import type { OrtTensor } from './native-session.js';
import type { SessionStats } from './session-cache.js';

type Ort = typeof import('onnxruntime-web');
type WebSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

let ortPromise: Promise<Ort> | undefined;

/** Loads onnxruntime-web once (wasm execution provider, one thread unless configured). */
export function loadOrtWeb(numThreads = 1): Promise<Ort> {
  ortPromise ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.numThreads = numThreads;
    return ort;
  });
  return ortPromise;
}

/** Asynchronous counterpart of `SessionCache`: one onnxruntime-web session per key, kept. */
export class WebSessionCache {
  private readonly sessions = new Map<string, Promise<WebSession>>();
  private readonly counters: SessionStats = { sessionsCreated: 0, cacheHits: 0, runs: 0 };

  constructor(private readonly numThreads = 1) {}

  /** Runs the model cached under `key` (built with `build` on first use) on `inputs`. */
  async run(key: string, build: () => GraphBuilder, inputs: readonly OrtTensor[]): Promise<OrtTensor[]> {
    const ort = await loadOrtWeb(this.numThreads);
    let session = this.sessions.get(key);
    if (session) this.counters.cacheHits++;
    else {
      session = ort.InferenceSession.create(build().toBytes(), { executionProviders: ['wasm'] });
      this.sessions.set(key, session);
      this.counters.sessionsCreated++;
    }
    const s = await session;
    this.counters.runs++;
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
    s.inputNames.forEach((name, i) => {
      const t = inputs[i];
      feeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
    });
    const out = await s.run(feeds);
    return s.outputNames.map((n) => out[n] as unknown as OrtTensor);
  }

  stats(): SessionStats {
    return { ...this.counters };
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Releases every session. */
  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).release();
  }
}
