import { Optimizer, type ParamGroupBase } from '../optimizer.js';

/** Any optimizer (schedulers read and write only the groups' `lr`, and momentum options). */
export type AnyOptimizer = Optimizer<any>;

/** The options every epoch-based scheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch when resuming (default -1: start fresh). */
  lastEpoch?: number;
}

/** A scheduler's state: its plain-data fields (PyTorch's `__dict__` without the optimizer). */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * Base class of the epoch-based learning-rate schedulers (PyTorch's `_LRScheduler`).
 * Construction records each group's `initialLr` and sets the first learning rate (epoch 0);
 * every {@link step} moves to the next epoch and writes the new rates into the optimizer's
 * param groups. Call `scheduler.step()` after `optimizer.step()`.
 *
 * Subclasses set their own fields, then call `initialStep()` at the end of their
 * constructor (PyTorch sets them before `super().__init__`, which TypeScript does not allow).
 *
 * @throws Error from the constructor when resuming (`lastEpoch` given) and a param group has
 *   no `initialLr`.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.StepLR(opt, 10);
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   // … one epoch of opt.step() calls …
 *   sched.step();
 * }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates are scheduled. */
  readonly optimizer: AnyOptimizer;
  /** The index of the current epoch (0 after construction). */
  lastEpoch: number;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** @internal How many times step() ran (CosineAnnealingLR reads it). */
  _stepCount = 0;
  /** @internal */
  _lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${new.target.name}: expected an Optimizer, got ${describe(optimizer)}`);
    }
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups as ParamGroupBase[];
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new Error(
            `${new.target.name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming`,
          );
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** @internal Sets the learning rate of the first epoch (called at the end of subclass constructors). */
  initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates of the current epoch (computed from the groups' current `lr`). */
  protected abstract getLr(): number[];

  /** The learning rates of epoch {@link lastEpoch} in closed form, where the schedule has one. */
  protected getClosedFormLr(): number[] | undefined {
    return undefined;
  }

  /** Moves to the next epoch and writes its learning rates into the param groups. */
  step(): void {
    this._stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** @internal Jumps to `epoch` (PyTorch's deprecated `step(epoch)`; SequentialLR uses it). */
  _stepTo(epoch: number): void {
    this._stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.getClosedFormLr() ?? this.getLr());
  }

  /** @internal Writes `values` into the groups' `lr` and records them for {@link getLastLr}. */
  protected apply(values: number[]): void {
    const groups = this.optimizer.paramGroups as ParamGroupBase[];
    groups.forEach((g, i) => {
      g.lr = values[i];
    });
    this._lastLr = groups.map((g) => g.lr);
  }

  /** The learning rate of each param group set by the last step. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The scheduler's state (plain data, JSON-friendly): its fields except the optimizer. */
  stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer']);
  }

  /** Restores a {@link stateDict}. */
  loadStateDict(sd: SchedulerStateDict): void {
    restore(this, sd, ['optimizer']);
  }
}

/** @internal Copies the own data fields of `obj` (arrays and plain objects copied one level deep). */
export function snapshot(obj: object, skip: string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) {
    if (skip.includes(k) || typeof v === 'function') continue;
    out[k] = copy(v);
  }
  return out;
}

/** @internal Assigns the fields of `sd` to `obj`, skipping `skip`. */
export function restore(obj: object, sd: SchedulerStateDict, skip: string[]): void {
  if (sd === null || typeof sd !== 'object')
    throw new Error('loadStateDict: expected a scheduler state dict object');
  for (const [k, v] of Object.entries(sd)) {
    if (skip.includes(k)) continue;
    (obj as Record<string, unknown>)[k] = copy(v);
  }
}

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
