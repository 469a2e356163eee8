import type { Tensor } from '../tensor/tensor.js';

// The line search of LBFGS, ported line by line from PyTorch 1.13's torch/optim/lbfgs.py (itself
// from torch/optim's lswolfe.lua and polyinterp.lua). Scalars are JS numbers (float64); the
// branches compare them exactly as PyTorch does, including Python's min/max, which keep the
// first argument unless another is strictly smaller/larger.

/** Python's `max(a, b)`: `a` unless `b > a`. */
export function pyMax(a: number, b: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max differs on NaN (Python keeps `a`)
  return b > a ? b : a;
}

/** Python's `min(a, b)`: `a` unless `b < a`. */
export function pyMin(a: number, b: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.min differs on NaN (Python keeps `a`)
  return b < a ? b : a;
}

/** The flat dot product of two 1-D tensors, as a number. */
export function dot(a: Tensor, b: Tensor): number {
  return a.mul(b).sum().item() as number;
}

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
 * `bounds` (default: between x1 and x2); the middle of the bounds when the cubic has none.
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: [number, number],
): number {
  const [xminBound, xmaxBound] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  // Most common case: cubic interpolation of 2 points with function and derivative values for both.
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  // PyTorch squares a 0-dim tensor (d1 ** 2), which its kernel computes as d1 * d1.
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return pyMin(pyMax(minPos, xminBound), xmaxBound);
  }
  return (xminBound + xmaxBound) / 2;
}

/** Evaluates the objective at `x + t·d` (and restores `x`): the loss and the flat gradient there. */
export type DirectionalObjective = (x: Tensor[], t: number, d: Tensor) => [loss: number, flatGrad: Tensor];

/**
 * A line search along `d` from `x` (loss `f`, flat gradient `g`, directional derivative `gtd`)
 * for a step satisfying the strong Wolfe conditions. Returns the loss and flat gradient at the
 * step, the step, and the number of objective evaluations. Tensors it creates are left to the
 * caller's `tidy`; the returned gradient is one of them.
 */
export function strongWolfe(
  objFunc: DirectionalObjective,
  x: Tensor[],
  t: number,
  d: Tensor,
  f: number,
  g: Tensor,
  gtd: number,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): [loss: number, flatGrad: Tensor, t: number, evals: number] {
  const dNorm = d.abs().max().item() as number;
  g = g.clone();
  // Evaluate the objective and gradient using the initial step.
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew = dot(gNew, d);

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    // Check the conditions.
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew.clone()];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew.clone()];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // Interpolate.
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    // Next step.
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  // Reached the maximum number of iterations?
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }

  // Zoom phase: we now have a point satisfying the criteria, or a bracket around it. Refine the
  // bracket until we find the exact point satisfying the criteria.
  let insufProgress = false;
  // Find the high and low points in the bracket.
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    // The line-search bracket is too small.
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    // Compute the new trial value.
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    // Test that we are making sufficient progress: when `t` is too close to a boundary, mark it
    // as insufficient progress, and if we made insufficient progress in the last step too, or
    // `t` is at one of the boundaries, move `t` to 0.1 * (length of the bracket) away from the
    // nearest boundary point.
    const hi = pyMax(bracket[0], bracket[1]);
    const lo = pyMin(bracket[0], bracket[1]);
    const eps = 0.1 * (hi - lo);
    if (pyMin(hi - t, t - lo) < eps) {
      // Interpolation close to the boundary.
      if (insufProgress || t >= hi || t <= lo) {
        // Evaluate at 0.1 away from the boundary.
        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    // Evaluate the new point.
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      // Armijo condition not satisfied, or not lower than the lowest point.
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        // The Wolfe conditions are satisfied.
        done = true;
      } else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        // The old high becomes the new low.
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      // The new point becomes the new low.
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals];
}
