import { type Kernels, kernels } from './module.js';
import { WORKER_SOURCE } from './worker-source.js';

/** Most threads a pool runs (the calling thread included). */
export const MAX_THREADS = 64;
/** Int32 words per worker slot: flag, function, ten arguments, ready state, error flag, spare. */
const SLOT = 16;
const FLAG = 0;
const FN = 1;
const ARGS = 2;
const READY = 12;
const ERROR = 13;
/** Flag values. */
const IDLE = 0;
const RUN = 1;
const QUIT = 2;
/**
 * Polls of a flag before the calling thread sleeps on a worker's (a few tens of µs): a worker's
 * part usually ends close to the caller's own.
 */
const SPIN = 20000;
/**
 * How long an idle worker keeps polling for work before it sleeps, as OpenMP runtimes do: the
 * GEMMs of a backward pass often come back to back, and waking a sleeping thread cost ~0.1 ms on
 * the 2-core VMs we measured. Longer spins measured worse there: a spinning worker takes the
 * core the engine's garbage-collector threads need, and slow steps got slower (p90 +50%).
 */
const WORKER_SPIN_MS = 0.25;
/** A worker that has not finished after this long is reported instead of waited on forever. */
const HANG_MS = 120_000;

/** The exports a worker may run, by index (the slot holds the index, not the name). */
const PARALLEL_EXPORTS = ['gemm'] as const;
export type ParallelExport = (typeof PARALLEL_EXPORTS)[number];

interface WorkerHandle {
  terminate(): unknown;
}

interface NodeWorkerThreads {
  Worker: new (
    src: string,
    opts: { eval: true; workerData: unknown },
  ) => WorkerHandle & { unref(): void; on(ev: string, f: (e: unknown) => void): void };
}

interface Env {
  process?: { getBuiltinModule?: (id: string) => unknown };
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => WorkerHandle & { postMessage(d: unknown): void };
  Blob?: new (parts: string[], opts: { type: string }) => unknown;
  URL?: { createObjectURL(b: unknown): string };
}
const env = globalThis as unknown as Env;

/** Cores the machine offers (Node: `os.availableParallelism()`; browsers: `navigator.hardwareConcurrency`). */
export function availableCores(): number {
  const os = env.process?.getBuiltinModule?.('node:os') as
    | { availableParallelism?: () => number }
    | undefined;
  const n = os?.availableParallelism?.() ?? env.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(n)));
}

/** Whether this thread may block in Atomics.wait (a browser's main thread may not: it spins instead). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worker threads running the kernels module's exports on its shared memory, synchronously for
 * the caller: `run` hands each worker its part, computes part 0 on the calling thread, and
 * returns when every part is done. Workers start asynchronously (in browsers they cannot start
 * while the page's thread is busy), so `run` only uses the ones that have reported ready: until
 * then work runs on fewer threads, never waits on one that is not there.
 */
