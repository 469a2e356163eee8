// Value checks on a backend that reads only asynchronously (`readsSync: false`: onnx-web,
// WebGPU). A case body stays synchronous (it runs inside `tidy`), so a check cannot read there:
// it copies the tensor (the copy keeps the value as of the check, whatever the body does to the
// original afterwards: an in-place write, a dispose), starts the copy's asynchronous read at once
// and judges the value once the body has returned.
//
// The read starts AT the check, in the order of the checks, because a backend holds core's value
// checks (`deferCheck`) until its next read: an error raised by an op the body ran before check k
// (and after check k - 1) surfaces from read k, as it would have been thrown before check k on a
// synchronous backend.
import {
  type DataArray,
  tensor as hostTensor,
  keep,
  memory,
  type NestedArray,
  noGrad,
  type Tensor,
} from '@proj/core';

/** What a finished read gave: the values of each tensor, or the error the read raised. */
export type Outcome = { ok: true; values: unknown[] } | { ok: false; error: unknown };

interface Entry {
  copies: Tensor[];
  outcome: Promise<Outcome>;
  judge: (outcome: Outcome) => void;
}

/** How a tensor is read: as `data()` gives it (its dtype's array) or as `toArrayAsync()` does. */
export type ReadKind = 'data' | 'array';

/** Live tensors and bytes held by the copies of the pending checks. */
export interface Held {
  numTensors: number;
  numBytes: number;
}

/**
 * The pending value checks of one case on an asynchronous backend: {@link read} records a check
 * during the (synchronous) body, {@link settle} judges them all afterwards and frees the copies.
 */
export class DeferredReads {
  private entries: Entry[] = [];
  private heldNow: Held = { numTensors: 0, numBytes: 0 };

  constructor(
    /** The backend under test (the flush read is made there). */
    readonly backend: string,
  ) {}

  /**
   * Copies `xs`, starts reading the copies and, after the body, calls `judge` with the values
   * (or the read's error). Copying is synchronous, so a disposed tensor fails here, at the check,
   * as a synchronous read would.
   */
  read(xs: readonly Tensor[], kind: ReadKind, judge: (outcome: Outcome) => void): void {
    // noGrad: the copy is a plain value, never part of the case's graph
    this.start(
      this.holding(() => noGrad(() => xs.map((x) => keep(x.clone())))),
      kind,
      judge,
    );
  }

  /**
   * Reads a fresh scalar on the backend and calls `judge` with the outcome: surfaces the value
   * checks of the ops run so far (the backend throws them from its next read, of any tensor).
   */
  probe(judge: (outcome: Outcome) => void): void {
    this.start(
      this.holding(() => [keep(hostTensor([0], { device: this.backend }))]),
      'data',
      judge,
    );
  }

  /** Tensors and bytes the pending copies hold (memory cases leave them out of their counts). */
  held(): Held {
    return { ...this.heldNow };
  }

  /** Runs `make` and adds what it allocated to the held counts. */
  private holding(make: () => Tensor[]): Tensor[] {
    const before = memory();
    const copies = make();
    const after = memory();
    this.heldNow.numTensors += after.numTensors - before.numTensors;
    this.heldNow.numBytes += after.numBytes - before.numBytes;
    return copies;
  }

  private start(copies: Tensor[], kind: ReadKind, judge: (outcome: Outcome) => void): void {
    const reads = copies.map((c) =>
      kind === 'data' ? (c.data() as Promise<DataArray>) : (c.toArrayAsync() as Promise<NestedArray>),
    );
    // settled here, so a read that fails while an earlier one is awaited is never "unhandled"
    const outcome = Promise.all(reads).then(
      (values): Outcome => ({ ok: true, values }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    this.entries.push({ copies, outcome, judge });
  }

  /**
   * Waits for every read, judges them in the order of the checks, frees the copies, and reads
   * once more on the backend so that a value check of an op that ran after the last read
   * surfaces in this case (a synchronous backend would have thrown it inside the body) rather
   * than in the next one. Returns the first failure, or undefined when every check held.
   */
  async settle(): Promise<unknown> {
    const entries = this.entries;
    this.entries = [];
    let failure: unknown;
    for (const e of entries) {
      const outcome = await e.outcome;
      try {
        e.judge(outcome);
      } catch (err) {
        failure ??= err;
      }
    }
    for (const e of entries) for (const c of e.copies) c.dispose();
    this.heldNow = { numTensors: 0, numBytes: 0 };
    const probe = hostTensor([0], { device: this.backend });
    try {
      await probe.data();
    } catch (err) {
      failure ??= new Error(
        `an op's value check failed after the last checked read (a synchronous backend throws it from the op): ${messageOf(err)}`,
      );
    } finally {
      probe.dispose();
    }
    return failure;
  }
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
