/**
 * Hard limits of WebGL as this backend meets them, and the budgets derived from them.
 *
 * LOOP_LIMIT: Mesa's llvmpipe (the software GL of CI, Xvfb and most headless Linux) stops
 * every shader invocation after 65535 loop iterations, counted over all its loops together
 * (`LP_MAX_TGSI_LOOP_ITERATIONS` in gallivm/lp_bld_limits.h: "Maximum iterations before loop
 * termination. Shared between every loop in a TGSI shader"). The loop simply ends: no error,
 * no warning, and the fragment writes whatever it had accumulated. So `ones(100000).sum()`
 * came out 65535. GPU drivers have watchdogs instead, which long loops trip as well.
 */
export const LOOP_LIMIT = 65535;

/**
 * Most loop iterations one fragment is given when work is split: long reductions, inner
 * products and gradient sums run in passes of at most this many terms each (a tree
 * reduction), far enough below {@link LOOP_LIMIT} to leave room for unrolling differences
 * and short enough to spread the work over many fragments. A power of two, so bucketed loop
 * bounds ({@link bucket}) never exceed it.
 */
export const LOOP_BUDGET = 4096;

/** int32 and bool live in float32 textures: integers are exact up to 2^24 in magnitude. */
export const INT_EXACT = 2 ** 24;

/** How a loop of `total` iterations is split: `parts` chunks of at most `len` iterations. */
export interface Split {
  readonly parts: number;
  readonly len: number;
}

/**
 * Splits `total` iterations (each costing `per` loop iterations, for nested loops) into
 * balanced chunks of at most `budget` loop iterations; `parts` is 1 when it fits in one.
 * Every chunk is non-empty: parts = ceil(total / len).
 */
export function planSplit(total: number, per = 1, budget = LOOP_BUDGET): Split {
  const most = Math.max(1, Math.floor(budget / per));
  if (total <= most) return { parts: 1, len: Math.max(total, 1) };
  const len = Math.ceil(total / Math.ceil(total / most));
  return { parts: Math.ceil(total / len), len };
}

/** The smallest power of two >= n (n >= 1): loop bounds of size-independent kernels. */
export function bucket(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
}

/**
 * The texture gpu.js lays `n` values out in (its `utils.closestSquareDimensions`): near square,
 * but for some n just below a square one side comes out one texel longer than √n — for n just
 * under MAX_TEXTURE_SIZE² that side passes the limit.
 */
export function textureDims(n: number): [number, number] {
  const sqrt = Math.sqrt(n);
  let high = Math.ceil(sqrt);
  let low = Math.floor(sqrt);
  while (high * low < n) {
    high--;
    low = Math.ceil(n / high);
  }
  return [low, Math.ceil(n / low)];
}
