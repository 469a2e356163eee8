import type { Backend } from '../backend/backend.js';
import { accountBuffer, accountTensor } from './memory.js';

/** The mutable slot holding a storage's backend handle (in-place ops swap handles between storages). */
interface HandleCell {
  handle: unknown;
}

/** What finalization needs to free a storage nobody released: never the storage itself. */
interface Held {
  readonly backend: Backend;
  readonly device: string;
  readonly bytes: number;
  /**
   * The handle's cell, for backends whose buffers the garbage collector cannot free (GL
   * textures, native memory); null for `gcManaged` backends, so that the buffer becomes
   * garbage together with the last tensor holding it, even in a loop that never yields.
   */
  readonly cell: HandleCell | null;
  /** The storage's tensors not disposed (shared with the storage, which counts them). */
  readonly refs: { n: number };
}

// Frees (or, for gcManaged backends, accounts for) the buffer of a storage whose tensors were
// all reclaimed by the garbage collector without dispose(), and uncounts those tensors. One
// registration per storage, none per tensor: a tensor the GC takes before its storage stays
// counted until the storage goes (views of a live base), which keeps each op cheap.
const registry = new FinalizationRegistry<Held>((h) => {
  if (h.cell !== null) h.backend.disposeData(h.cell.handle);
  else h.backend.forgetData?.(h.bytes);
  accountBuffer(h.device, -h.bytes, -1);
  if (h.refs.n > 0) accountTensor(h.device, -h.refs.n);
});

/**
 * A backend buffer shared by a tensor and its views. In-place ops swap the handle (so every
 * view sees the new values) and bump `version`, which autograd checks to detect modification
 * of tensors saved for backward. `dispose()` of the last tensor releases it at once; otherwise
 * it is finalized when the garbage collector reclaims it (see {@link Held} for why the
 * registry must not hold the buffer of a gcManaged backend).
 */
export class Storage {
  version = 0;
  private readonly cell: HandleCell;
  private readonly count = { n: 0 };

  constructor(
    readonly backend: Backend,
    readonly device: string,
    handle: unknown,
    readonly bytes: number,
  ) {
    this.cell = { handle };
    accountBuffer(device, bytes, 1);
    const cell = backend.gcManaged ? null : this.cell;
    registry.register(this, { backend, device, bytes, cell, refs: this.count }, this);
  }

  /** Tensors holding this storage that were not disposed. */
  get refs(): number {
    return this.count.n;
  }

  get handle(): unknown {
    return this.cell.handle;
  }

  set handle(h: unknown) {
    this.cell.handle = h;
  }

  /** A tensor took this storage (counted as a live tensor of its device). */
  retain(): void {
    this.count.n++;
    accountTensor(this.device, 1);
  }

  /** A tensor was disposed; the last one frees the buffer. */
  release(): void {
    accountTensor(this.device, -1);
    if (--this.count.n === 0) {
      registry.unregister(this);
      this.backend.disposeData(this.cell.handle);
      this.cell.handle = undefined;
      accountBuffer(this.device, -this.bytes, -1);
    }
  }

  /**
   * Frees a storage no tensor ever retained (a view's materialized copy, see
   * `Tensor.handle`) at once instead of at finalization.
   */
  free(): void {
    registry.unregister(this);
    this.backend.disposeData(this.cell.handle);
    this.cell.handle = undefined;
    accountBuffer(this.device, -this.bytes, -1);
  }

  /** Rebinds to `handle`, freeing the old buffer; counts as a modification. */
  replace(handle: unknown): void {
    const old = this.cell.handle;
    this.cell.handle = handle;
    this.version++;
    this.backend.disposeData(old);
  }
}
