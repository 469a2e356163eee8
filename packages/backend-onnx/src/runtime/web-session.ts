// onnxruntime-web sessions: creation and execution are asynchronous, so the web backend
// defers ops and runs them here when a result is read (`await t.data()`).
import type { GraphBuilder } from '../proto/index.js';
import { checkLimit, LruMap } from './lru.js';
import type { OrtTensor } from './native-session.js';
import { importOrtWeb } from './ort-web.js';
import { DEFAULT_MAX_SESSIONS, type SessionStats } from './session-cache.js';

type Ort = typeof import('onnxruntime-web');
type WebSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

let ortPromise: Promise<Ort> | undefined;

/**
 * The tail of every onnxruntime-web call in this page: its wasm module executes one run at a
 * time and refuses an overlapping one ("Session mismatch", from the second training step on,
 * when reads realised several branches of a graph at once). Every run waits for the one before.
 */
let ortQueue: Promise<unknown> = Promise.resolve();

/** Runs `task` after every task queued before it has settled (each onnxruntime-web call in turn). */
function serialised<T>(task: () => Promise<T>): Promise<T> {
  const result = ortQueue.then(task, task);
  ortQueue = result.catch(() => {});
  return result;
}

/** Loads onnxruntime-web once (wasm execution provider, one thread unless configured). */
export function loadOrtWeb(numThreads = 1): Promise<Ort> {
  ortPromise ??= importOrtWeb('OnnxWebBackend').then((ort) => {
    ort.env.wasm.numThreads = numThreads;
    return ort;
  });
  return ortPromise;
}

/** A cached session and the runs using it now (an evicted session is released after them). */
interface Entry {
  session: Promise<WebSession>;
  busy: number;
  evicted: boolean;
}

const release = (e: Entry) => {
  // A session that failed to build has nothing to release; its error went to the run that built it.
  e.session.then((s) => s.release()).catch(() => {});
};

/**
 * Asynchronous counterpart of `SessionCache`: one onnxruntime-web session per key, in an LRU
 * map of `maxSessions` entries. Runs overlap here (reads are awaited in any order), so an
 * evicted session still in use is released when its last run finishes.
 */
export class WebSessionCache {
  private readonly sessions: LruMap<Entry>;
  private readonly counters = { sessionsCreated: 0, cacheHits: 0, runs: 0 };

  constructor(
    private readonly numThreads = 1,
    maxSessions: number = DEFAULT_MAX_SESSIONS,
  ) {
    this.sessions = new LruMap(checkLimit('onnx (web)', maxSessions), (e) => {
      e.evicted = true;
      if (e.busy === 0) release(e);
    });
  }

  /** Runs the model cached under `key` (built with `build` on first use) on `inputs`. */
  async run(key: string, build: () => GraphBuilder, inputs: readonly OrtTensor[]): Promise<OrtTensor[]> {
    const ort = await loadOrtWeb(this.numThreads);
    let entry = this.sessions.get(key);
    if (entry) this.counters.cacheHits++;
    else {
      const bytes = build().toBytes();
      const session = serialised(() => ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] }));
      entry = { session, busy: 0, evicted: false };
      this.sessions.set(key, entry);
      this.counters.sessionsCreated++;
    }
    entry.busy++;
    try {
      const s = await entry.session;
      this.counters.runs++;
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
      s.inputNames.forEach((name, i) => {
        const t = inputs[i];
        feeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims);
      });
      const out = await serialised(() => s.run(feeds));
      return s.outputNames.map((n) => out[n] as unknown as OrtTensor);
    } finally {
      entry.busy--;
      if (entry.evicted && entry.busy === 0) release(entry);
    }
  }

  stats(): SessionStats {
    return { ...this.counters, evictions: this.sessions.evictions };
  }

  get size(): number {
    return this.sessions.size;
  }

  get limit(): number {
    return this.sessions.maxSize;
  }

  setLimit(maxSessions: number): void {
    this.sessions.setLimit(checkLimit('onnx (web) setMaxSessions', maxSessions));
  }

  /** Releases every session (one that failed to build has nothing to release). */
  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(async (e) => (await e.session).release()));
  }
}
