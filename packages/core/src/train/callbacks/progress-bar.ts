import { bool, ext, fn, int, num, obj, signature } from '../../signature/signature.js';
import { Callback, type Logs } from '../callback.js';
import { formatDuration, formatLogs } from './print-logger.js';

/** Where a {@link ProgressBar} writes: `process.stdout`, or any object with `write` (tests, browsers). */
export interface ProgressStream {
  /** A terminal: the bar is redrawn in place. */
  isTTY?: boolean;
  /** The terminal's width; longer lines are cut so `\r` can rewrite them. */
  columns?: number;
  /** Writes `text` as is (it holds its own `\r` and `\n`); the result is ignored. */
  write(text: string): unknown;
}

/**
 * Keras's `ProgbarLogger()` (https://keras.io/api/callbacks/progbar_logger/): no parameters in
 * Keras 3 (Keras 2's `count_mode` and `stateful_metrics` are gone; like Keras 3 the bar counts
 * steps and averages every log). Our options are all extensions, by name only.
 */
const PROGRESS_BAR = signature('train.ProgressBar', [
  ext('stream', obj),
  ext('silent', bool),
  ext('width', int),
  ext('interval', num),
  ext('now', fn),
]);

/** Options of {@link ProgressBar} (ours: Keras's `ProgbarLogger` takes none). */
export interface ProgressBarOptions {
  /** Output stream (default `process.stdout` in Node, whole lines to `console.log` elsewhere). */
  stream?: ProgressStream;
  /** Print nothing (keeps the callback in place, e.g. behind a --quiet flag). */
  silent?: boolean;
  /** Characters of the bar (default 30). */
  width?: number;
  /** Least milliseconds between redraws in a terminal (default 50); the last batch always draws. */
  interval?: number;
  /** The clock in milliseconds (default `performance.now`); tests pass a fake one. */
  now?: () => number;
}

/** `process.stdout` when there is one (Node), else a line-buffered stream onto `console.log`. */
function defaultStream(): ProgressStream {
  const stdout = (globalThis as { process?: { stdout?: ProgressStream } }).process?.stdout;
  if (stdout) return stdout;
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      pending += text;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        console.log(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
  };
}

