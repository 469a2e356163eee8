// One asynchronous pass over a DataLoader: what `for await` reads, and what fit/evaluate
// step through so that a batch is freed together with the step that used it.
import { tidy } from '../tensor/scope.js';
import type { DataLoader } from './dataloader.js';

/** @internal The end of a pass (a sentinel that survives tidy). */
export const DONE: unique symbol = Symbol('DataLoader.done');

/** @internal The result of one step of a pass. */
export type PassResult<R> = { done: true } | { done: false; value: R };

/**
 * @internal One pass over batches. `next(run)` loads the next batch and calls `run(batch)`
 * inside a `tidy` that frees the batch and whatever building it created; what `run` returns
 * survives. `close()` ends the pass early.
 */
export interface BatchPass<B> {
  next<R>(run: (batch: B) => R): Promise<PassResult<R>>;
  close(): Promise<void>;
}

/** @internal A Promise or other thenable. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as any).then === 'function'
  );
}

/** @internal Marks the rejections of promises nobody will await as handled. */
export function swallow(items: readonly unknown[]): void {
  for (const x of items) if (isThenable(x)) Promise.resolve(x).catch(() => {});
}

/** Rejects when `p` takes longer than `seconds` (0: no limit), as PyTorch's worker timeout. */
async function within<T>(p: PromiseLike<T>, seconds: number): Promise<T> {
  if (!(seconds > 0)) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`DataLoader timed out after ${seconds} seconds waiting for a batch`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** @internal A pass over `loader`, map-style or iterable-style. */
export function openPass<T, B>(loader: DataLoader<T, B>): BatchPass<B> {
  return loader._map !== null ? mapPass(loader) : iterablePass(loader);
}

/**
 * Map-style: each index unit is loaded synchronously inside the step's tidy when getItem is
 * synchronous. Once getItem has returned Promises, up to `numWorkers * prefetchFactor` units
 * are started ahead (their items load concurrently) and are finished in order.
 */
function mapPass<T, B>(loader: DataLoader<T, B>): BatchPass<B> {
  const units = loader._units();
  const queue: Promise<unknown[]>[] = [];
  let asyncItems = false;
  const start = (items: unknown[]): Promise<unknown[]> => {
    const p = Promise.all(items);
    p.catch(() => {}); // awaited later; a pass closed early must not leave an unhandled rejection
    return p;
  };
  const fill = (): void => {
    while (asyncItems && queue.length < loader._window) {
      const u = units.next();
      if (u.done) return;
      const map = loader._map!;
      const indices = Array.isArray(u.value) ? u.value : [u.value];
      queue.push(start(indices.map((i) => map.getItem(i))));
    }
  };
  return {
    async next<R>(run: (batch: B) => R): Promise<PassResult<R>> {
      if (queue.length === 0) {
        const u = units.next();
        if (u.done) return { done: true };
        let pending: unknown[] | null = null;
        const out = tidy(() => {
          const batch = loader._fetch(u.value, (items) => (pending = items));
          return batch === DONE ? DONE : { value: run(batch) };
        });
        if (out !== DONE) return { done: false, value: out.value };
        asyncItems = true;
        queue.push(start(pending!));
      }
      // Up to numWorkers * prefetchFactor batches in flight, this one included (PyTorch's budget).
      fill();
      const head = queue.shift()!;
      const items = await within(head, loader.timeout);
      return { done: false, value: tidy(() => run(loader._finish(items))) };
    },
    async close(): Promise<void> {
      queue.length = 0;
    },
  };
}

/** Iterable-style: a sync source is read inside the step's tidy; an async one is awaited item by item. */
function iterablePass<T, B>(loader: DataLoader<T, B>): BatchPass<B> {
  let opened: { it: AsyncIterator<T> | Iterator<T>; async: boolean } | null = null;
  let finished = false;
  return {
    async next<R>(run: (batch: B) => R): Promise<PassResult<R>> {
      if (finished) return { done: true };
      opened ??= loader._openAsync();
      const { it } = opened;
      if (!opened.async) {
        const out = tidy(() => {
          const items = loader._take(it as Iterator<T>);
          return items === null ? DONE : { value: run(loader._finish(items)) };
        });
        if (out === DONE) {
          finished = true;
          return { done: true };
        }
        return { done: false, value: out.value };
      }
      const n = loader.batchSize ?? 1;
      const gathered: T[] = [];
      while (gathered.length < n) {
        const r = await within((it as AsyncIterator<T>).next(), loader.timeout);
        if (r.done) {
          finished = true;
          break;
        }
        gathered.push(r.value);
      }
      const items = loader._complete(gathered);
      if (items === null) return { done: true };
      return { done: false, value: tidy(() => run(loader._finish(items))) };
    },
    async close(): Promise<void> {
      const it = opened?.it;
      opened = null;
      finished = true;
      await it?.return?.();
    },
  };
}
