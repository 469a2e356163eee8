import { backendByName, currentBackendName, type MemoryInfo, memory, setBackend, tidy } from '@proj/core';
import { type ConformanceCase, declaredSkip, unmetRequirement } from './case.js';
import { ConformanceError, Tols } from './checks.js';
import { DeferredReads } from './deferred-reads.js';
import { DEFAULT_TOLERANCE, TOLERANCES, type ToleranceName } from './tolerance.js';

/** How a backend runs the suite. */
export interface ConformanceOptions {
  /** Registered backend name, e.g. `'cpu'`. */
  backend: string;
  /** Case id (or `prefix/*`) → reason it is skipped on this backend. */
  skip?: Readonly<Record<string, string>>;
  /** Float tolerance preset; `'balanced'` when omitted. */
  tolerance?: ToleranceName;
  /**
   * Runs only the cases whose id it accepts (all when omitted): a representative subset for a
   * backend too slow to run every case in CI. The skip map is still checked against every case.
   */
  only?: (id: string) => boolean;
}

/** The cases of `cases` that `opts` runs: all, or those `opts.only` accepts. */
export function selectedCases(
  opts: ConformanceOptions,
  cases: readonly ConformanceCase[],
): readonly ConformanceCase[] {
  const only = opts.only;
  return only ? cases.filter((c) => only(c.id)) : cases;
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
 *
 * Synchronous: for a backend that reads synchronously. {@link runCaseAsync} runs a case on any
 * backend (this function throws, naming it, on one that reads only asynchronously).
 */
export function runCase(c: ConformanceCase, opts: ConformanceOptions): void {
  if (!readsSync(opts.backend)) {
    throw new Error(
      `runCase: backend '${opts.backend}' reads only asynchronously (readsSync false): use await runCaseAsync(case, opts)`,
    );
  }
  const previous = currentBackendName();
  setBackend(opts.backend);
  try {
    const t = new Tols(opts.backend, TOLERANCES[opts.tolerance ?? DEFAULT_TOLERANCE]);
    const before = snapshot(opts.backend);
    tidy(() => {
      c.run(t);
    });
    checkLeaks(c, opts.backend, before);
  } finally {
    setBackend(previous);
  }
}

/**
 * Runs one case on any backend. On one that reads synchronously this is {@link runCase}. On one
 * that reads only asynchronously (`readsSync: false`: onnx-web, WebGPU) the body still runs
 * synchronously in `tidy`; its value checks keep copies and start their reads, which are awaited
 * and judged (same comparisons, same messages) after the body; then the copies are freed and the
 * leak snapshot taken, as for a synchronous backend.
 */
export async function runCaseAsync(c: ConformanceCase, opts: ConformanceOptions): Promise<void> {
  if (readsSync(opts.backend)) {
    runCase(c, opts);
    return;
  }
  const previous = currentBackendName();
  setBackend(opts.backend);
  try {
    const reads = new DeferredReads(opts.backend);
    const t = new Tols(opts.backend, TOLERANCES[opts.tolerance ?? DEFAULT_TOLERANCE], reads);
    const before = snapshot(opts.backend);
    let thrown: { error: unknown } | undefined;
    try {
      tidy(() => {
        c.run(t);
      });
    } catch (error) {
      thrown = { error };
    }
    // settled even when the body threw: the copies are freed and the backend's pending value
    // checks surface here, not in the next case
    const failure = await reads.settle();
    if (thrown) throw thrown.error;
    if (failure !== undefined) throw failure;
    checkLeaks(c, opts.backend, before);
  } finally {
    setBackend(previous);
  }
}

/** Whether `backend` reads synchronously (`readsSync` is not false). */
export function readsSync(backend: string): boolean {
  return backendByName(backend).readsSync !== false;
}

/** Fails `c` when the live counts differ from `before`. */
function checkLeaks(c: ConformanceCase, backend: string, before: Snapshot): void {
  const after = snapshot(backend);
  const leaks: string[] = [];
  if (after.numTensors !== before.numTensors) leaks.push(`${after.numTensors - before.numTensors} tensor(s)`);
  if (after.numBytes !== before.numBytes) leaks.push(`${after.numBytes - before.numBytes} byte(s)`);
  if (after.backendBuffers !== before.backendBuffers) {
    leaks.push(`${after.backendBuffers - before.backendBuffers} backend buffer(s)`);
  }
  if (leaks.length > 0)
    throw new ConformanceError(`${c.id}: leaked ${leaks.join(', ')} (live counts from memory())`);
}
