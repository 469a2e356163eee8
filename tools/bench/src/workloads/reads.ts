/**
 * How a workload of ours reads its result back inside the timed call. A backend that computes
 * synchronously, or finishes its deferred work in `dataSync()`, is read with `dataSync()` /
 * `item()`, as before. A backend that can only read asynchronously (`readsSync: false`: WebGPU,
 * whose buffers are mapped asynchronously) is read with `await t.data()`: the iteration then
 * returns a promise that settles once the device has finished every kernel the step queued, so
 * the GPU work is timed, not merely its recording.
 */
import type { Tensor } from '@proj/core';
import type { Apis } from '../types.js';

type Core = Apis['ours'];

/** Whether the backend new tensors go to reads synchronously (`dataSync`, `item`). */
export function readsSync(core: Core): boolean {
  return core.getBackend().readsSync !== false;
}

/**
 * The first value of `t`, read with `await t.data()`; disposes `t` (read or not). Reading one
 * tensor waits for all the work queued before it, on a backend that runs its queue in order.
 */
export async function readFirstAsync(t: Tensor): Promise<number> {
  try {
    return Number((await t.data())[0]);
  } finally {
    t.dispose();
  }
}
