// Connectionist temporal classification loss (PyTorch 1.13's F.ctc_loss): the forward (alpha)
// recursion over the blank-extended targets, in log space, built from differentiable tensor ops
// so that autograd gives the gradient (and double backward) on every backend.
import { where } from '../../ops/binary.js';
import { cat } from '../../ops/join.js';
import { checkSameDevice, checkTensor } from '../../ops/util.js';
import { any, bool, int, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { fromArray, full } from '../../tensor/creation.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { readInts, readLengths } from './host-ints.js';
import type { Reduction } from './losses.js';

const CTC_LOSS = signature('F.ctcLoss', [
  req('logProbs', any),
  req('targets', any),
  req('inputLengths', any),
  req('targetLengths', any),
  opt('blank', int),
  opt('reduction', oneOf('mean', 'sum', 'none')),
  opt('zeroInfinity', bool),
]);

/** Lengths as PyTorch takes them: an int64/int32 tensor or a JS array (a number when unbatched). */
export type Lengths = Tensor | readonly number[] | number;

/** Options of {@link ctcLoss}. */
export interface CTCOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** 'mean' divides each loss by its target length (at least 1), then averages (default). */
  reduction?: Reduction;
  /** Infinite losses (no alignment possible) and their gradients become zero (default false). */
  zeroInfinity?: boolean;
}

const NEG_INF = Number.NEGATIVE_INFINITY;

/**
 * log(Σ exp(xᵢ)) of same-shaped tensors, elementwise. Where every xᵢ is -inf the result is -inf
 * with a zero gradient (logsumexp's would be NaN: 0/0), so unreachable states stay harmless.
 */
function logAddExp(xs: Tensor[]): Tensor {
  let m = xs[0].detach();
  for (const x of xs.slice(1)) m = m.maximum(x.detach());
  const shift = where(m.eq(NEG_INF), 0, m);
  let s = xs[0].sub(shift).exp();
  for (const x of xs.slice(1)) s = s.add(x.sub(shift).exp());
  const some = s.gt(0);
  return where(some, where(some, s, 1).log().add(shift), NEG_INF);
}

/** `x` shifted right by `k` along dim 1, -inf filling the first `k` columns. */
function shiftRight(x: Tensor, k: number, ninf: Tensor): Tensor {
  const L = x.shape[1];
  const fill = ninf.expand([x.shape[0], Math.min(k, L)]);
  return k >= L ? fill : cat([fill, x.narrow(1, 0, L - k)], 1);
}

