import { Callback, type Logs } from '../callback.js';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerOptions {
  /** Field separator (default ','). */
  separator?: string;
  /** Receives the CSV text as it grows: the header line, then one line per epoch (each ending in '\n'). */
  write?: (text: string) => void;
  /** Whether a header was already written (appending to an existing file): skip it. */
  skipHeader?: boolean;
}

/**
 * Records one CSV row per epoch, `epoch` first and the log keys sorted (Keras' `CSVLogger`).
 * The browser-safe core keeps the rows (`rows`, `toString()`) and passes text to `write`;
 * `@proj/core/node`'s CSVLogger appends to a file.
 */
export class CSVLogger extends Callback {
  /** Every epoch's row: `{ epoch, loss, … }`. */
  readonly rows: Logs[] = [];
  readonly separator: string;
  private keys: string[] | null = null;
  private text = '';
  private readonly sink: ((text: string) => void) | undefined;
  /** Whether the header line is out already (later runs append rows under it). */
  protected headerWritten: boolean;

  constructor(opts: CSVLoggerOptions = {}) {
    super();
    this.separator = opts.separator ?? ',';
    this.sink = opts.write;
    this.headerWritten = opts.skipHeader ?? false;
  }

  override onTrainBegin(): void {
    this.keys = null;
  }

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
