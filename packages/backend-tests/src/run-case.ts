import { backendByName, currentBackendName, type MemoryInfo, memory, setBackend, tidy } from '@proj/core';
import { type ConformanceCase, declaredSkip, unmetRequirement } from './case.js';
import { ConformanceError, Tols } from './checks.js';
import { DEFAULT_TOLERANCE, TOLERANCES, type ToleranceName } from './tolerance.js';

/** How a backend runs the suite. */
export interface ConformanceOptions {
  /** Registered backend name, e.g. `'cpu'`. */
  backend: string;
  /** Case id (or `prefix/*`) → reason it is skipped on this backend. */
  skip?: Readonly<Record<string, string>>;
  /** Float tolerance preset; `'balanced'` when omitted. */
  tolerance?: ToleranceName;
}

/** The reason `c` is skipped on `opts.backend` (declared, or an unmet requirement), if it is. */
export function skipReason(c: ConformanceCase, opts: ConformanceOptions): string | undefined {
  return declaredSkip(c.id, opts.skip ?? {}) ?? unmetRequirement(c, backendByName(opts.backend));
}

interface Snapshot {
  numTensors: number;
  numBytes: number;
  /** The backend's own buffer count (`memory().backends[name].backend.numBuffers`), when it reports one. */
  backendBuffers: number;
}

/** memory()'s entry for `backend`. */
export function deviceMemory(backend: string): MemoryInfo['backends'][string] | undefined {
  return memory().backends[backend];
}

function snapshot(backend: string): Snapshot {
  const m = memory();
  const own = deviceMemory(backend)?.backend;
  return {
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    // a device gets its entry with its first tensor: no entry yet means no buffers yet
    backendBuffers: typeof own?.numBuffers === 'number' ? own.numBuffers : 0,
  };
}

/**
 * Runs one case on `opts.backend` inside a memory scope: the body runs in `tidy`, and the
 * live tensor count, byte count and the backend's buffer count must be back where they
 * started afterwards — a leak fails the case. The previous backend is restored.
 */
export function runCase(c: ConformanceCase, opts: ConformanceOptions): void {
  const previous = currentBackendName();
  setBackend(opts.backend);
  try {
    const t = new Tols(opts.backend, TOLERANCES[opts.tolerance ?? DEFAULT_TOLERANCE]);
    const before = snapshot(opts.backend);
    tidy(() => {
      c.run(t);
    });
    const after = snapshot(opts.backend);
    const leaks: string[] = [];
    if (after.numTensors !== before.numTensors)
      leaks.push(`${after.numTensors - before.numTensors} tensor(s)`);
    if (after.numBytes !== before.numBytes) leaks.push(`${after.numBytes - before.numBytes} byte(s)`);
    if (after.backendBuffers !== before.backendBuffers) {
      leaks.push(`${after.backendBuffers - before.backendBuffers} backend buffer(s)`);
    }
    if (leaks.length > 0)
      throw new ConformanceError(`${c.id}: leaked ${leaks.join(', ')} (live counts from memory())`);
  } finally {
    setBackend(previous);
  }
}
