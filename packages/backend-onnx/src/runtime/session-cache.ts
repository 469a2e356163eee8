import type { GraphBuilder } from '../proto/index.js';
import { checkLimit, LruMap } from './lru.js';
import { NativeSession, type NativeSessionOptions, type OrtTensor } from './native-session.js';

/** Counters of a session cache, for tests and benchmarks (`OnnxBackend.stats()`). */
export interface SessionStats {
  /** ORT sessions built so far (one per distinct op key, again after an eviction). */
  sessionsCreated: number;
  /** Executions that found their session in the cache. */
  cacheHits: number;
  /** Session executions in total. */
  runs: number;
  /** Sessions released because the cache was over its budget (least recently used first). */
  evictions: number;
}

/**
 * Default budget of live primitive sessions per backend. The primitive models have symbolic
 * sizes, so a model's working set is a few dozen sessions whatever its batch size (measured
 * with Adam: MLP 784-128-10 36, the W3 CNN 50); 256 leaves room for several models at ~100 KB
 * each.
 */
export const DEFAULT_MAX_SESSIONS = 256;

/**
 * Builds each primitive model once per key (op, dtypes, ranks, attributes) and keeps the
 * sessions in an LRU map of `maxSessions` entries; an evicted session is released at once.
 * Measured (20,000 primitive sessions built, run and released one after another): RSS grows
 * by ~60 MB over the first 4,000 and then levels off (allocator fragmentation, not a leak per
 * session), whereas keeping every session costs ~130 KB each, so a bounded cache is the safe side.
 */
export class SessionCache {
  private readonly sessions: LruMap<NativeSession>;
  private readonly counters = { sessionsCreated: 0, cacheHits: 0, runs: 0 };

  constructor(
    private readonly options: NativeSessionOptions = {},
    maxSessions: number = DEFAULT_MAX_SESSIONS,
  ) {
    this.sessions = new LruMap(checkLimit('onnx', maxSessions), (s) => s.dispose());
  }

  /** Runs the model cached under `key`, building it with `build` on first use. */
  run(key: string, build: () => GraphBuilder, inputs: readonly OrtTensor[]): OrtTensor[] {
    let session = this.sessions.get(key);
    if (session) this.counters.cacheHits++;
    else {
      const model = build().toBytes();
      try {
        session = new NativeSession(model, this.options);
      } catch (e) {
        throw new Error(`onnx: building the session for ${key} failed: ${(e as Error).message}`);
      }
      this.sessions.set(key, session);
      this.counters.sessionsCreated++;
    }
    this.counters.runs++;
    return session.run(inputs);
  }

  /** A snapshot of the counters. */
  stats(): SessionStats {
    return { ...this.counters, evictions: this.sessions.evictions };
  }

  /** Number of live sessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** The budget of live sessions. */
  get limit(): number {
    return this.sessions.maxSize;
  }

  /** Changes the budget (sessions over it are released at once, least recently used first). */
  setLimit(maxSessions: number): void {
    this.sessions.setLimit(checkLimit('onnx setMaxSessions', maxSessions));
  }

  /** Releases every session. */
  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}
