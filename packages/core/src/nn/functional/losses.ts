import { where } from '../../ops/binary.js';
import { checkOnDevice } from '../../ops/device-check.js';
import { checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  int,
  num,
  oneOf,
  opt,
  optional,
  type ParamSpec,
  type PosOrOpts,
  req,
  signature,
  tensor,
  unsupported,
} from '../../signature/signature.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { softplusStable } from './activations.js';

/** How a loss reduces its per-element values. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by every loss. */
export interface LossOptions {
  /** `'mean'` (the default) averages the per-element losses, `'sum'` adds them, `'none'` returns them all. */
  reduction?: Reduction;
}

// ---- PyTorch's signatures (inspect.signature of torch.nn.functional.*_loss) -----------------
// Shared with the loss classes (nn/losses/loss.ts re-exports them).

const DEPRECATED = 'deprecated in PyTorch; use reduction';
/** PyTorch's deprecated `size_average` (refused: `reduction` says the same). */
export const SIZE_AVERAGE: ParamSpec = unsupported('sizeAverage', DEPRECATED);
/** PyTorch's deprecated `reduce` (refused: `reduction` says the same). */
export const REDUCE: ParamSpec = unsupported('reduce', DEPRECATED);
/** `reduction: 'mean' | 'sum' | 'none'`. */
export const REDUCTION: ParamSpec = opt('reduction', oneOf('mean', 'sum', 'none'));
/** A Tensor. */
/** `weight: Optional[Tensor] = None`. */
export const WEIGHT: ParamSpec = opt('weight', optional(tensor));
// input and target are checked by the functions themselves (checkTensor's messages).
const INPUT = req('input', any);
const TARGET = req('target', any);

const MSE_LOSS = signature('F.mseLoss', [INPUT, TARGET, SIZE_AVERAGE, REDUCE, REDUCTION]);
const L1_LOSS = signature('F.l1Loss', [INPUT, TARGET, SIZE_AVERAGE, REDUCE, REDUCTION]);
const HUBER_LOSS = signature('F.huberLoss', [INPUT, TARGET, REDUCTION, opt('delta', num)]);
const SMOOTH_L1_LOSS = signature('F.smoothL1Loss', [
  INPUT,
  TARGET,
  SIZE_AVERAGE,
  REDUCE,
  REDUCTION,
  opt('beta', num),
]);
const BCE = signature('F.binaryCrossEntropy', [INPUT, TARGET, WEIGHT, SIZE_AVERAGE, REDUCE, REDUCTION]);
const BCE_WITH_LOGITS = signature('F.binaryCrossEntropyWithLogits', [
  INPUT,
  TARGET,
  WEIGHT,
  SIZE_AVERAGE,
  REDUCE,
  REDUCTION,
  opt('posWeight', optional(tensor)),
]);
const NLL_LOSS = signature('F.nllLoss', [
  INPUT,
  TARGET,
  WEIGHT,
  SIZE_AVERAGE,
  opt('ignoreIndex', int),
  REDUCE,
  REDUCTION,
]);
const CROSS_ENTROPY = signature('F.crossEntropy', [
  INPUT,
  TARGET,
  WEIGHT,
  SIZE_AVERAGE,
  opt('ignoreIndex', int),
  REDUCE,
  REDUCTION,
  opt('labelSmoothing', num),
]);
const KL_DIV = signature('F.klDiv', [
  INPUT,
  TARGET,
  SIZE_AVERAGE,
  REDUCE,
  opt('reduction', oneOf('mean', 'sum', 'none', 'batchmean')),
  opt('logTarget', bool),
]);

/** PyTorch's deprecated pair, positionally only as placeholders (refused when given). */
export type Deprecated = [sizeAverage: undefined, reduce: undefined];

/** @internal Applies `reduction` ('mean' when undefined) to per-element losses; shared by every loss file. */
export function reduce(op: string, loss: Tensor, reduction: Reduction | undefined): Tensor {
  switch (reduction ?? 'mean') {
    case 'mean':
      return loss.mean();
    case 'sum':
      return loss.sum();
    case 'none':
      return loss;
    default:
      throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${reduction}'`);
  }
}

/** @internal Checks that input and target are tensors on one device. */
export function lossOperands(op: string, input: Tensor, target: Tensor): void {
  checkTensor(op, input);
  checkTensor(op, target, 'target');
  checkSameDevice(op, input, target);
}

