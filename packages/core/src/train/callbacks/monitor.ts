import { type Logs, resolveMode } from '../callback.js';

/** Options shared by the callbacks that watch one logged quantity. */
export interface MonitorOptions {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names, else 'min'. */
  mode?: 'min' | 'max' | 'auto';
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
}

/** Tracks the best value of a monitored log (Keras' `monitor_op` with `min_delta`). */
export class Monitor {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;

  constructor(op: string, opts: MonitorOptions, defaultMinDelta = 0) {
    this.monitor = opts.monitor ?? 'val_loss';
    this.mode = resolveMode(op, opts.mode, this.monitor);
    this.minDelta = Math.abs(opts.minDelta ?? defaultMinDelta);
  }

  /** The starting "best": +Infinity when minimising, -Infinity when maximising. */
  worst(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Whether `value` beats `reference` by more than `minDelta`. */
  isImprovement(value: number, reference: number): boolean {
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }
}

/** Warns that a monitored key is missing from the logs; callers warn once per run, as Keras does. */
export function warnMissing(op: string, monitor: string, logs: Logs): void {
  console.warn(`${op}: the logs hold no '${monitor}' (available: ${Object.keys(logs).join(', ')}); skipping`);
}