/** Time per step the way Keras prints it: `2s/step`, `61ms/step`, `850us/step`. */
function perStep(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/**
 * Keras-style training progress. In a terminal it rewrites one line per epoch with
 * `\r` as batches finish:
 *
 * ```text
 * Epoch 1/5
 * 12/32 [==========>...................] - ETA: 1s - loss: 0.6931 - accuracy: 0.5000
 * ```
 *
 * ending in `32/32 [==============================] - 2s 61ms/step - loss: … - val_loss: …`.
 * When the stream is not a terminal (a log file, CI) it prints one line per epoch:
 * `Epoch 1/5 - 32/32 - 2s 61ms/step - loss: 0.6931 - val_loss: 0.6820`. During an epoch the
 * bar shows running means over the batches so far (weighted by batch size); the final line
 * shows the epoch's logs.
 *
 * This is Keras's `ProgbarLogger` (Keras 3: no parameters) under the name it has here: the
 * options below are ours, by name only, and an unknown one is an error listing them.
 *
 * @example
 * ```ts
 * import { ProgressBar } from '@proj/core/node';
 *
 * const callbacks = [new ProgressBar()];
 * await train.fit(model, { train: [x, y], loss: 'mse', optimizer: 'adam', epochs: 5, callbacks });
 * ```
 */
export class ProgressBar extends Callback {
  override readonly printsProgress = true;
  /** Whether the bar prints nothing (its `silent` option). */
  readonly silent: boolean;
  private readonly stream: ProgressStream | null;
  private readonly width: number;
  private readonly interval: number;
  private readonly now: () => number;
  private start = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastLength = 0;
  private done = 0;
  private seen = 0;
  private sums: Record<string, number> = {};

  /** Takes the {@link ProgressBarOptions} by name; an unknown or mistyped option throws. */
  constructor(...args: [options?: ProgressBarOptions]) {
    super();
    const opts = PROGRESS_BAR.parse<ProgressBarOptions>(args);
    this.silent = opts.silent ?? false;
    this.stream = this.silent ? null : (opts.stream ?? defaultStream());
    this.width = opts.width ?? 30;
    this.interval = opts.interval ?? 50;
    this.now = opts.now ?? (() => performance.now());
  }

  private get tty(): boolean {
    return this.stream?.isTTY === true;
  }

  /** Resets the running means and the clock; in a terminal, prints `Epoch n/N`. */
  override onEpochBegin(epoch: number): void {
    this.start = this.now();
    this.lastDraw = Number.NEGATIVE_INFINITY;
    this.lastLength = 0;
    this.done = 0;
    this.seen = 0;
    this.sums = {};
    if (this.tty) this.stream?.write(`Epoch ${epoch + 1}/${this.context.epochs}\n`);
  }

  /** Adds the batch to the running means; in a terminal, redraws the bar (at most every `interval` ms). */
  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const size = logs.size ?? 1;
    this.done = batch + 1;
    this.seen += size;
    for (const [k, v] of Object.entries(logs)) {
      if (k !== 'batch' && k !== 'size') this.sums[k] = (this.sums[k] ?? 0) + v * size;
    }
    if (!this.tty) return;
    const t = this.now();
    const total = this.context.steps;
    if (t - this.lastDraw < this.interval && this.done !== total) return;
    this.lastDraw = t;
    const running: Logs = {};
    for (const [k, s] of Object.entries(this.sums)) running[k] = s / this.seen;
    const elapsed = (t - this.start) / 1000;
    let timing: string;
    if (total !== undefined && this.done < total) {
      timing = `ETA: ${formatDuration((elapsed / this.done) * (total - this.done))}`;
    } else {
      timing = `${formatDuration(elapsed)} ${perStep(elapsed / this.done)}`;
    }
    this.redraw(this.line(timing, running));
  }

  /** Prints the epoch's final line, with its time per step and logs. */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (!this.stream) return;
    const elapsed = (this.now() - this.start) / 1000;
    const timing = `${formatDuration(elapsed)} ${perStep(elapsed / Math.max(1, this.done))}`;
    if (this.tty) {
      this.redraw(this.line(timing, logs));
      this.stream.write('\n');
    } else {
      const total = this.context.steps ?? this.done;
      const shown = formatLogs(logs);
      this.stream.write(
        `Epoch ${epoch + 1}/${this.context.epochs} - ${this.done}/${total} - ${timing}${shown ? ` - ${shown}` : ''}\n`,
      );
    }
  }

  /** `12/32 [==========>.....] - <timing> - loss: …` (no bar when the total is unknown). */
  private line(timing: string, logs: Logs): string {
    const total = this.context.steps;
    let head: string;
    if (total === undefined) {
      head = `${this.done}/Unknown`;
    } else {
      const digits = String(total).length;
      const filled = Math.floor((this.width * Math.min(this.done, total)) / total);
      let bar = '';
      if (filled > 0) bar = `${'='.repeat(filled - 1)}${this.done < total ? '>' : '='}`;
      head = `${String(this.done).padStart(digits)}/${total} [${bar.padEnd(this.width, '.')}]`;
    }
    const shown = formatLogs(logs);
    return `${head} - ${timing}${shown ? ` - ${shown}` : ''}`;
  }

  /** Rewrites the current terminal line: `\r`, the text, and spaces over a longer previous text. */
  private redraw(text: string): void {
    const cols = this.stream?.columns;
    const line = cols && cols > 1 && text.length >= cols ? text.slice(0, cols - 1) : text;
    const pad = this.lastLength > line.length ? ' '.repeat(this.lastLength - line.length) : '';
    this.stream?.write(`\r${line}${pad}`);
    this.lastLength = line.length;
  }
}
