// The margin and embedding losses of torch.nn.functional (PyTorch 1.13): each one the ATen
// formula written with differentiable tensor ops, so gradients (and double backward) come from
// autograd on every backend.
import { where } from '../../ops/binary.js';
import { checkSameDevice, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  int,
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  tensor as tensorCheck,
} from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { softplusStable } from './activations.js';
import { readInts } from './host-ints.js';
import {
  type Deprecated,
  floatTarget,
  type LossOptions,
  lossOperands,
  REDUCE,
  REDUCTION,
  type Reduction,
  reduce,
  SIZE_AVERAGE,
  WEIGHT,
} from './losses.js';

// ---- PyTorch's signatures (inspect.signature of torch.nn.functional.*) ---------------------

const I = (name: string) => req(name, any);
const TAIL = [SIZE_AVERAGE, REDUCE, REDUCTION];
const COSINE_EMBEDDING = signature('F.cosineEmbeddingLoss', [
  I('input1'),
  I('input2'),
  I('target'),
  opt('margin', num),
  ...TAIL,
]);
const MARGIN_RANKING = signature('F.marginRankingLoss', [
  I('input1'),
  I('input2'),
  I('target'),
  opt('margin', num),
  ...TAIL,
]);
const TRIPLET_MARGIN = signature('F.tripletMarginLoss', [
  I('anchor'),
  I('positive'),
  I('negative'),
  opt('margin', num),
  opt('p', num),
  opt('eps', num),
  opt('swap', bool),
  ...TAIL,
]);
const HINGE_EMBEDDING = signature('F.hingeEmbeddingLoss', [
  I('input'),
  I('target'),
  opt('margin', num),
  ...TAIL,
]);
const SOFT_MARGIN = signature('F.softMarginLoss', [I('input'), I('target'), ...TAIL]);
const MULTI_MARGIN = signature('F.multiMarginLoss', [
  I('input'),
  I('target'),
  opt('p', int),
  opt('margin', num),
  WEIGHT,
  ...TAIL,
]);
const MULTILABEL_MARGIN = signature('F.multilabelMarginLoss', [I('input'), I('target'), ...TAIL]);
const MULTILABEL_SOFT_MARGIN = signature('F.multilabelSoftMarginLoss', [
  I('input'),
  I('target'),
  opt('weight', optional(tensorCheck)),
  ...TAIL,
]);

/** Options of the losses with a `margin` (cosineEmbedding, marginRanking, hingeEmbedding). */
export interface MarginOptions extends LossOptions {
  /**
   * The margin (default 0 for cosineEmbeddingLoss and marginRankingLoss, 1 for
   * hingeEmbeddingLoss, tripletMarginLoss and multiMarginLoss).
   */
  margin?: number;
}

/** Options of {@link tripletMarginLoss}. */
export interface TripletMarginOptions extends MarginOptions {
  /** The norm of the pairwise distance (default 2). */
  p?: number;
  /** Added to the differences before the norm (default 1e-6). */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (default false). */
  swap?: boolean;
}

/** Options of {@link multiMarginLoss}. */
export interface MultiMarginOptions extends MarginOptions {
  /** 1 (hinge) or 2 (squared hinge); default 1. */
  p?: number;
  /** Per-class weights `[C]`, applied at each sample's target class. */
  weight?: Tensor | null;
}

/** Options of {@link multilabelSoftMarginLoss}. */
export interface MultilabelSoftMarginOptions extends LossOptions {
  /** Per-class weights, broadcast to the input. */
  weight?: Tensor | null;
}

/** Checks three operands are tensors on one device. */
function threeOperands(op: string, names: [string, string, string], a: Tensor, b: Tensor, c: Tensor): void {
  checkTensor(op, a, names[0]);
  checkTensor(op, b, names[1]);
  checkTensor(op, c, names[2]);
  checkSameDevice(op, a, b);
  checkSameDevice(op, a, c);
}

