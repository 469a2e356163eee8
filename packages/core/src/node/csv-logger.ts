import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { CSVLogger as CoreCSVLogger, type CSVLoggerOptions } from '../train/callbacks/csv-logger.js';

/** Options of the Node {@link CSVLogger}. */
export interface FileCSVLoggerOptions extends Omit<CSVLoggerOptions, 'write' | 'skipHeader'> {
  /** Append to an existing file (no second header) instead of replacing it (default false). */
  append?: boolean;
}

/**
 * Keras' `CSVLogger` for Node: one row per epoch appended to `filename` as it ends (so the
 * file is readable while training runs). Without `append` the file is replaced when
 * training begins.
 *
 * ```ts
 * new CSVLogger('training.csv')  // epoch,accuracy,loss,lr,val_accuracy,val_loss
 * ```
 */
export class CSVLogger extends CoreCSVLogger {
  readonly filename: string;
  readonly append: boolean;

  constructor(filename: string, opts: FileCSVLoggerOptions = {}) {
    super({ separator: opts.separator, write: (text) => appendFileSync(filename, text) });
    this.filename = filename;
    this.append = opts.append ?? false;
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
