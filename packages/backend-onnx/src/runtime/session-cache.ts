import type { GraphBuilder } from '../proto/index.js';
import { NativeSession, type NativeSessionOptions, type OrtTensor } from './native-session.js';

/** Counters of the session cache, for tests and benchmarks (`OnnxBackend.stats()`). */
export interface SessionStats {
  /** ORT sessions built so far (one per distinct op key). */
  sessionsCreated: number;
  /** Executions that found their session in the cache. */
  cacheHits: number;
  /** Session executions in total. */
  runs: number;
}

/**
 * Builds each primitive model once per key (op, dtypes, shapes, attributes) and keeps the
 * session for the backend's lifetime: ORT leaks when sessions are created and released
 * repeatedly, so nothing is evicted until `dispose()`.
 */
export class SessionCache {
  private readonly sessions = new Map<string, NativeSession>();
  private readonly counters: SessionStats = { sessionsCreated: 0, cacheHits: 0, runs: 0 };

  constructor(private readonly options: NativeSessionOptions = {}) {}

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
    return { ...this.counters };
  }

  /** Number of live sessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** Releases every session. */
  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}
