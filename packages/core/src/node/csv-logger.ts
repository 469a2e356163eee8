import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import type { PosOrOpts } from '../signature/signature.js';
import { CSVLogger as CoreCSVLogger, type CSVLoggerOptions } from '../train/callbacks/csv-logger.js';

/** Options of the Node {@link CSVLogger}: Keras's `separator` and `append`. */
export interface FileCSVLoggerOptions extends Omit<CSVLoggerOptions, 'write' | 'skipHeader'> {
  /** Append to an existing file (no second header) instead of replacing it (default false). */
  append?: boolean;
}

/**
 * Keras' `CSVLogger(filename, separator=",", append=False)` for Node: one row per epoch
 * appended to `filename` as it ends (so the file is readable while training runs). Without
 * `append` the file is replaced when training begins.
 *
 * @throws Error for an unknown option or a mistyped value; the file system's error when the
 *   file cannot be written.
 *
 * @example
 * ```ts
 * import { CSVLogger } from '@proj/core/node';
 *
 * new CSVLogger('training.csv')  // epoch,accuracy,loss,lr,val_accuracy,val_loss
 * new CSVLogger('training.csv', ',', true) // or ('training.csv', { append: true })
 * ```
 */
export class CSVLogger extends CoreCSVLogger {
  /** Keras's parameters in Keras's order, or by name after `filename`; an unknown one throws. */
  constructor(
    filename: string,
    ...rest: PosOrOpts<[separator: string, append: boolean], FileCSVLoggerOptions>
  ) {
    super(filename, ...rest);
  }

  protected override fileSink(): (text: string) => void {
    return (text) => appendFileSync(this.filename, text);
  }

  /**
   * Empties `filename` (creating it), or with `append` keeps it and writes a header only if the
   * file is missing or empty.
   */
  override onTrainBegin(): void {
    super.onTrainBegin();
    if (this.append) {
      this.headerWritten = existsSync(this.filename) && statSync(this.filename).size > 0;
    } else {
      writeFileSync(this.filename, '');
      this.headerWritten = false;
    }
  }
}
