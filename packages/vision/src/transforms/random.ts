// Random draws of the random transforms: from core's seeded generator (manualSeed), so a run
// is reproducible. PyTorch's own stream is not reproduced (different generator), only the
// distributions torchvision draws from.
import { defaultGenerator, type Generator } from '@proj/core';

/** Options every random transform takes. */
export interface RandomOptions {
  /** Where the random numbers come from (default: core's default generator, seeded by `manualSeed`). */
  generator?: Generator;
}

/** Uniform in [low, high) (torch's `empty(1).uniform_(low, high)`). */
export function uniform(low: number, high: number, g: Generator = defaultGenerator): number {
  return low + (high - low) * g.random();
}

/** Uniform integer in [low, high) (torch's `randint(low, high, (1,))`). */
export function randint(op: string, low: number, high: number, g: Generator = defaultGenerator): number {
  if (!(high > low)) throw new Error(`${op}: cannot draw an integer from the empty range [${low}, ${high})`);
  return g.int(low, high);
}

/** Python's `round(x)`: to the nearest integer, ties to even (torchvision's `int(round(…))`). */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}
