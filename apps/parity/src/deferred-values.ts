// Values of tensors on a backend that reads only asynchronously (readsSync false: onnx-web,
// WebGPU). A case body is synchronous (it runs inside `tidy`), so there it cannot read: a tensor's
// Values are handed out empty and filled by the runner after the body, from a copy taken at the
// call (the value as of then, whatever the body does to the tensor afterwards: an optimizer step,
// a dispose). On a backend that reads synchronously nothing is deferred: Values are read at once,
// exactly as before.
import { backendByName, keep, noGrad, type Tensor, tensor } from '@proj/core';
import type { Values } from './types.js';

/** Whether `t`'s backend reads synchronously. */
export function readsSync(t: Tensor): boolean {
  return backendByName(t.device).readsSync !== false;
}

/** A step of the fill, in the order the body asked: a read, or Values derived from earlier ones. */
type Task = { kind: 'read'; copy: Tensor; into: Values } | { kind: 'derive'; run: () => void };

/** The deferred reads of one case run. */
export class DeferredValues {
  private tasks: Task[] = [];
  private readonly unfilled = new WeakSet<Values>();

  /** Values of `t` to be read after the body; `t` is copied now. */
  read(t: Tensor, exact: boolean): Values {
    const copy = keep(noGrad(() => t.clone()));
    const into: Values = { shape: [...t.shape], data: [], exact };
    this.unfilled.add(into);
    this.tasks.push({ kind: 'read', copy, into });
    return into;
  }

  /** Whether `v` waits for a read (its `data` is not there yet). */
  pending(v: Values): boolean {
    return this.unfilled.has(v);
  }

  /** Values computed by `fill` from others once those are read. */
  derive(shape: readonly number[], fill: () => readonly number[]): Values {
    const into: Values = { shape, data: [] };
    this.unfilled.add(into);
    this.tasks.push({
      kind: 'derive',
      run: () => {
        into.data = fill();
        this.unfilled.delete(into);
      },
    });
    return into;
  }

  /** Reads every copy (in order) and fills the Values; the first read also raises what core's value checks deferred. */
  async fill(): Promise<void> {
    for (const task of this.tasks) {
      if (task.kind === 'derive') {
        task.run();
        continue;
      }
      // as values() reads synchronously (int64's bigints become numbers)
      task.into.data = Array.from((await task.copy.data()) as ArrayLike<number>, Number);
      this.unfilled.delete(task.into);
    }
  }

  /** Frees the copies (whether or not they were read). */
  dispose(): void {
    for (const task of this.tasks) if (task.kind === 'read') task.copy.dispose();
    this.tasks = [];
  }
}

let active: DeferredValues | null = null;

/**
 * Runs the synchronous case body `fn` with `reads` collecting the Values of asynchronously read
 * tensors (see {@link values}); the caller then awaits `reads.fill()` and disposes `reads`.
 */
export function collectingValues<T>(reads: DeferredValues, fn: () => T): T {
  const outer = active;
  active = reads;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/** The collector of the running case body, if any. */
export function currentReads(): DeferredValues | null {
  return active;
}

/** The collector of the running case body, or an error naming the way to run it. */
export function activeReads(t: Tensor): DeferredValues {
  if (!active) {
    throw new Error(
      `values: '${t.device}' reads only asynchronously, so a tensor's values are read after the case body: ` +
        'run the case through runCases (apps/parity/src/runner.ts)',
    );
  }
  return active;
}

/**
 * One read on `device` that surfaces (and clears) value checks core deferred on it and nobody
 * read (a case that threw before reading): they must not fail the next case. Errors are dropped.
 */
export async function flushDeferredChecks(device: string): Promise<void> {
  const probe = tensor([0], { device });
  try {
    await probe.data();
  } catch {
    // the case that left it has already failed
  } finally {
    probe.dispose();
  }
}
