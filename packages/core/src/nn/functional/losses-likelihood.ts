// The negative log-likelihood losses of distributions (PyTorch 1.13's poisson_nll_loss and

// gaussian_nll_loss), written with differentiable tensor ops.
import { where } from '../../ops/binary.js';
import { checkOnDevice } from '../../ops/device-check.js';
import { checkSameDevice, checkTensor } from '../../ops/util.js';
import { any, bool, num, oneOf, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  floatTarget,
  type LossOptions,
  lossOperands,
  REDUCE,
  REDUCTION,
  type Reduction,
  reduce,
  SIZE_AVERAGE,
} from './losses.js';

const POISSON_NLL = signature('F.poissonNllLoss', [
  req('input', any),
  req('target', any),
  opt('logInput', bool),
  opt('full', bool),
  SIZE_AVERAGE,
  opt('eps', num),
  REDUCE,
  REDUCTION,
]);
const GAUSSIAN_NLL = signature('F.gaussianNllLoss', [
  req('input', any),
  req('target', any),
  req('var', any),
  opt('full', bool),
  opt('eps', num),
  opt('reduction', oneOf('mean', 'sum', 'none')),
]);

/** Options of {@link poissonNllLoss}. */
export interface PoissonNLLOptions extends LossOptions {
  /** The input is log(rate) (default true); else the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(target!) for targets > 1 (default false). */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/** Options of {@link gaussianNllLoss}. */
export interface GaussianNLLOptions extends LossOptions {
  /** Add the constant ½·log(2π) (default false). */
  full?: boolean;
  /** Variances below eps are raised to eps (default 1e-6); the gradient passes unchanged. */
  eps?: number;
}

/**
 * Poisson negative log-likelihood: exp(x) - y·x (logInput), or x - y·log(x + eps); `full` adds
 * y·log y - y + ½·log(2πy) where y > 1. Target broadcasts as PyTorch's.
 * `(input, target, logInput, full, sizeAverage, eps, reduce, reduction)` as PyTorch's.
 */
export function poissonNllLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PosOrOpts<
    [
      logInput: boolean,
      full: boolean,
      sizeAverage: undefined,
      eps: number,
      reduce: undefined,
      reduction: Reduction,
    ],
    PoissonNLLOptions
  >
): Tensor {
  const op = 'poissonNllLoss';
  const o = POISSON_NLL.parse<PoissonNLLOptions>([input, target, ...rest]);
  lossOperands(op, input, target);
  const y = floatTarget(input, target);
  let loss =
    o.logInput === false ? input.sub(y.mul(input.add(o.eps ?? 1e-8).log())) : input.exp().sub(y.mul(input));
  if (o.full) {
    // PyTorch's masked_fill of the term where y <= 1 (the target's gradient is NaN at y = 0, 0·log 0, as PyTorch's).
    const stirling = y
      .mul(y.log())
      .sub(y)
      .add(
        y
          .mul(2 * Math.PI)
          .log()
          .mul(0.5),
      );
    loss = loss.add(where(y.gt(1), stirling, 0));
  }
  return reduce(op, loss, o.reduction);
}

/**
 * Gaussian negative log-likelihood: ½·(log(max(var, eps)) + (input - target)² / max(var, eps)),
 * plus ½·log(2π) with `full`. `var` has the input's shape, or one dim less, or a last dim of 1
 * (homoscedastic), as PyTorch's. Negative variances are refused as PyTorch's are. The clamp is
 * PyTorch's no-grad clamp: values below eps become eps but the gradient passes as if unclamped.
 * `(input, target, var, full, eps, reduction)` as PyTorch's.
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  ...rest: PosOrOpts<[full: boolean, eps: number, reduction: Reduction], GaussianNLLOptions>
): Tensor {
  const op = 'gaussianNllLoss';
  const o = GAUSSIAN_NLL.parse<GaussianNLLOptions & { var: Tensor }>([input, target, variance, ...rest]);
  lossOperands(op, input, target);
  let v = checkTensor(op, o.var, 'var');
  checkSameDevice(op, input, v);
  if (!shapesEqual(v.shape, input.shape)) {
    const lead = input.shape.slice(0, -1);
    if (input.ndim > 0 && shapesEqual(lead, v.shape)) v = v.unsqueeze(-1);
    else if (
      !(
        input.ndim > 0 &&
        v.ndim === input.ndim &&
        shapesEqual(lead, v.shape.slice(0, -1)) &&
        v.shape[v.ndim - 1] === 1
      )
    ) {
      throw new Error(
        `${op}: var is of incorrect size: ${fmtShape(v.shape)} for input ${fmtShape(input.shape)} (expected the input's shape, its shape without the last dim, or that with a last dim of 1)`,
      );
    }
  }
  checkOnDevice(
    () => v.ge(0),
    () => `${op}: var has negative entry/entries`,
  );
  const eps = o.eps ?? 1e-6;
  // v - v.detach() is exactly 0, so the clamped value is exactly eps with v's gradient (identity).
  const vc = where(v.lt(eps), v.sub(v.detach()).add(eps), v);
  const d = input.sub(floatTarget(input, target));
  let loss = vc.log().add(d.mul(d).div(vc)).mul(0.5);
  if (o.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(op, loss, o.reduction);
}