export class ThreadPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(MAX_THREADS * SLOT * 4));
  private readonly workers: WorkerHandle[] = [];
  private readonly canBlock = mayBlock();
  /** Threads wanted, the calling one included. */
  private wanted: number;
  /** Why workers could not start, when they could not. */
  private failure: string | undefined;
  /** Calls of {@link run} that handed work to at least one worker. */
  parallelRuns = 0;

  constructor(
    private readonly k: Kernels,
    threads: number,
  ) {
    this.wanted = 1;
    this.setThreads(threads);
  }

  /** Threads wanted (the calling one included). */
  get threads(): number {
    return this.wanted;
  }

  /** Why threads are unavailable, if they are. */
  get unavailable(): string | undefined {
    return this.failure;
  }

  /** Workers started and ready to take work. */
  readyWorkers(): number {
    let n = 0;
    for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.control, w * SLOT + READY) === 1) n++;
    return n;
  }

  /** Threads `run` can use right now: this one plus the ready workers among the wanted ones. */
  usable(): number {
    let n = 1;
    for (let w = 0; w < this.wanted - 1 && w < this.workers.length; w++) {
      if (Atomics.load(this.control, w * SLOT + READY) === 1) n++;
    }
    return n;
  }

  /**
   * Wants `n` threads: starts the missing workers. Extra ones stay, asleep, unused (a worker
   * takes tens of milliseconds to start, and a program may switch back and forth).
   */
  setThreads(n: number): void {
    this.wanted = n;
    while (this.failure === undefined && this.workers.length < n - 1) this.spawn();
  }

  /** Runs `name` with `parts[t]` as its arguments on thread t (part 0 here); returns when all are done. */
  run(name: ParallelExport, parts: readonly (readonly number[])[]): void {
    const fn = PARALLEL_EXPORTS.indexOf(name);
    const c = this.control;
    const used: number[] = [];
    for (let w = 0, t = 1; t < parts.length; w++) {
      if (w >= this.workers.length)
        throw new Error(
          `cpu threads: ${name} got ${parts.length} parts, expected at most ${this.usable()} (one per usable thread: usable() before run())`,
        );
      const base = w * SLOT;
      if (Atomics.load(c, base + READY) !== 1) continue;
      const args = parts[t++];
      c[base + FN] = fn;
      for (let i = 0; i < 10; i++) c[base + ARGS + i] = args[i] ?? 0;
      c[base + ERROR] = 0;
      Atomics.store(c, base + FLAG, RUN);
      Atomics.notify(c, base + FLAG, 1);
      used.push(base);
    }
    if (used.length > 0) this.parallelRuns++;
    (this.k.exports[name] as (...a: number[]) => void)(...parts[0]);
    for (const base of used) this.await(base);
    for (const base of used) {
      if (c[base + ERROR] !== 0) throw new Error(`cpu threads: a worker thread failed running ${name}`);
    }
  }

  /** Stops every worker. */
  terminate(): void {
    while (this.workers.length > 0) this.stop(this.workers.length - 1);
  }

  private await(base: number): void {
    const c = this.control;
    for (let s = 0; s < SPIN; s++) if (Atomics.load(c, base + FLAG) === IDLE) return;
    const start = Date.now();
    while (Atomics.load(c, base + FLAG) !== IDLE) {
      if (this.canBlock) Atomics.wait(c, base + FLAG, RUN, 1000);
      if (Date.now() - start > HANG_MS) {
        throw new Error(`cpu threads: worker ${base / SLOT} did not finish within ${HANG_MS / 1000} s`);
      }
    }
  }

  private spawn(): void {
    const w = this.workers.length;
    const base = w * SLOT;
    this.control.fill(0, base, base + SLOT);
    const data = {
      module: this.k.module,
      memory: this.k.memory,
      control: this.control.buffer,
      base,
      names: PARALLEL_EXPORTS,
      spinMs: WORKER_SPIN_MS,
    };
    try {
      const wt = env.process?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
      if (wt !== undefined) {
        const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: data });
        // the pool must not keep the process alive; a crashed worker is never used again
        worker.unref();
        worker.on('error', () => Atomics.store(this.control, base + READY, 2));
        this.workers.push(worker);
      } else if (env.Worker !== undefined && env.Blob !== undefined && env.URL !== undefined) {
        const url = env.URL.createObjectURL(new env.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
        const worker = new env.Worker(url);
        worker.postMessage(data);
        this.workers.push(worker);
      } else {
        this.failure = 'this environment has no Worker';
      }
    } catch (e) {
      this.failure = `a worker thread could not start: ${(e as Error).message}`;
    }
  }

  private stop(w: number): void {
    const base = w * SLOT;
    Atomics.store(this.control, base + READY, 0);
    Atomics.store(this.control, base + FLAG, QUIT);
    Atomics.notify(this.control, base + FLAG);
    this.workers.pop()?.terminate();
  }
}

let pool: ThreadPool | undefined;
/** Threads asked for by setNumThreads (default: every core). */
let requested: number | undefined;

/**
 * The pool of the kernels module, started on first use with {@link getNumThreads} threads;
 * undefined when the module or its shared memory is unavailable (then everything runs here).
 */
export function threadPool(): ThreadPool | undefined {
  if (pool !== undefined) return pool;
  const k = kernels();
  if (k === null || !k.shared) return undefined;
  pool = new ThreadPool(k, requested ?? availableCores());
  return pool;
}

/**
 * Sets the threads the CPU backend's kernels use, as `torch.set_num_threads`: the calling
 * thread plus `n - 1` workers sharing the WebAssembly memory. The default is every core
 * (`os.availableParallelism()`, `navigator.hardwareConcurrency`). Results do not depend on
 * it: the threads split a GEMM's output, and every element is computed the same way.
 *
 * Threads need shared memory: in Node always; in a browser only on a cross-origin isolated
 * page. Elsewhere the backend runs on one thread and `cpuInfo()` says why.
 *
 * @example
 * ```ts
 * import { setNumThreads } from '@proj/backend-cpu';
 * setNumThreads(1); // as torch.set_num_threads(1)
 * ```
 * @throws RangeError when `n` is not an integer in [1, 64].
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(
      `setNumThreads: expected an integer number of threads in [1, ${MAX_THREADS}], got ${n}`,
    );
  }
  requested = n;
  pool?.setThreads(n);
}

/** The threads the CPU backend's kernels use (as `torch.get_num_threads`): 1 where threads are unavailable. */
export function getNumThreads(): number {
  // no pool yet: answer without starting one (memory() and cpuInfo() call this)
  if (pool === undefined) {
    const k = kernels();
    return k === null || !k.shared ? 1 : (requested ?? availableCores());
  }
  return pool.unavailable !== undefined ? 1 : pool.threads;
}

/** The pool if a kernel started it, without starting one. */
export function startedPool(): ThreadPool | undefined {
  return pool;
}

/** Stops the worker threads (the next kernel starts them again). */
export function stopThreads(): void {
  pool?.terminate();
  pool = undefined;
}