/**
 * Cosine embedding loss: 1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin)
 * where it is -1 (0 elsewhere). Inputs `[N, D]` with target `[N]`, or `[D]` with a 0-d target;
 * cos uses PyTorch's 1e-12 added to each squared norm.
 * `(input1, input2, target, margin, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[margin: number, ...Deprecated, reduction: Reduction], MarginOptions>
): Tensor {
  const op = 'cosineEmbeddingLoss';
  const o = COSINE_EMBEDDING.parse<MarginOptions>([input1, input2, target, ...rest]);
  threeOperands(op, ['input1', 'input2', 'target'], input1, input2, target);
  const tDim = target.ndim;
  if (tDim > 1)
    throw new Error(
      `${op}: 0D or 1D target tensor expected, multi-target not supported (target ${fmtShape(target.shape)})`,
    );
  const want = tDim === 1 ? 2 : 1;
  if (input1.ndim !== want || !shapesEqual(input1.shape, input2.shape)) {
    throw new Error(
      `${op}: ${tDim}D target tensor expects ${want}D input tensors of one shape, but found inputs with sizes ${fmtShape(input1.shape)} and ${fmtShape(input2.shape)}`,
    );
  }
  if (tDim === 1 && target.shape[0] !== input1.shape[0]) {
    throw new Error(
      `${op}: target ${fmtShape(target.shape)} does not match the batch of inputs ${fmtShape(input1.shape)}`,
    );
  }
  const d = tDim; // the feature dim: 1 for [N, D], 0 for [D]
  const EPSILON = 1e-12;
  const prodSum = input1.mul(input2).sum(d);
  const mag1 = input1.mul(input1).sum(d).add(EPSILON);
  const mag2 = input2.mul(input2).sum(d).add(EPSILON);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const pos = cos.neg().add(1);
  const neg = cos.sub(o.margin ?? 0).clamp(0);
  const loss = where(target.eq(1), pos, 0).add(where(target.eq(-1), neg, 0));
  return reduce(op, loss, o.reduction);
}

/**
 * Margin ranking loss: max(0, -y·(x1 - x2) + margin), all three of one shape.
 * `(input1, input2, target, margin, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function marginRankingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[margin: number, ...Deprecated, reduction: Reduction], MarginOptions>
): Tensor {
  const op = 'marginRankingLoss';
  const o = MARGIN_RANKING.parse<MarginOptions>([input1, input2, target, ...rest]);
  threeOperands(op, ['input1', 'input2', 'target'], input1, input2, target);
  if (!shapesEqual(input1.shape, input2.shape) || !shapesEqual(input1.shape, target.shape)) {
    throw new Error(
      `${op}: all input tensors should have same size but got sizes: input1: ${fmtShape(input1.shape)}, input2: ${fmtShape(input2.shape)}, target: ${fmtShape(target.shape)}`,
    );
  }
  // relu, not clamp: PyTorch's backward passes no gradient at exactly zero (z > 0).
  const loss = target
    .neg()
    .mul(input1.sub(input2))
    .add(o.margin ?? 0)
    .relu();
  return reduce(op, loss, o.reduction);
}

/** The p-norm over the last dim (PyTorch's at::norm(x, p, -1)), p > 0 or Infinity. */
function pNormLastDim(x: Tensor, p: number): Tensor {
  const d = x.ndim - 1;
  if (p === 2) return x.mul(x).sum(d).sqrt();
  if (p === 1) return x.abs().sum(d);
  if (p === Number.POSITIVE_INFINITY) return x.abs().amax(d);
  return x
    .abs()
    .pow(p)
    .sum(d)
    .pow(1 / p);
}

