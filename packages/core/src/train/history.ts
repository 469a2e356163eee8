import type { Logs } from './callback.js';

/**
 * What {@link fit} returns (Keras' `History`): `history.loss`, `history.val_loss`,
 * `history.accuracy` … hold one value per epoch, `epochs` the epoch indices that ran, and
 * `batches` every batch's logs (with its `epoch` and `batch` index).
 *
 * @example
 * ```ts
 * const history = await train.fit(model, { train: [x, y], loss: 'mse', optimizer: 'adam', epochs: 10, verbose: 0 });
 * const last = history.history.loss.at(-1);
 * ```
 */
export class History {
  /** Per-epoch values by log key (`loss`, `val_loss`, `accuracy`, `lr`, …). */
  readonly history: Record<string, number[]> = {};
  /** The indices of the epochs that ran, from 0 (an early stop makes it shorter than `epochs`). */
  readonly epochs: number[] = [];
  /** Each batch's logs: `{ epoch, batch, size, loss, <metrics> }`. */
  readonly batches: Logs[] = [];

  /** @internal Appends an epoch's logs. */
  addEpoch(epoch: number, logs: Logs): void {
    this.epochs.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      if (!(k in this.history)) this.history[k] = [];
      this.history[k].push(v);
    }
  }

  /** @internal Appends a batch's logs. */
  addBatch(epoch: number, logs: Logs): void {
    this.batches.push({ epoch, ...logs });
  }
}
