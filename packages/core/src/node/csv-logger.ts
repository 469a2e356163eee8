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
 * ```ts
 * new CSVLogger('training.csv')  // epoch,accuracy,loss,lr,val_accuracy,val_loss
 * new CSVLogger('training.csv', ',', true) // or ('training.csv', { append: true })
 * ```
 */
export class CSVLogger extends CoreCSVLogger {
  constructor(
    filename: string,
    ...rest: PosOrOpts<[separator: string, append: boolean], FileCSVLoggerOptions>
  ) {
    super(filename, ...rest);
  }

  protected override fileSink(): (text: string) => void {
    return (text) => appendFileSync(this.filename, text);
  }

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
