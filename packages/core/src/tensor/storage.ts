import type { Backend } from '../backend/backend.js';
import { accountBuffer } from './memory.js';

/**
 * A backend buffer shared by a tensor and its reshape-views. In-place ops swap the handle
 * (so every view sees the new values) and bump `version`, which autograd checks to detect
 * modification of tensors saved for backward.
 */
export class Storage {
  refs = 0;
  version = 0;
  /**
   * The leaf tensor that requires grad and owns this buffer, if any: its views must not be
   * written in place while autograd records (PyTorch refuses that too), since the write would
   * change the leaf behind autograd's back.
   */
  gradLeaf: { readonly _requiresGrad: boolean; readonly isDisposed: boolean } | null = null;

  constructor(
    readonly backend: Backend,
    readonly device: string,
    public handle: unknown,
    readonly bytes: number,
  ) {
    accountBuffer(device, bytes, 1);
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs === 0) {
      this.backend.disposeData(this.handle);
      this.handle = undefined;
      accountBuffer(this.device, -this.bytes, -1);
    }
  }

  /** Rebinds to `handle`, freeing the old buffer; counts as a modification. */
  replace(handle: unknown): void {
    const old = this.handle;
    this.handle = handle;
    this.version++;
    this.backend.disposeData(old);
  }
}
