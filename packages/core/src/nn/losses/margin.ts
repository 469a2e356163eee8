// The margin and embedding loss modules of PyTorch 1.13 (constructor signatures from
// inspect.signature); each forwards to its nn.functional twin in functional/losses-margin.ts.
import { bool, int, num, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LossOptions, Reduction } from '../functional/losses.js';
import * as F from '../functional/losses-margin.js';
import { Module } from '../module.js';
import { Loss, REDUCE, REDUCTION, SIZE_AVERAGE, WEIGHT } from './loss.js';
import { checkReduction } from './reduction.js';

const TAIL = [SIZE_AVERAGE, REDUCE, REDUCTION];
const COSINE_EMBEDDING_LOSS = signature('CosineEmbeddingLoss', [opt('margin', num), ...TAIL]);
const MARGIN_RANKING_LOSS = signature('MarginRankingLoss', [opt('margin', num), ...TAIL]);
const TRIPLET_MARGIN_LOSS = signature('TripletMarginLoss', [
  opt('margin', num),
  opt('p', num),
  opt('eps', num),
  opt('swap', bool),
  ...TAIL,
]);
const HINGE_EMBEDDING_LOSS = signature('HingeEmbeddingLoss', [opt('margin', num), ...TAIL]);
const SOFT_MARGIN_LOSS = signature('SoftMarginLoss', TAIL);
const MULTI_LABEL_SOFT_MARGIN_LOSS = signature('MultiLabelSoftMarginLoss', [WEIGHT, ...TAIL]);
const MULTI_LABEL_MARGIN_LOSS = signature('MultiLabelMarginLoss', TAIL);
const MULTI_MARGIN_LOSS = signature('MultiMarginLoss', [opt('p', int), opt('margin', num), WEIGHT, ...TAIL]);

type Deprecated = [sizeAverage: undefined, reduce: undefined];

/**
 * `torch.nn.CosineEmbeddingLoss`: loss of pairs `(input1, input2)` labelled 1 (similar) or −1
 * (dissimilar). `(margin, sizeAverage, reduce, reduction)` as PyTorch's;
 * `forward(input1, input2, target)` with inputs `(N, D)` and target `(N)` (or `(D)` and `()`).
 */
export class CosineEmbeddingLoss extends Module {
  /** Cosine similarity above which dissimilar pairs are penalised (in [−1, 1]). */
  readonly margin: number;
  /** `'mean'` averages the per-element losses, `'sum'` adds them, `'none'` returns them all. */
  readonly reduction: Reduction;

  constructor(...args: PosOrOpts<[margin: number, ...Deprecated, reduction: Reduction], F.MarginOptions>) {
    super();
    const o = COSINE_EMBEDDING_LOSS.parse<F.MarginOptions>(args);
    this.margin = o.margin ?? 0;
    this.reduction = checkReduction('CosineEmbeddingLoss', o.reduction);
  }

  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/**
 * `torch.nn.MarginRankingLoss`: max(0, -y·(x1 - x2) + margin).
 * `(margin, sizeAverage, reduce, reduction)` as PyTorch's; `forward(input1, input2, target)`, all
 * three `(N)` (or `()`), y ∈ {1, −1}.
 */
export class MarginRankingLoss extends Module {
  /** How far x1 must exceed x2 (for y = 1) before the loss is 0. */
  readonly margin: number;
  /** `'mean'` averages the per-element losses, `'sum'` adds them, `'none'` returns them all. */
  readonly reduction: Reduction;

  constructor(...args: PosOrOpts<[margin: number, ...Deprecated, reduction: Reduction], F.MarginOptions>) {
    super();
    const o = MARGIN_RANKING_LOSS.parse<F.MarginOptions>(args);
    this.margin = o.margin ?? 0;
    this.reduction = checkReduction('MarginRankingLoss', o.reduction);
  }

  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/**
 * `torch.nn.TripletMarginLoss`: max(0, margin + d(a, p) - d(a, n)), d the p-norm distance.
 * Anchor, positive and negative `(N, D)` (or `(D)`); output a scalar, or `(N)` with `'none'`.
 * `(margin, p, eps, swap, sizeAverage, reduce, reduction)` as PyTorch's;
 * `forward(anchor, positive, negative)`.
 *
 * ```ts
 * const loss = new nn.TripletMarginLoss({ margin: 0.5 }).forward(a, p, n);
 * ```
 */
export class TripletMarginLoss extends Module {
  /** How much closer the positive must be than the negative. */
  readonly margin: number;
  /** The norm of the pairwise distance. */
  readonly p: number;
  /** Added to the differences before the norm. */
  readonly eps: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance. */
  readonly swap: boolean;
  /** `'mean'` averages the per-element losses, `'sum'` adds them, `'none'` returns them all. */
  readonly reduction: Reduction;

