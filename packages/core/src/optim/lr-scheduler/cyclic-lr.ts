import {
  any,
  bool,
  fn,
  int,
  num,
  numOrTuple,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import { Optimizer, type ParamGroupBase } from '../optimizer.js';
import {
  type AnyOptimizer,
  LRScheduler,
  restore,
  type SchedulerOptions,
  type SchedulerStateDict,
  snapshot,
} from './lr-scheduler.js';

/**
 * torch.optim.lr_scheduler.CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000,
 * step_size_down=None, mode='triangular', gamma=1.0, scale_fn=None, scale_mode='cycle',
 * cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1, verbose=False).
 */
const CYCLIC_LR = signature('lrScheduler.CyclicLR', [
  req('optimizer', any),
  req('baseLr', numOrTuple),
  req('maxLr', numOrTuple),
  opt('stepSizeUp', num),
  opt('stepSizeDown', optional(num)),
  opt('mode', oneOf('triangular', 'triangular2', 'exp_range')),
  opt('gamma', num),
  opt('scaleFn', optional(fn)),
  opt('scaleMode', oneOf('cycle', 'iterations')),
  opt('cycleMomentum', bool),
  opt('baseMomentum', numOrTuple),
  opt('maxMomentum', numOrTuple),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** The built-in policies of {@link CyclicLR}. */
export type CyclicLRMode = 'triangular' | 'triangular2' | 'exp_range';

/** Options of {@link CyclicLR} after `baseLr` and `maxLr`. */
export interface CyclicLROptions extends SchedulerOptions {
  /** Iterations of the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Iterations of the decreasing half (default null: stepSizeUp). */
  stepSizeDown?: number | null;
  /** 'triangular' (default), 'triangular2' (amplitude halved each cycle) or 'exp_range' (× gamma^iteration). */
  mode?: CyclicLRMode;
  /** The constant of 'exp_range' (default 1). */
  gamma?: number;
  /** A custom scaling policy, 0 <= scaleFn(x) <= 1; replaces `mode` (default null). */
  scaleFn?: ((x: number) => number) | null;
  /** Whether scaleFn sees the cycle number ('cycle', default) or the iteration ('iterations'). */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle the optimizer's `momentum` inversely to the rate (default true; needs a momentum option). */
  cycleMomentum?: boolean;
  /** The lowest momentum, one value or one per group (default 0.8). */
  baseMomentum?: number | readonly number[];
  /** The highest momentum, one value or one per group (default 0.9). */
  maxMomentum?: number | readonly number[];
}

/** CyclicLR's optional positionals after `maxLr`, in PyTorch's order. */
type CyclicLRPositionals = [
  stepSizeUp: number,
  stepSizeDown: number | null,
  mode: CyclicLRMode,
  gamma: number,
  scaleFn: ((x: number) => number) | null,
  scaleMode: 'cycle' | 'iterations',
  cycleMomentum: boolean,
  baseMomentum: number | readonly number[],
  maxMomentum: number | readonly number[],
  lastEpoch: number,
  verbose: false,
];

/**
 * The cyclical learning-rate policy (Smith): the rate goes up from `baseLr` to `maxLr` in
 * `stepSizeUp` iterations and back down in `stepSizeDown`, the amplitude scaled per cycle or
 * per iteration; the momentum (when cycled) moves the opposite way between `maxMomentum` and
 * `baseMomentum`. Step it after every batch. As in PyTorch 1.13, cycling the momentum needs an
 * optimizer with a `momentum` option (SGD, RMSprop): Adam's betas are not cycled. PyTorch's
 * `CyclicLR`.
 *
 * @throws Error when `cycleMomentum` is on and the optimizer has no `momentum` option, or a
 *   per-group list has not one value per param group.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new optim.lrScheduler.CyclicLR(opt, 0.01, 0.1, { stepSizeUp: 500, mode: 'triangular2' });
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** Each group's highest rate (`maxLr`, one per group). */
  maxLrs: number[];
  /** Iterations per cycle: `stepSizeUp + stepSizeDown`. */
  totalSize: number;
  /** The rising fraction of a cycle: `stepSizeUp / totalSize`. */
  stepRatio: number;
  /** The policy: 'triangular', 'triangular2' or 'exp_range' (unused with a custom `scaleFn`). */
  mode: string;
  /** The constant of 'exp_range' (default 1). */
  gamma: number;
  /** Whether `scaleFn` sees the cycle number or the iteration. */
  scaleMode: 'cycle' | 'iterations';
  /** Whether the momentum is cycled inversely to the rate. */
  cycleMomentum: boolean;
  /** Each group's lowest momentum. */
  baseMomentums: number[];
  /** Each group's highest momentum. */
  maxMomentums: number[];
  /** @internal The user's scaleFn (not saved in the state dict: the new scheduler brings its own). */
  _scaleFnCustom: ((x: number) => number) | null;

  constructor(
    optimizer: AnyOptimizer,
    baseLr: number | readonly number[],
    maxLr: number | readonly number[],
    ...rest: PosOrOpts<CyclicLRPositionals, CyclicLROptions>
  ) {
    const o = CYCLIC_LR.parse<
      CyclicLROptions & { baseLr: number | readonly number[]; maxLr: number | readonly number[] }
    >([optimizer, baseLr, maxLr, ...rest]);
    if (!(optimizer instanceof Optimizer)) {
      // The base constructor's message, before the groups are read below.
      throw new TypeError(`CyclicLR: expected an Optimizer, got ${typeof optimizer}`);
    }
    const groups = optimizer.paramGroups as ParamGroupBase[];
    const lastEpoch = o.lastEpoch ?? -1;
    const baseLrs = perGroup('baseLr', groups.length, o.baseLr);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.lr = baseLrs[i];
      });
    }
    const cycleMomentum = o.cycleMomentum ?? true;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      if (!('momentum' in (optimizer.defaults as object))) {
        throw new Error(
          `CyclicLR: optimizer must support momentum with the cycleMomentum option enabled (${optimizer.name} has no momentum option; pass cycleMomentum: false)`,
        );
      }
      const baseM = perGroup('baseMomentum', groups.length, o.baseMomentum ?? 0.8);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          g.momentum = baseM[i];
        });
      }
      baseMomentums = groups.map((g) => g.momentum as number);
      maxMomentums = perGroup('maxMomentum', groups.length, o.maxMomentum ?? 0.9);
    }
    super(optimizer, lastEpoch);
    this.maxLrs = perGroup('maxLr', groups.length, o.maxLr);
    const stepSizeUp = o.stepSizeUp ?? 2000;
    const stepSizeDown = o.stepSizeDown ?? stepSizeUp;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    const mode = o.mode ?? 'triangular';
    const scaleFn = o.scaleFn ?? null;
    this.mode = mode;
    this.gamma = o.gamma ?? 1;
    this._scaleFnCustom = scaleFn;
    // A built-in mode fixes what its scale function sees; a custom one takes scaleMode.
    this.scaleMode =
      scaleFn !== null ? (o.scaleMode ?? 'cycle') : mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    // PyTorch's initial step uses the groups' initialLr as base rates; then baseLr takes over.
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The scale of the amplitude at cycle or iteration `x`. */
  scaleFn(x: number): number {
    if (this._scaleFnCustom !== null) return this._scaleFnCustom(x);
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1;
  }

  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const at = this.scaleMode === 'cycle' ? cycle : this.lastEpoch;
    const lrs = this.baseLrs.map(
      (base, i) => base + (this.maxLrs[i] - base) * scaleFactor * this.scaleFn(at),
    );
    if (this.cycleMomentum) {
      const groups = this.optimizer.paramGroups as ParamGroupBase[];
      this.baseMomentums.forEach((baseM, i) => {
        const baseHeight = (this.maxMomentums[i] - baseM) * scaleFactor;
        groups[i].momentum = this.maxMomentums[i] - baseHeight * this.scaleFn(at);
      });
    }
    return lrs;
  }

  /** The state without the custom scale function. */
  override stateDict(): SchedulerStateDict {
    return snapshot(this, ['optimizer', '_scaleFnCustom']);
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    restore(this, sd, ['optimizer', '_scaleFnCustom']);
  }
}

function perGroup(name: string, n: number, v: number | readonly number[]): number[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new Error(`CyclicLR: expected ${n} values for ${name}, got ${v.length}`);
    return [...v];
  }
  return new Array(n).fill(v);
}