/** @internal Checks that input and target have the same shape (PyTorch warns and broadcasts; we refuse). */
export function sameShape(op: string, input: Tensor, target: Tensor): void {
  lossOperands(op, input, target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new Error(
      `${op}: target shape ${fmtShape(target.shape)} must match input shape ${fmtShape(input.shape)}`,
    );
  }
}

/** @internal `target` in the input's dtype. */
export function floatTarget(input: Tensor, target: Tensor): Tensor {
  return target.dtype === input.dtype ? target : target.to(input.dtype);
}

/**
 * Mean squared error: (x - y)². PyTorch's order:
 * `(input, target, sizeAverage, reduce, reduction)`; the deprecated two are refused.
 */
export function mseLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[...Deprecated, reduction: Reduction], LossOptions>
): Tensor {
  const opts = MSE_LOSS.parse<LossOptions>([input, target, ...rest]);
  sameShape('mseLoss', input, target);
  const d = input.sub(floatTarget(input, target));
  return reduce('mseLoss', d.mul(d), opts.reduction);
}

/** Mean absolute error: |x - y|. `(input, target, sizeAverage, reduce, reduction)` as PyTorch's. */
export function l1Loss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[...Deprecated, reduction: Reduction], LossOptions>
): Tensor {
  const opts = L1_LOSS.parse<LossOptions>([input, target, ...rest]);
  sameShape('l1Loss', input, target);
  return reduce('l1Loss', input.sub(floatTarget(input, target)).abs(), opts.reduction);
}

/** Options of {@link huberLoss}. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** Huber: ½d² for |d| < δ, δ(|d| - ½δ) beyond. `(input, target, reduction, delta)` as PyTorch's. */
export function huberLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[reduction: Reduction, delta: number], HuberOptions>
): Tensor {
  const opts = HUBER_LOSS.parse<HuberOptions>([input, target, ...rest]);
  sameShape('huberLoss', input, target);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huberLoss: delta must be positive, got ${delta}`);
  const d = input.sub(floatTarget(input, target));
  const a = d.abs();
  const loss = where(a.lt(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta));
  return reduce('huberLoss', loss, opts.reduction);
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1Options extends LossOptions {
  /** Width of the quadratic zone (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/**
 * Smooth L1: ½d²/β for |d| < β, |d| - ½β beyond.
 * `(input, target, sizeAverage, reduce, reduction, beta)` as PyTorch's.
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[...Deprecated, reduction: Reduction, beta: number], SmoothL1Options>
): Tensor {
  const opts = SMOOTH_L1_LOSS.parse<SmoothL1Options>([input, target, ...rest]);
  sameShape('smoothL1Loss', input, target);
  const beta = opts.beta ?? 1;
  if (beta < 0) throw new Error(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  const d = input.sub(floatTarget(input, target));
  const a = d.abs();
  if (beta === 0) return reduce('smoothL1Loss', a, opts.reduction);
  const loss = where(a.lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta));
  return reduce('smoothL1Loss', loss, opts.reduction);
}

/** Options of {@link binaryCrossEntropy}. */
export interface BCEOptions extends LossOptions {
  /** Rescales each element's loss (broadcast to the input). */
  weight?: Tensor | null;
}

/**
 * Binary cross-entropy on probabilities: -(y·log x + (1-y)·log(1-x)), with the logs
 * clamped at -100 as PyTorch does (so x = 0 or 1 gives a finite loss).
 * `(input, target, weight, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[weight: Tensor | null, ...Deprecated, reduction: Reduction], BCEOptions>
): Tensor {
  const opts = BCE.parse<BCEOptions>([input, target, ...rest]);
  sameShape('binaryCrossEntropy', input, target);
  // PyTorch raises here too: log of a negative or > 1 "probability" is NaN, silently.
  checkOnDevice(
    () => input.ge(0).logicalAnd(input.le(1)),
    () =>
      `binaryCrossEntropy: all elements of input should be between 0 and 1 (input ${fmtShape(input.shape)}); ` +
      'apply sigmoid() first, or use binaryCrossEntropyWithLogits / BCEWithLogitsLoss on raw scores',
  );
  const y = floatTarget(input, target);
  const logX = input.log().clamp(-100);
  const log1mX = input.neg().add(1).log().clamp(-100);
  let loss = y.mul(logX).add(y.neg().add(1).mul(log1mX)).neg();
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropy', loss, opts.reduction);
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
}

/**
 * Sigmoid + binary cross-entropy in one stable expression:
 * (1-y)·x + w_p·softplus(-x), with w_p = 1 + (posWeight - 1)·y; finite for any |x|.
 * `(input, target, weight, sizeAverage, reduce, reduction, posWeight)` as PyTorch's.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<
    [weight: Tensor | null, ...Deprecated, reduction: Reduction, posWeight: Tensor | null],
    BCEWithLogitsOptions
  >
): Tensor {
  const opts = BCE_WITH_LOGITS.parse<BCEWithLogitsOptions>([input, target, ...rest]);
  sameShape('binaryCrossEntropyWithLogits', input, target);
  const y = floatTarget(input, target);
  const spNeg = softplusStable(input.neg());
  const logWeight = opts.posWeight ? opts.posWeight.sub(1).mul(y).add(1) : null;
  let loss = y
    .neg()
    .add(1)
    .mul(input)
    .add(logWeight ? logWeight.mul(spNeg) : spNeg);
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropyWithLogits', loss, opts.reduction);
}

/** Options of {@link nllLoss}. */
export interface NLLOptions extends LossOptions {
  /** Per-class weights `[C]`. */
  weight?: Tensor | null;
  /** Target value that contributes nothing (default -100). */
  ignoreIndex?: number;
}

/** Moves the class dim (1) last and flattens: `[N, C, d...]` → `[N·d..., C]`; `[C]` → `[1, C]`. */
function classesLast(x: Tensor): Tensor {
  if (x.ndim === 1) return x.reshape([1, -1]);
  if (x.ndim === 2) return x;
  const perm = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), 1];
  return x.permute(perm).reshape([-1, x.shape[1]]);
}

