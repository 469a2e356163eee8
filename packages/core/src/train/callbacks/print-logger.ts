import { Callback, type Logs } from '../callback.js';
import { formatLogValue } from '../format.js';

/** Keys that describe a batch or the run rather than measure the model. */
const NOT_SHOWN = new Set(['batch', 'size', 'epoch', 'lr']);

/** `loss: 0.1234 - accuracy: 0.9500 - val_loss: …`: training logs first, then validation ones. */
export function formatLogs(logs: Logs): string {
  const keys = Object.keys(logs).filter((k) => !NOT_SHOWN.has(k));
  const ordered = [...keys.filter((k) => !k.startsWith('val_')), ...keys.filter((k) => k.startsWith('val_'))];
  return ordered.map((k) => `${k}: ${formatLogValue(logs[k])}`).join(' - ');
}

/** A duration the way Keras prints it: `2s`, `1:05`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

/** Options of {@link PrintLogger}. */
export interface PrintLoggerOptions {
  /** Where lines go (default `console.log`). */
  print?: (line: string) => void;
  /** The clock in milliseconds (default `performance.now`); tests pass a fake one. */
  now?: () => number;
}

/**
 * Prints one line per epoch, `Epoch 3/10 - 2s - loss: 0.2310 - val_loss: 0.2512`, through
 * `console.log`: the browser-safe progress output that `fit` adds when `verbose` is 1 and no
 * other callback prints progress (in Node, `ProgressBar` from `@proj/core/node` draws a live bar).
 * Keras prints the same line with `verbose=2`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const logger = new train.PrintLogger({ print: (l) => lines.push(l) });
 * await train.fit(model, { train: [x, y], loss: 'mse', optimizer: 'adam', callbacks: [logger] });
 * ```
 */
export class PrintLogger extends Callback {
  override readonly printsProgress = true;
  private readonly print: (line: string) => void;
  private readonly now: () => number;
  private start = 0;

  /** Prints through `opts.print` (default `console.log`), timing with `opts.now`. */
  constructor(opts: PrintLoggerOptions = {}) {
    super();
    this.print = opts.print ?? ((line) => console.log(line));
    this.now = opts.now ?? (() => performance.now());
  }

  /** Starts the epoch's clock. */
  override onEpochBegin(): void {
    this.start = this.now();
  }

  /** Prints the epoch's line: number, duration and logs. */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const secs = (this.now() - this.start) / 1000;
    const shown = formatLogs(logs);
    this.print(
      `Epoch ${epoch + 1}/${this.context.epochs} - ${formatDuration(secs)}${shown ? ` - ${shown}` : ''}`,
    );
  }
}
