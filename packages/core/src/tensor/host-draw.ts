// Random numbers are drawn on the host (one seeded generator, see random.ts) and uploaded. A
// tracer (backend-onnx's compile) records a step once and runs it many times, so it must draw
// the numbers of every later step as the eager step would: each draw that is uploaded goes
// through `hostDraw`, which hands the tracer the drawing closure to run again per step.
import { Generator } from './random.js';

/**
 * A draw of `n` values (one per element: dropout's mask, rand's values), from a generator.
 * It must give `n` values of the same kind for any `n`: a traced program draws again at the
 * size each run has (a batch of another size).
 */
export type Draw<T extends ArrayLike<number>> = (n: number) => T;

/**
 * What a watcher of host draws is given: the draw (to run again per run, at any size), the
 * size it was drawn at, and how many 32-bit numbers it took from its generator (see
 * `Generator.drawCount`).
 */
export type DrawWatcher = (redraw: Draw<ArrayLike<number>>, n: number, draws: number) => void;

let watcher: DrawWatcher | null = null;

/**
 * Draws `n` values with `draw` (a closure that consumes a generator and returns the values to
 * upload) and, when a tracer is watching, passes it on so that the traced program can draw
 * again each time it runs, at its own size. The values must be uploaded as they are returned
 * (a dtype conversion aside).
 */
export function hostDraw<T extends ArrayLike<number>>(n: number, draw: Draw<T>): T {
  const before = Generator.drawCount;
  const values = draw(n);
  watcher?.(draw, n, Generator.drawCount - before);
  return values;
}

/**
 * @internal Watches host draws while `fn` runs (tracers only: compile in @proj/backend-onnx).
 * The draws are a rehearsal: every generator that drew is put back to its state before `fn`,
 * since the traced program draws the same numbers again each time it runs. Nested watching is
 * refused.
 */
export function watchHostDraws<T>(onDraw: DrawWatcher, fn: () => T): T {
  if (watcher !== null) throw new Error('watchHostDraws: already watching (a trace inside a trace)');
  watcher = onDraw;
  const touched = new Map<Generator, number[]>();
  Generator.rehearsal = touched;
  try {
    return fn();
  } finally {
    watcher = null;
    Generator.rehearsal = null;
    for (const [g, state] of touched) g.setState(state);
  }
}
