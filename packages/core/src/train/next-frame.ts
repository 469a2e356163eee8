// Giving the event loop a turn between training steps (TF.js's `tf.nextFrame`): in a page the
// browser repaints and handles input, in Node timers and I/O run.

type Scheduler = (run: () => void) => void;

interface PageGlobals {
  requestAnimationFrame?: (cb: () => void) => number;
  document?: {
    hidden?: boolean;
    addEventListener?(type: string, cb: () => void, opts?: { once?: boolean }): void;
    removeEventListener?(type: string, cb: () => void): void;
  };
  setImmediate?: (cb: () => void) => unknown;
  MessageChannel?: new () => {
    port1: { onmessage: (() => void) | null; close(): void };
    port2: { postMessage(v: unknown): void; close(): void };
  };
}

const g = globalThis as unknown as PageGlobals;

/**
 * A visible page: the next animation frame, so what the step changed is painted first. A page
 * hidden meanwhile gets no frames, so a change of visibility also ends the wait.
 */
const animationFrame: Scheduler = (run) => {
  const doc = g.document;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    doc?.removeEventListener?.('visibilitychange', finish);
    run();
  };
  doc?.addEventListener?.('visibilitychange', finish, { once: true });
  g.requestAnimationFrame?.(finish);
};

/**
 * A hidden page or a worker: a message to ourselves, a task that browsers do not throttle as
 * they throttle chained timers in background tabs (down to one a minute in Chrome).
 */
const message: Scheduler = (run) => {
  const Channel = g.MessageChannel as NonNullable<PageGlobals['MessageChannel']>;
  const ch = new Channel();
  ch.port1.onmessage = () => {
    ch.port1.close();
    ch.port2.close();
    run();
  };
  ch.port2.postMessage(0);
};

/** How this environment gives the event loop a turn, chosen at each call (a page may be hidden later). */
function scheduler(): Scheduler {
  if (typeof g.requestAnimationFrame === 'function' && g.document?.hidden !== true) return animationFrame;
  // Node (and Bun): after pending I/O callbacks, without setTimeout's 1 ms floor.
  if (typeof g.setImmediate === 'function') return g.setImmediate as Scheduler;
  if (typeof g.MessageChannel === 'function') return message;
  return (run) => setTimeout(run, 0);
}

/**
 * Resolves after the event loop has had a turn, as TF.js's `tf.nextFrame()`: in a visible page
 * at the next animation frame (`requestAnimationFrame`), so the page repaints and handles input
 * between training steps; in a hidden page or a worker after a posted message; in Node after
 * `setImmediate` (timers that are due and I/O run first); elsewhere after `setTimeout(0)`.
 * `fit` awaits it according to its `yieldEvery` option; hand-written loops await it themselves.
 *
 * @example
 * ```ts
 * for (const [x, y] of loader) {
 *   const loss = tidy(() => step(x, y));
 *   lossChart.push(await loss.data()); // the chart's DOM is updated here…
 *   loss.dispose();
 *   await train.nextFrame();            // …and painted here
 * }
 * ```
 */
export function nextFrame(): Promise<void> {
  return new Promise<void>((resolve) => scheduler()(() => resolve()));
}
