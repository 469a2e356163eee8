const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/**
 * The error function to double precision. Below |x| = 3 it sums the all-positive series
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (no cancellation); above, it
 * evaluates erfc by its continued fraction. gradcheck of GELU in float64 needs this accuracy,
 * which the usual 1e-7 polynomial approximations lack.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = x < 0 ? -x : x;
  if (ax >= 6) return x < 0 ? -1 : 1;
  if (ax < 3) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if ((term < 0 ? -term : term) < 1e-17 * (sum < 0 ? -sum : sum)) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  // erfc(ax) = e^(−ax²)/√π · 1/(ax + (1/2)/(ax + 1/(ax + (3/2)/(ax + …)))), evaluated bottom-up.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = (ONE_OVER_SQRT_PI * Math.exp(-ax * ax)) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}
