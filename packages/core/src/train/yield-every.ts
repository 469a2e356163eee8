// fit's `yieldEvery` (TF.js's name and values): when the training loop awaits nextFrame().
import { nextFrame } from './next-frame.js';

/**
 * When `fit` gives the event loop a turn ({@link nextFrame}), as TF.js's `yieldEvery`:
 * - `'auto'` (the default): after a batch (or an epoch) that ends at least 125 ms after the
 *   last yield, so a page stays responsive (about 8 repaints a second) at a negligible cost;
 * - `'batch'`: after every batch; `'epoch'`: after every epoch;
 * - `'never'`: never (the loop only awaits microtasks: no timer, I/O or repaint runs until
 *   `fit` resolves, unless a callback or an async data source awaits one);
 * - a number of milliseconds `n >= 0`: like `'auto'` with `n` instead of 125.
 */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** TF.js's `DEFAULT_YIELD_EVERY_MS`: 'auto' yields when this many milliseconds have passed. */
export const AUTO_YIELD_MS = 125;

const NAMES = ['auto', 'batch', 'epoch', 'never'];

/**
 * @internal Decides, at each batch end and epoch end of a fit loop, whether to await
 * {@link nextFrame}. Time-based modes measure from the loop's start and from the last yield.
 */
export class Yielder {
  private readonly everyMs: number | null;
  private last: number;

  constructor(
    op: string,
    private readonly mode: YieldEvery = 'auto',
    private readonly now: () => number = () => performance.now(),
    private readonly frame: () => Promise<void> = nextFrame,
  ) {
    const ok = typeof mode === 'number' ? Number.isFinite(mode) && mode >= 0 : NAMES.includes(mode);
    if (!ok) {
      const got = typeof mode === 'string' ? `'${mode}'` : String(mode);
      throw new Error(
        `${op}: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0, got ${got}`,
      );
    }
    this.everyMs = mode === 'auto' ? AUTO_YIELD_MS : typeof mode === 'number' ? mode : null;
    this.last = this.now();
  }

  /** After a batch (its callbacks included). */
  afterBatch(): Promise<void> | undefined {
    return this.mode === 'batch' ? this.yield() : this.ifDue();
  }

  /**
   * After an epoch (validation and callbacks included). Time-based modes check here too (TF.js
   * checks at batch ends only), so a long validation pass does not hold the page past the budget.
   */
  afterEpoch(): Promise<void> | undefined {
    return this.mode === 'epoch' ? this.yield() : this.ifDue();
  }

  private ifDue(): Promise<void> | undefined {
    if (this.everyMs === null || this.now() - this.last < this.everyMs) return undefined;
    return this.yield();
  }

  private async yield(): Promise<void> {
    await this.frame();
    this.last = this.now();
  }
}