/**
 * Triplet margin loss: max(0, margin + d(a, p) - d(a, n)) with d(x, y) = ‖x - y + eps‖_p over
 * the last dim (PyTorch's pairwise_distance); `swap` uses min(d(a, n), d(p, n)).
 * `(anchor, positive, negative, margin, p, eps, swap, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  ...rest: PosOrOpts<
    [margin: number, p: number, eps: number, swap: boolean, ...Deprecated, reduction: Reduction],
    TripletMarginOptions
  >
): Tensor {
  const op = 'tripletMarginLoss';
  const o = TRIPLET_MARGIN.parse<TripletMarginOptions>([anchor, positive, negative, ...rest]);
  threeOperands(op, ['anchor', 'positive', 'negative'], anchor, positive, negative);
  if (anchor.ndim !== positive.ndim || positive.ndim !== negative.ndim) {
    throw new Error(
      `${op}: All inputs should have same dimension but got ${anchor.ndim}D, ${positive.ndim}D and ${negative.ndim}D inputs.`,
    );
  }
  if (anchor.ndim === 0)
    throw new Error(`${op}: inputs must have at least 1 dim (the features), got 0-d tensors`);
  const p = o.p ?? 2;
  if (!(p > 0)) throw new Error(`${op}: p must be positive (or Infinity), got ${p}`);
  const eps = o.eps ?? 1e-6;
  const dist = (x: Tensor, y: Tensor) => pNormLastDim(x.sub(y).add(eps), p);
  const dPos = dist(anchor, positive);
  let dNeg = dist(anchor, negative);
  if (o.swap) dNeg = dNeg.minimum(dist(positive, negative));
  const loss = dPos
    .sub(dNeg)
    .add(o.margin ?? 1)
    .clamp(0);
  return reduce(op, loss, o.reduction);
}

/**
 * Hinge embedding loss: x where target is 1, max(0, margin - x) where it is -1 (ATen's
 * formula: both terms for any other target value). Target broadcasts to the input as PyTorch's.
 * `(input, target, margin, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function hingeEmbeddingLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[margin: number, ...Deprecated, reduction: Reduction], MarginOptions>
): Tensor {
  const op = 'hingeEmbeddingLoss';
  const o = HINGE_EMBEDDING.parse<MarginOptions>([input, target, ...rest]);
  lossOperands(op, input, target);
  const marginClamp = input
    .neg()
    .add(o.margin ?? 1)
    .clamp(0);
  const loss = where(target.ne(1), marginClamp, 0).add(where(target.ne(-1), input, 0));
  return reduce(op, loss, o.reduction);
}

/**
 * Soft margin loss: log(1 + exp(-y·x)), computed as PyTorch's (log1p of exp, so it overflows
 * to inf where PyTorch's does). `(input, target, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function softMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[...Deprecated, reduction: Reduction], LossOptions>
): Tensor {
  const op = 'softMarginLoss';
  const o = SOFT_MARGIN.parse<LossOptions>([input, target, ...rest]);
  lossOperands(op, input, target);
  const loss = input.neg().mul(floatTarget(input, target)).exp().log1p();
  if (!shapesEqual(loss.shape, input.shape)) {
    throw new Error(
      `${op}: target ${fmtShape(target.shape)} must broadcast to input ${fmtShape(input.shape)}`,
    );
  }
  return reduce(op, loss, o.reduction);
}

/**
 * Multi-label soft margin loss: -mean over classes of y·logσ(x) + (1-y)·logσ(-x) (times
 * `weight`), one value per sample. `(input, target, weight, sizeAverage, reduce, reduction)`
 * as PyTorch's.
 */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<
    [weight: Tensor | null, ...Deprecated, reduction: Reduction],
    MultilabelSoftMarginOptions
  >
): Tensor {
  const op = 'multilabelSoftMarginLoss';
  const o = MULTILABEL_SOFT_MARGIN.parse<MultilabelSoftMarginOptions>([input, target, ...rest]);
  lossOperands(op, input, target);
  if (input.ndim === 0) throw new Error(`${op}: input must have a class dim, got a 0-d tensor`);
  const y = floatTarget(input, target);
  // logσ(x) = -softplus(-x), stable for any x (PyTorch's logsigmoid).
  const logSig = softplusStable(input.neg()).neg();
  const logSigNeg = softplusStable(input).neg();
  let loss = y.mul(logSig).add(y.neg().add(1).mul(logSigNeg)).neg();
  if (o.weight) loss = loss.mul(o.weight);
  const classDim = input.ndim - 1;
  loss = loss.sum(classDim).div(input.shape[classDim]);
  return reduce(op, loss, o.reduction);
}

/** `[C]` or `[N, C]` input (PyTorch's multi-margin shape check); returns [N, C]. */
function classScores(op: string, input: Tensor): [number, number] {
  if (!((input.ndim === 2 && input.shape[1] !== 0) || (input.ndim === 1 && input.shape[0] !== 0))) {
    throw new Error(
      `${op}: Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${fmtShape(input.shape)}`,
    );
  }
  return input.ndim === 2 ? [input.shape[0], input.shape[1]] : [1, input.shape[0]];
}