function checkClassTarget(op: string, input: Tensor, target: Tensor): void {
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!shapesEqual(target.shape, expected)) {
    throw new Error(
      `${op}: target ${fmtShape(target.shape)} does not fit input ${fmtShape(input.shape)} (expected class indices of shape ${fmtShape(expected)})`,
    );
  }
  if (target.dtype !== 'int64' && target.dtype !== 'int32') {
    throw new Error(
      `${op}: class-index targets must be int64 or int32, got ${target.dtype} ${fmtShape(target.shape)} (use .long())`,
    );
  }
}

/**
 * Negative log-likelihood of log-probabilities `input` (`[N, C]`, `[N, C, d...]` or `[C]`)
 * at int64 or int32 class indices `target`. 'mean' divides by the summed weights of the counted targets.
 * `(input, target, weight, sizeAverage, ignoreIndex, reduce, reduction)` as PyTorch's.
 */
export function nllLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<
    [
      weight: Tensor | null,
      sizeAverage: undefined,
      ignoreIndex: number,
      reduce: undefined,
      reduction: Reduction,
    ],
    NLLOptions
  >
): Tensor {
  const opts = NLL_LOSS.parse<NLLOptions>([input, target, ...rest]);
  lossOperands('nllLoss', input, target);
  checkClassTarget('nllLoss', input, target);
  const ignore = opts.ignoreIndex ?? -100;
  const C = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const t = target.reshape([-1]);
  const keepMask = t.ne(ignore);
  const safe = where(keepMask, t, 0);
  checkOnDevice(
    () => safe.ge(0).logicalAnd(safe.lt(C)),
    () => `nllLoss: target values must be in [0, ${C}) or equal ignoreIndex ${ignore}`,
  );
  const picked = classesLast(input).gather(1, safe.unsqueeze(1)).reshape([-1]);
  let w = keepMask.to(input.dtype);
  if (opts.weight) w = w.mul(opts.weight.indexSelect(0, safe));
  const loss = picked.mul(w).neg();
  switch (opts.reduction ?? 'mean') {
    case 'none':
      return loss.reshape(target.shape);
    case 'sum':
      return loss.sum();
    case 'mean':
      return loss.sum().div(w.sum());
    default:
      throw new Error(`nllLoss: reduction must be 'mean', 'sum' or 'none', got '${opts.reduction}'`);
  }
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NLLOptions {
  /** Mixes the target with the uniform distribution: (1-ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of raw scores `input` (`[N, C]`, `[N, C, d...]` or `[C]`) against int64 or
 * int32 class indices or class probabilities (a float target of the input's shape). Computed
 * through logSoftmax, so it is stable for large scores. PyTorch's order:
 * `(input, target, weight, sizeAverage, ignoreIndex, reduce, reduction, labelSmoothing)`.
 *
 * ```ts
 * F.crossEntropy(logits, labels, classWeights); // ≡ F.crossEntropy(logits, labels, { weight: classWeights })
 * ```
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<
    [
      weight: Tensor | null,
      sizeAverage: undefined,
      ignoreIndex: number,
      reduce: undefined,
      reduction: Reduction,
      labelSmoothing: number,
    ],
    CrossEntropyOptions
  >
): Tensor {
  const opts = CROSS_ENTROPY.parse<CrossEntropyOptions>([input, target, ...rest]);
  lossOperands('crossEntropy', input, target);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  const reduction = opts.reduction ?? 'mean';
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim];
  const logp = input.logSoftmax(classDim);
  const wShape = input.shape.map((s, i) => (i === classDim ? s : 1));
  const w = opts.weight ? opts.weight.reshape(wShape) : null;

  if (target.dtype !== 'int64' && target.dtype !== 'int32') {
    // Probability targets. A float target shaped like class indices is a dtype mistake.
    if (!isFloat(target.dtype) || !shapesEqual(input.shape, target.shape)) {
      const idxShape = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
      throw new Error(
        `crossEntropy: target ${target.dtype} ${fmtShape(target.shape)} does not fit input ${fmtShape(input.shape)}: ` +
          `expected int64 (or int32) class indices of shape ${fmtShape(idxShape)} (use .long() on labels) or float class probabilities of shape ${fmtShape(input.shape)}`,
      );
    }
    let y = floatTarget(input, target);
    if (eps > 0) y = y.mul(1 - eps).add(eps / C);
    let prod = logp.mul(y);
    if (w) prod = prod.mul(w);
    const loss = prod.sum(classDim).neg();
    if (reduction === 'none') return loss;
    if (reduction === 'sum') return loss.sum();
    return loss.sum().div(input.numel() / C);
  }

  const nll = nllLoss(logp, target, { weight: opts.weight, ignoreIndex: opts.ignoreIndex, reduction });
  if (eps === 0) return nll;
  const ignore = opts.ignoreIndex ?? -100;
  const keepMask = target.ne(ignore);
  let smooth = (w ? logp.mul(w) : logp).sum(classDim).neg();
  smooth = where(keepMask, smooth, 0);
  let smoothRed: Tensor;
  if (reduction === 'none') smoothRed = smooth;
  else if (reduction === 'sum') smoothRed = smooth.sum();
  else if (opts.weight) {
    const safe = where(keepMask, target, 0).reshape([-1]);
    const wSum = opts.weight
      .indexSelect(0, safe)
      .mul(keepMask.reshape([-1]).to(input.dtype))
      .sum();
    smoothRed = smooth.sum().div(wSum);
  } else smoothRed = smooth.sum().div(keepMask.to(input.dtype).sum());
  return nll.mul(1 - eps).add(smoothRed.mul(eps / C));
}

/** Options of {@link klDiv}. */
export interface KLDivOptions {
  /** 'batchmean' divides the sum by the batch size (the mathematically correct KL); 'mean' by the element count. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence with `input` as log-probabilities: target·(log target - input),
 * 0 where target is 0. `(input, target, sizeAverage, reduce, reduction, logTarget)` as PyTorch's.
 */
export function klDiv(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[...Deprecated, reduction: Reduction | 'batchmean', logTarget: boolean], KLDivOptions>
): Tensor {
  const opts = KL_DIV.parse<KLDivOptions>([input, target, ...rest]);
  sameShape('klDiv', input, target);
  const y = floatTarget(input, target);
  let loss: Tensor;
  if (opts.logTarget) {
    loss = y.exp().mul(y.sub(input));
  } else {
    const pos = y.gt(0);
    const logY = where(pos, y, 1).log();
    loss = where(pos, y.mul(logY.sub(input)), 0);
  }
  const reduction = opts.reduction ?? 'mean';
  if (reduction === 'batchmean') return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]);
  return reduce('klDiv', loss, reduction);
}