  constructor(
    ...args: PosOrOpts<
      [margin: number, p: number, eps: number, swap: boolean, ...Deprecated, reduction: Reduction],
      F.TripletMarginOptions
    >
  ) {
    super();
    const o = TRIPLET_MARGIN_LOSS.parse<F.TripletMarginOptions>(args);
    this.margin = o.margin ?? 1;
    this.p = o.p ?? 2;
    this.eps = o.eps ?? 1e-6;
    this.swap = o.swap ?? false;
    this.reduction = checkReduction('TripletMarginLoss', o.reduction);
  }

  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginLoss(anchor, positive, negative, {
      margin: this.margin,
      p: this.p,
      eps: this.eps,
      swap: this.swap,
      reduction: this.reduction,
    });
  }
}

/**
 * `torch.nn.HingeEmbeddingLoss`: x where y = 1, max(0, margin - x) where y = -1.
 * `(margin, sizeAverage, reduce, reduction)` as PyTorch's. Input and target `(∗)` of one shape.
 */
export class HingeEmbeddingLoss extends Loss {
  /** Distance below which dissimilar (y = −1) inputs are penalised. */
  readonly margin: number;

  constructor(...args: PosOrOpts<[margin: number, ...Deprecated, reduction: Reduction], F.MarginOptions>) {
    const o = HINGE_EMBEDDING_LOSS.parse<F.MarginOptions>(args);
    super(o.reduction);
    this.margin = o.margin ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/**
 * `torch.nn.SoftMarginLoss`: two-class logistic loss log(1 + exp(-y·x)), y ∈ {1, −1}.
 * `(sizeAverage, reduce, reduction)` as PyTorch's. Input and target `(∗)` of one shape.
 */
export class SoftMarginLoss extends Loss {
  constructor(...args: PosOrOpts<[...Deprecated, reduction: Reduction], LossOptions>) {
    super(SOFT_MARGIN_LOSS.parse<LossOptions>(args).reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * `torch.nn.MultiLabelSoftMarginLoss`: one-versus-all logistic loss over independent labels,
 * input `(N, C)` and targets 0/1 of its shape; output a scalar, or `(N)` with `'none'`.
 * `(weight, sizeAverage, reduce, reduction)` as PyTorch's; `weight` is a buffer (state-dict key
 * `weight`), as PyTorch's.
 */
export class MultiLabelSoftMarginLoss extends Loss {
  /** Buffer: per-class weights, broadcast to the input, or null. */
  declare readonly weight: Tensor | null;

  constructor(
    ...args: PosOrOpts<
      [weight: Tensor | null, ...Deprecated, reduction: Reduction],
      F.MultilabelSoftMarginOptions
    >
  ) {
    const o = MULTI_LABEL_SOFT_MARGIN_LOSS.parse<F.MultilabelSoftMarginOptions>(args);
    super(o.reduction);
    this.registerBuffer('weight', o.weight ?? null);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * `torch.nn.MultiLabelMarginLoss`: multi-label hinge loss; input `(N, C)` (or `(C)`), target
 * int indices of its shape, each row listing the sample's classes, ended by −1.
 * `(sizeAverage, reduce, reduction)` as PyTorch's.
 */
export class MultiLabelMarginLoss extends Loss {
  constructor(...args: PosOrOpts<[...Deprecated, reduction: Reduction], LossOptions>) {
    super(MULTI_LABEL_MARGIN_LOSS.parse<LossOptions>(args).reduction);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * `torch.nn.MultiMarginLoss`: multi-class hinge loss of scores `(N, C)` (or `(C)`) at int64/int32
 * class indices `(N)` (or `()`). `(p, margin, weight, sizeAverage, reduce, reduction)` as
 * PyTorch's; `weight` is a buffer, as PyTorch's. The constructor throws unless p is 1 or 2 and
 * weight is 1-D.
 */
export class MultiMarginLoss extends Loss {
  /** 1 (hinge) or 2 (squared hinge). */
  readonly p: number;
  /** The margin each wrong class's score must stay below the right one's. */
  readonly margin: number;
  /** Buffer: per-class weights `[C]`, applied at each sample's target class, or null. */
  declare readonly weight: Tensor | null;

  constructor(
    ...args: PosOrOpts<
      [p: number, margin: number, weight: Tensor | null, ...Deprecated, reduction: Reduction],
      F.MultiMarginOptions
    >
  ) {
    const o = MULTI_MARGIN_LOSS.parse<F.MultiMarginOptions>(args);
    super(o.reduction);
    this.p = o.p ?? 1;
    if (this.p !== 1 && this.p !== 2)
      throw new Error(`MultiMarginLoss: only p == 1 and p == 2 supported, got ${this.p}`);
    this.margin = o.margin ?? 1;
    const w = o.weight ?? null;
    if (w !== null && w.ndim !== 1) {
      throw new Error(`MultiMarginLoss: weight must be 1-D [C], got ${w.ndim}-D`);
    }
    this.registerBuffer('weight', w);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multiMarginLoss(input, target, {
      p: this.p,
      margin: this.margin,
      weight: this.weight,
      reduction: this.reduction,
    });
  }
}
