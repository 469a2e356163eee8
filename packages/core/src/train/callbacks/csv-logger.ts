import { bool, ext, fn, opt, type PosOrOpts, req, signature, str } from '../../signature/signature.js';
import { Callback, type Logs } from '../callback.js';

/**
 * Keras's `CSVLogger(filename, separator=",", append=False)`
 * (https://keras.io/api/callbacks/csv_logger/), then ours by name: `write`, `skipHeader`.
 */
const CSV_LOGGER = signature('train.CSVLogger', [
  req('filename', str),
  opt('separator', str),
  opt('append', bool),
  ext('write', fn),
  ext('skipHeader', bool),
]);

/** Options of {@link CSVLogger}: Keras's parameters after `filename`, and ours. */
export interface CSVLoggerOptions {
  /** Field separator (default ','). */
  separator?: string;
  /**
   * Keras's `append`: continue an existing file under its header instead of replacing it
   * (default false). It needs the file system: only `@proj/core/node`'s CSVLogger takes true.
   */
  append?: boolean;
  /** Ours: receives the CSV text as it grows: the header line, then one line per epoch (each ending in '\n'). */
  write?: (text: string) => void;
  /** Ours: whether `write`'s target already holds a header (continuing a log): skip it. */
  skipHeader?: boolean;
}

/**
 * Records one CSV row per epoch, `epoch` first and the log keys sorted (Keras' `CSVLogger`).
 * The browser-safe core keeps the rows (`rows`, `toString()`) and passes text to `write`
 * (`filename` is recorded, not written); `@proj/core/node`'s CSVLogger writes the file.
 *
 * Keras's parameters in Keras's order, or by name in one options object; an unknown name or a
 * mistyped value is an error listing the accepted ones:
 *
 * ```ts
 * new train.CSVLogger('training.csv', { write: (text) => chunks.push(text) })
 * new train.CSVLogger('training.csv', ';') // filename, separator
 * ```
 */
export class CSVLogger extends Callback {
  /** Every epoch's row: `{ epoch, loss, … }`. */
  readonly rows: Logs[] = [];
  /** Keras's filename: the file Node's CSVLogger writes; in the core, a name for the `write` target. */
  readonly filename: string;
  /** Field separator between the values of a row (Keras's `separator`, default ','). */
  readonly separator: string;
  /** Keras's append (Node's CSVLogger): continue the file under its header. */
  readonly append: boolean;
  private keys: string[] | null = null;
  private text = '';
  private readonly sink: ((text: string) => void) | undefined;
  /** Whether the header line is out already (later runs append rows under it). */
  protected headerWritten: boolean;

  constructor(filename: string, ...rest: PosOrOpts<[separator: string, append: boolean], CSVLoggerOptions>);
  constructor(options: CSVLoggerOptions & { filename: string });
  constructor(...args: unknown[]) {
    super();
    const opts = CSV_LOGGER.parse<CSVLoggerOptions & { filename: string }>(args);
    this.filename = opts.filename;
    this.separator = opts.separator ?? ',';
    this.append = opts.append ?? false;
    const file = opts.write === undefined ? this.fileSink() : undefined;
    if (this.append && file === undefined) {
      throw new Error(
        "CSVLogger: append needs the file system: use CSVLogger from '@proj/core/node' (with a write function, pass skipHeader when its target already holds a header)",
      );
    }
    this.sink = opts.write ?? file;
    this.headerWritten = opts.skipHeader ?? false;
  }

  /** Where the text goes without `write`: nowhere in the core (Node's CSVLogger appends to `filename`). */
  protected fileSink(): ((text: string) => void) | undefined {
    return undefined;
  }

  /** Forgets the columns of an earlier run: the first epoch's logs decide them again. */
  override onTrainBegin(): void {
    this.keys = null;
  }

  /**
   * Adds the epoch's row (`'NA'` for a column the logs lack), after the header on the first
   * epoch unless one was written already.
   */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (!this.headerWritten) this.emit(['epoch', ...this.keys].join(this.separator));
      this.headerWritten = true;
    }
    const row: Logs = { epoch };
    for (const k of this.keys) row[k] = logs[k];
    this.rows.push(row);
    this.emit(
      [epoch, ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))].join(this.separator),
    );
  }

  /** The CSV text written so far. */
  override toString(): string {
    return this.text;
  }

  private emit(line: string): void {
    this.text += `${line}\n`;
    this.sink?.(`${line}\n`);
  }
}
