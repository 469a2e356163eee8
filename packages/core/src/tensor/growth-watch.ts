import { backendByName } from '../backend/registry.js';
import { deviceCounts } from './memory.js';

/** Consecutive steps of growth, and tensors gained over them, before the warning. */
const WINDOW = 20;
const MIN_GROWTH = 500;

interface Track {
  last: number;
  /** Live tensors when the current run of growing steps began. */
  start: number;
  run: number;
  warned: boolean;
}

const tracks = new Map<string, Track>();
let warn: (msg: string) => void = (msg) => console.warn(msg);

/** @internal Replaces the warning sink (tests). */
export function setGrowthWarning(fn: (msg: string) => void): void {
  warn = fn;
}

/**
 * Called at every optimizer step. On a device whose buffers the garbage collector cannot free
 * (GL textures, native ORT memory: the backend is not `gcManaged`), tensors dropped without
 * `dispose()` are freed only by finalizers, which run after the current task — never inside a
 * synchronous training loop. When the live tensors of such a device grew at each of the last
 * {@link WINDOW} steps, warn once, naming the fix. (gcManaged devices need no warning: their
 * buffers go with their tensors even in a loop that never yields.)
 */
export function watchStepGrowth(): void {
  for (const [device, c] of deviceCounts()) {
    const t = tracks.get(device);
    if (t === undefined) {
      tracks.set(device, { last: c.numTensors, start: c.numTensors, run: 0, warned: false });
      continue;
    }
    if (c.numTensors > t.last) t.run++;
    else {
      t.run = 0;
      t.start = c.numTensors;
    }
    t.last = c.numTensors;
    if (t.warned || t.run < WINDOW || c.numTensors - t.start < MIN_GROWTH) continue;
    let gcManaged = false;
    try {
      gcManaged = backendByName(device).gcManaged === true;
    } catch {
      // an unregistered device: nothing to say about it
      continue;
    }
    if (gcManaged) continue;
    t.warned = true;
    warn(
      `@proj/core: ${c.numTensors} tensors (${(c.numBytes / 2 ** 20).toFixed(1)} MiB) are alive on '${device}' and ` +
        `the count grew at each of the last ${t.run} optimizer steps. '${device}' memory is freed by dispose(), or for ` +
        'tensors you drop by the garbage collector after the current task, which a synchronous loop never reaches. ' +
        'Wrap each step in tidy(() => { ... }), or await between steps (e.g. await new Promise((r) => setTimeout(r))).',
    );
  }
}