/**
 * The CTC loss of log-probabilities `logProbs` `[T, N, C]` (or unbatched `[T, C]`, as from
 * `logSoftmax(2)`) against `targets`, padded `[N, S]` or concatenated 1-D
 * `[Σ targetLengths]` (unbatched `[S]`), with `inputLengths` and `targetLengths` per sample
 * (int tensors or arrays). Returns per-sample negative log-likelihoods with 'none', their sum,
 * or (default 'mean') their mean after dividing each by its target length (at least 1).
 *
 * As PyTorch's CPU kernel, the gradient with respect to `logProbs` assumes it came from
 * logSoftmax: it is the true gradient minus exp(logProbs)·Σ_c(gradient) per time step, which
 * gives the same gradient as PyTorch's once it flows through a logSoftmax (and equals
 * PyTorch's even on a leaf). An impossible alignment gives an infinite loss whose gradient is
 * NaN, as PyTorch's; `zeroInfinity` makes both zero.
 * `(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity)` as PyTorch's.
 *
 * ```ts
 * const lp = logits.logSoftmax(2); // [T, N, C]
 * const loss = F.ctcLoss(lp, targets, [50, 48], [20, 17]);
 * ```
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Lengths,
  targetLengths: Lengths,
  ...rest: PosOrOpts<[blank: number, reduction: Reduction, zeroInfinity: boolean], CTCOptions>
): Tensor {
  const op = 'ctcLoss';
  const o = CTC_LOSS.parse<CTCOptions & { inputLengths: Lengths; targetLengths: Lengths }>([
    logProbs,
    targets,
    inputLengths,
    targetLengths,
    ...rest,
  ]);
  checkTensor(op, logProbs, 'logProbs');
  checkTensor(op, targets, 'targets');
  checkSameDevice(op, logProbs, targets);
  if (!isFloat(logProbs.dtype)) {
    throw new Error(
      `${op}: logProbs must be floating point, got ${logProbs.dtype} ${fmtShape(logProbs.shape)}`,
    );
  }
  if (logProbs.ndim !== 3 && logProbs.ndim !== 2) {
    throw new Error(`${op}: logProbs must be [T, N, C] or unbatched [T, C], got ${fmtShape(logProbs.shape)}`);
  }
  const unbatched = logProbs.ndim === 2;
  const lp = unbatched ? logProbs.unsqueeze(1) : logProbs;
  const [T, N, C] = lp.shape;
  const blank = o.blank ?? 0;
  if (!(blank >= 0 && blank < C))
    throw new Error(`${op}: blank must be in label range [0, ${C}), got ${blank}`);
  const inLens = readLengths(op, o.inputLengths, 'inputLengths');
  const tgLens = readLengths(op, o.targetLengths, 'targetLengths');
  if (inLens.length !== N)
    throw new Error(`${op}: inputLengths must be of size batch_size ${N}, got ${inLens.length} values`);
  if (tgLens.length !== N)
    throw new Error(`${op}: targetLengths must be of size batch_size ${N}, got ${tgLens.length} values`);
  for (let n = 0; n < N; n++) {
    if (inLens[n] < 0 || inLens[n] > T) {
      throw new Error(
        `${op}: Expected inputLengths to have values in [0, ${T}] (T of logProbs ${fmtShape(logProbs.shape)}), but got value ${inLens[n]}`,
      );
    }
    if (tgLens[n] < 0) throw new Error(`${op}: targetLengths must be non-negative, got ${tgLens[n]}`);
    if (inLens[n] === 0 && tgLens[n] > 0) {
      throw new Error(
        `${op}: sample ${n} has inputLength 0 but targetLength ${tgLens[n]} (PyTorch's result is undefined there)`,
      );
    }
  }

  // The labels of each sample, from padded [N, S] or concatenated 1-D targets.
  const t = readInts(op, targets, 'targets');
  const concatenated = unbatched || targets.ndim === 1;
  const labels: number[][] = [];
  if (concatenated) {
    const total = tgLens.reduce((a, b) => a + b, 0);
    if ((unbatched && targets.ndim !== 1) || t.length < total) {
      throw new Error(
        `${op}: concatenated targets must be 1-D with at least sum(targetLengths) = ${total} entries, got ${fmtShape(targets.shape)}`,
      );
    }
    let at = 0;
    for (const len of tgLens) {
      labels.push(t.slice(at, at + len));
      at += len;
    }
  } else {
    const maxLen = Math.max(0, ...tgLens);
    if (targets.ndim !== 2 || targets.shape[0] !== N || targets.shape[1] < maxLen) {
      throw new Error(
        `${op}: padded targets must be [N = ${N}, S >= ${maxLen}] (the longest target), got ${fmtShape(targets.shape)}`,
      );
    }
    const S = targets.shape[1];
    for (let n = 0; n < N; n++) labels.push(t.slice(n * S, n * S + tgLens[n]));
  }
  for (const l of labels) {
    for (const y of l)
      if (y < 0 || y >= C) throw new Error(`${op}: target label ${y} is out of range [0, ${C})`);
  }

  // The blank-extended targets l' (blank, l1, blank, l2, …, blank), padded with blanks to Lp.
  const Smax = Math.max(0, ...tgLens);
  const Lp = 2 * Smax + 1;
  const ext = new Int32Array(N * Lp).fill(blank);
  const skip = new Uint8Array(N * Lp);
  const init = new Uint8Array(N * Lp);
  const endA = new Int32Array(N);
  const endB = new Int32Array(N);
  const hasB = new Uint8Array(N);
  for (let n = 0; n < N; n++) {
    labels[n].forEach((y, s) => {
      ext[n * Lp + 2 * s + 1] = y;
    });
    // PyTorch's rule: state s may also come from s - 2 when l'(s) differs from l'(s - 2).
    for (let s = 2; s < Lp; s++) skip[n * Lp + s] = ext[n * Lp + s] !== ext[n * Lp + s - 2] ? 1 : 0;
    init[n * Lp] = 1;
    if (tgLens[n] > 0) init[n * Lp + 1] = 1;
    endA[n] = 2 * tgLens[n];
    endB[n] = Math.max(0, 2 * tgLens[n] - 1);
    hasB[n] = tgLens[n] > 0 ? 1 : 0;
  }
  const dev = { device: lp.device };
  const dtype = lp.dtype;
  const ninf = full([1, 1], NEG_INF, { dtype, device: lp.device });

  // PyTorch's gradient convention (see the TSDoc): forward value lp exactly (S - S is 0), and
  // backward g - exp(lp)·Σ_c g, the logSoftmax backward.
  const sumExp = lp.exp().sum(2, true);
  const lpq = lp.sub(sumExp.sub(sumExp.detach()));
  const extIdx = fromArray(op, ext, [1, N, Lp], 'int32', dev).expand([T, N, Lp]);
  const emissions = lpq.gather(2, extIdx).split(1, 0);
  const em = (i: number) => emissions[i].reshape([N, Lp]);

  const maxIn = Math.max(0, ...inLens);
  const skipMask = fromArray(op, skip, [N, Lp], 'bool', dev);
  let alpha = where(fromArray(op, init, [N, Lp], 'bool', dev), em(0), NEG_INF);
  for (let ti = 1; ti < maxIn; ti++) {
    const next = logAddExp([
      alpha,
      shiftRight(alpha, 1, ninf),
      where(skipMask, shiftRight(alpha, 2, ninf), NEG_INF),
    ]).add(em(ti));
    // Samples whose input has ended keep their alpha.
    const active = inLens.map((len) => (ti < len ? 1 : 0));
    alpha = active.every((a) => a === 1)
      ? next
      : where(fromArray(op, Uint8Array.from(active), [N, 1], 'bool', dev), next, alpha);
  }
  const lastA = alpha.gather(1, fromArray(op, endA, [N, 1], 'int32', dev));
  const lastB = where(
    fromArray(op, hasB, [N, 1], 'bool', dev),
    alpha.gather(1, fromArray(op, endB, [N, 1], 'int32', dev)),
    NEG_INF,
  );
  let loss = logAddExp([lastA, lastB]).reshape([N]).neg();
  // An empty input with an empty target: probability 1.
  const emptyIn = inLens.map((len) => (len === 0 ? 1 : 0));
  if (emptyIn.some((e) => e === 1))
    loss = where(fromArray(op, Uint8Array.from(emptyIn), [N], 'bool', dev), 0, loss);

  const inf = loss.detach().eq(Number.POSITIVE_INFINITY);
  if (o.zeroInfinity) {
    loss = where(inf, 0, loss);
  } else if (inf.sum().item() > 0) {
    // PyTorch's gradient of an infinite loss is NaN over that sample's valid time steps:
    // sqrt(0·(x - x)) is exactly 0 forward with a NaN gradient (∞·0). The mask keeps it to
    // those samples and steps (-inf entries too: -inf - -inf would make the forward NaN).
    const validT = fromArray(
      op,
      Uint8Array.from({ length: T * N }, (_, i) => (Math.floor(i / N) < inLens[i % N] ? 1 : 0)),
      [T, N, 1],
      'bool',
      dev,
    )
      .logicalAnd(inf.reshape([1, N, 1]))
      .logicalAnd(lp.detach().gt(NEG_INF));
    const u = where(validT, lp, 0);
    loss = loss.add(u.sub(u.detach()).mul(0).sqrt().sum([0, 2]));
  }
  switch (o.reduction ?? 'mean') {
    case 'none':
      return unbatched ? loss.reshape([]) : loss;
    case 'sum':
      return loss.sum();
    default: {
      const div = fromArray(
        op,
        Float64Array.from(tgLens, (l) => Math.max(l, 1)),
        [N],
        dtype,
        dev,
      );
      return loss.div(div).mean();
    }
  }
}