/**
 * Multi-class hinge loss: for each sample, sum over classes i ≠ y of
 * max(0, margin - x[y] + x[i])^p (times weight[y]), divided by the class count.
 * Input `[N, C]` (or `[C]`), target int64/int32 `[N]` (or 0-d).
 * `(input, target, p, margin, weight, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function multiMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<
    [p: number, margin: number, weight: Tensor | null, ...Deprecated, reduction: Reduction],
    MultiMarginOptions
  >
): Tensor {
  const op = 'multiMarginLoss';
  const o = MULTI_MARGIN.parse<MultiMarginOptions>([input, target, ...rest]);
  lossOperands(op, input, target);
  const p = o.p ?? 1;
  if (p !== 1 && p !== 2) throw new Error(`${op}: only p == 1 and p == 2 supported, got ${p}`);
  const [N, C] = classScores(op, input);
  if (target.ndim > 1 || target.numel() !== N) {
    throw new Error(`${op}: inconsistent target size, expected ${N} but got ${fmtShape(target.shape)}`);
  }
  const labels = readInts(op, target, 'target');
  for (const y of labels) {
    if (y < 0 || y >= C) throw new Error(`${op}: target out of range: ${y} is not in [0, ${C})`);
  }
  const w = o.weight ?? null;
  if (w !== null && (w.ndim > 1 || w.numel() !== C)) {
    throw new Error(`${op}: inconsistent weight size, expected ${C} but got ${fmtShape(w.shape)}`);
  }
  const x = input.reshape([N, C]);
  const idx = target.reshape([N, 1]);
  const xy = x.gather(1, idx);
  // The target class itself is left out of the sum; relu's zero gradient at 0 is PyTorch's (z > 0).
  const isTarget = idx.eq(
    fromArray(
      op,
      Int32Array.from({ length: C }, (_, i) => i),
      [1, C],
      'int32',
      { device: input.device },
    ),
  );
  let z = where(
    isTarget,
    0,
    x
      .sub(xy)
      .add(o.margin ?? 1)
      .relu(),
  );
  if (p === 2) z = z.mul(z);
  if (w !== null)
    z = z.mul(
      w
        .reshape([-1])
        .indexSelect(0, target.reshape([-1]))
        .reshape([N, 1]),
    );
  let loss = z.sum(1).div(C);
  loss = input.ndim === 2 ? loss : loss.reshape(target.shape);
  return reduce(op, loss, o.reduction);
}

/**
 * Multi-label hinge loss: for each sample, the target classes are `target`'s leading entries up
 * to the first -1; the loss sums max(0, 1 - (x[j] - x[i])) over target classes j and non-target
 * classes i, divided by the class count. Input `[N, C]` (or `[C]`), target int64/int32 of the
 * same shape. `(input, target, sizeAverage, reduce, reduction)` as PyTorch's.
 */
export function multilabelMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<[...Deprecated, reduction: Reduction], LossOptions>
): Tensor {
  const op = 'multilabelMarginLoss';
  const o = MULTILABEL_MARGIN.parse<LossOptions>([input, target, ...rest]);
  lossOperands(op, input, target);
  const [N, C] = classScores(op, input);
  if (!shapesEqual(target.shape, input.shape)) {
    throw new Error(
      `${op}: inconsistent target size: ${fmtShape(target.shape)} for input of size: ${fmtShape(input.shape)}`,
    );
  }
  const t = readInts(op, target, 'target');
  // Per sample: the target classes (before the first -1, duplicates kept as PyTorch's loop
  // counts them) padded to K, and the non-target mask.
  const lists: number[][] = [];
  const notTarget = new Uint8Array(N * C).fill(1);
  for (let n = 0; n < N; n++) {
    const list: number[] = [];
    for (let k = 0; k < C; k++) {
      const y = t[n * C + k];
      if (y < -1 || y >= C) throw new Error(`${op}: target out of range: ${y} is not in [-1, ${C})`);
      if (y < 0) break;
      list.push(y);
      notTarget[n * C + y] = 0;
    }
    lists.push(list);
  }
  const K = Math.max(1, ...lists.map((l) => l.length));
  const picks = new Int32Array(N * K);
  const valid = new Uint8Array(N * K);
  for (const [n, l] of lists.entries()) {
    for (const [k, y] of l.entries()) {
      picks[n * K + k] = y;
      valid[n * K + k] = 1;
    }
  }
  const dev = { device: input.device };
  const x = input.reshape([N, C]);
  const xT = x.gather(1, fromArray(op, picks, [N, K], 'int32', dev)); // [N, K]
  const mask = fromArray(op, valid, [N, K, 1], 'bool', dev).logicalAnd(
    fromArray(op, notTarget, [N, 1, C], 'bool', dev),
  );
  // z[n, k, i] = 1 - x[n, y_k] + x[n, i]; relu's zero gradient at 0 is PyTorch's (z > 0).
  const z = x.unsqueeze(1).sub(xT.unsqueeze(2)).add(1).relu();
  let loss = where(mask, z, 0).sum([1, 2]).div(C);
  if (input.ndim === 1) loss = loss.reshape([]);
  return reduce(op, loss, o.reduction);
}
