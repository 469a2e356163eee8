import {
  any,
  bool,
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
import type { ParamGroupBase } from '../optimizer.js';
import { type AnyOptimizer, LRScheduler } from './lr-scheduler.js';

/**
 * torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None,
 * steps_per_epoch=None, pct_start=0.3, anneal_strategy='cos', cycle_momentum=True,
 * base_momentum=0.85, max_momentum=0.95, div_factor=25.0, final_div_factor=10000.0,
 * three_phase=False, last_epoch=-1, verbose=False).
 */
const ONE_CYCLE_LR = signature('lrScheduler.OneCycleLR', [
  req('optimizer', any),
  req('maxLr', numOrTuple),
  opt('totalSteps', optional(int)),
  opt('epochs', optional(int)),
  opt('stepsPerEpoch', optional(int)),
  opt('pctStart', num),
  opt('annealStrategy', oneOf('cos', 'linear')),
  opt('cycleMomentum', bool),
  opt('baseMomentum', numOrTuple),
  opt('maxMomentum', numOrTuple),
  opt('divFactor', num),
  opt('finalDivFactor', num),
  opt('threePhase', bool),
  opt('lastEpoch', int),
  opt('verbose', oneOf(false)),
]);

/** Options of {@link OneCycleLR}: `maxLr` and either `totalSteps` or `epochs` with `stepsPerEpoch`. */
export interface OneCycleLROptions {
  /** The peak learning rate, one value or one per group. */
  maxLr: number | readonly number[];
  /** The number of steps in the cycle. */
  totalSteps?: number | null;
  /** With `stepsPerEpoch`, gives totalSteps = epochs × stepsPerEpoch. */
  epochs?: number | null;
  /** With `epochs`, gives totalSteps = epochs × stepsPerEpoch (e.g. `loader.length`). */
  stepsPerEpoch?: number | null;
  /** The fraction of the cycle spent increasing the rate (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD's `momentum`, Adam's `betas[0]`) inversely to the rate (default true). */
  cycleMomentum?: boolean;
  /** The lowest momentum, one value or one per group (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** The highest momentum, one value or one per group (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** A third phase annihilating the rate, as in fast.ai (default false). */
  threePhase?: boolean;
  /** The index of the last step when resuming (default -1). */
  lastEpoch?: number;
}

/** OneCycleLR's optional positionals after `maxLr`, in PyTorch's order. */
type OneCycleLRPositionals = [
  totalSteps: number | null,
  epochs: number | null,
  stepsPerEpoch: number | null,
  pctStart: number,
  annealStrategy: 'cos' | 'linear',
  cycleMomentum: boolean,
  baseMomentum: number | readonly number[],
  maxMomentum: number | readonly number[],
  divFactor: number,
  finalDivFactor: number,
  threePhase: boolean,
  lastEpoch: number,
  verbose: false,
];

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith & Topin): the rate rises from maxLr/divFactor to maxLr, then anneals
 * far below the start; momentum moves the opposite way. Step it once per batch. PyTorch's
 * `OneCycleLR`.
 *
 * @throws Error when neither `totalSteps` nor both `epochs` and `stepsPerEpoch` are given (or
 *   they are not positive integers), `pctStart` is outside [0, 1], `annealStrategy` is unknown,
 *   `cycleMomentum` is on for an optimizer without `momentum` or `betas`, a per-group list has
 *   not one value per group; and from `step()` past `totalSteps`.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.OneCycleLR(opt, 0.1, { epochs: 10, stepsPerEpoch: loader.length });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** The steps of the whole cycle (given, or epochs × stepsPerEpoch). */
  totalSteps: number;
  /** How the rate moves within a phase: 'cos' (default) or 'linear'. */
  annealStrategy: 'cos' | 'linear';
  /** Whether the momentum is cycled inversely to the rate. */
  cycleMomentum: boolean;
  /** Whether the cycled momentum is `betas[0]` (Adam-like optimizers) rather than `momentum`. */
  useBeta1: boolean;
  /** @internal */
  _schedulePhases: Phase[];

  constructor(
    optimizer: AnyOptimizer,
    ...rest:
      | [options: OneCycleLROptions]
      | [
          maxLr: number | readonly number[],
          ...PosOrOpts<OneCycleLRPositionals, Omit<OneCycleLROptions, 'maxLr'>>,
        ]
  ) {
    const o = ONE_CYCLE_LR.parse<OneCycleLROptions>([optimizer, ...rest]);
    const total = resolveTotal(o);
    const pctStart = o.pctStart ?? 0.3;
    if (!(pctStart >= 0 && pctStart <= 1)) {
      throw new Error(`OneCycleLR: expected pctStart between 0 and 1, but got ${pctStart}`);
    }
    const anneal = o.annealStrategy ?? 'cos';
    if (anneal !== 'cos' && anneal !== 'linear') {
      throw new Error(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${anneal}`);
    }
    const groups = optimizer.paramGroups as ParamGroupBase[];
    const lastEpoch = o.lastEpoch ?? -1;
    const maxLrs = perGroup('maxLr', groups.length, o.maxLr);
    if (lastEpoch === -1) {
      const divFactor = o.divFactor ?? 25;
      const finalDivFactor = o.finalDivFactor ?? 1e4;
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
    }
    const cycleMomentum = o.cycleMomentum ?? true;
    const defaults = optimizer.defaults as Record<string, unknown>;
    const useBeta1 = 'betas' in defaults;
    if (cycleMomentum) {
      if (!('momentum' in defaults) && !useBeta1) {
        throw new Error(
          'OneCycleLR: optimizer must support momentum (momentum or betas) with the cycleMomentum option',
        );
      }
      const maxM = perGroup('maxMomentum', groups.length, o.maxMomentum ?? 0.95);
      const baseM = perGroup('baseMomentum', groups.length, o.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i];
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    const phase = (
      endStep: number,
      startLr: string,
      endLr: string,
      startMomentum: string,
      endMomentum: string,
    ) => ({
      endStep,
      startLr,
      endLr,
      startMomentum,
      endMomentum,
    });
    this._schedulePhases = o.threePhase
      ? [
          phase(pctStart * total - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(2 * pctStart * total - 2, 'maxLr', 'initialLr', 'baseMomentum', 'maxMomentum'),
          phase(total - 1, 'initialLr', 'minLr', 'maxMomentum', 'maxMomentum'),
        ]
      : [
          phase(pctStart * total - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(total - 1, 'maxLr', 'minLr', 'baseMomentum', 'maxMomentum'),
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new Error(
        `OneCycleLR: tried to step ${stepNum + 1} times; the specified number of total steps is ${this.totalSteps}`,
      );
    }
    const lrs: number[] = [];
    const phases = this._schedulePhases;
    for (const g of this.optimizer.paramGroups as ParamGroupBase[]) {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < phases.length; i++) {
        const p = phases[i];
        if (stepNum <= p.endStep || i === phases.length - 1) {
          const pct = (stepNum - startStep) / (p.endStep - startStep);
          lr = this.anneal(g[p.startLr] as number, g[p.endLr] as number, pct);
          if (this.cycleMomentum)
            momentum = this.anneal(g[p.startMomentum] as number, g[p.endMomentum] as number, pct);
          break;
        }
        startStep = p.endStep;
      }
      lrs.push(lr);
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
    }
    return lrs;
  }
}

function resolveTotal(o: OneCycleLROptions): number {
  if (o.totalSteps !== undefined && o.totalSteps !== null) {
    if (!Number.isInteger(o.totalSteps) || o.totalSteps <= 0) {
      throw new Error(`OneCycleLR: expected a positive integer totalSteps, but got ${o.totalSteps}`);
    }
    return o.totalSteps;
  }
  if (
    o.epochs === undefined ||
    o.epochs === null ||
    o.stepsPerEpoch === undefined ||
    o.stepsPerEpoch === null
  ) {
    throw new Error('OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)');
  }
  if (!Number.isInteger(o.epochs) || o.epochs <= 0) {
    throw new Error(`OneCycleLR: expected a positive integer epochs, but got ${o.epochs}`);
  }
  if (!Number.isInteger(o.stepsPerEpoch) || o.stepsPerEpoch <= 0) {
    throw new Error(`OneCycleLR: expected a positive integer stepsPerEpoch, but got ${o.stepsPerEpoch}`);
  }
  return o.epochs * o.stepsPerEpoch;
}

function perGroup(name: string, n: number, v: number | readonly number[]): number[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new Error(`OneCycleLR: expected ${n} values for ${name}, got ${v.length}`);
    return [...v];
  }
  return new Array(n).fill(v);
}
