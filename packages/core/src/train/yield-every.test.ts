import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, nn, optim, tensor } from '../index.js';
import { fit, LambdaCallback, type YieldEvery } from './index.js';
import { AUTO_YIELD_MS, Yielder } from './yield-every.js';

/** Busy-waits: the event loop gets no turn meanwhile. */
function spin(ms: number): void {
  const t = performance.now();
  while (performance.now() - t < ms) {
    // spin
  }
}

/**
 * Schedules `setTimeout(0)` and spins until it is due, then runs `fit` on a small regression
 * (`batches` batches of 2 per epoch). Notes at every batch start whether the timer has fired.
 * In Node, nextFrame is a setImmediate: the loop passes its timers phase between two
 * consecutive yields, so a due timer has fired by the batch after the second yield.
 */
async function fitWatchingTimer(
  yieldEvery: YieldEvery | undefined,
  { epochs = 1, batches = 5, slowBatchMs = 0 } = {},
): Promise<{ firedAt: string | null; afterFit: boolean; steps: string[]; leaked: number }> {
  const model = new nn.Linear(1, 1);
  const x = tensor(Array.from({ length: 2 * batches }, (_, i) => [i / 10]));
  const y = x.mul(3);
  const before = memory().numTensors;
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
  }, 0);
  spin(3);
  let epoch = 0;
  let firedAt: string | null = null;
  const steps: string[] = [];
  const watch = new LambdaCallback({
    onEpochBegin: (e) => {
      epoch = e;
    },
    onBatchBegin: (b) => {
      steps.push(`${epoch}.${b}`);
      if (fired && firedAt === null) firedAt = `${epoch}.${b}`;
    },
    onBatchEnd: () => spin(slowBatchMs),
  });
  try {
    await fit(model, {
      train: [x, y],
      epochs,
      batchSize: 2,
      shuffle: false,
      loss: new nn.MSELoss(),
      optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
      callbacks: [watch],
      verbose: 0,
      ...(yieldEvery === undefined ? {} : { yieldEvery }),
    });
    const afterFit = fired;
    for (const p of model.parameters()) p.grad?.dispose();
    return { firedAt, afterFit, steps, leaked: memory().numTensors - before };
  } finally {
    clearTimeout(timer);
    for (const t of [x, y, ...model.parameters()]) t.dispose();
  }
}

describe('fit yieldEvery', () => {
  it("'batch' lets a timer scheduled before fit run during fit; 'never' does not", async () => {
    const each = await fitWatchingTimer('batch');
    expect(each.steps).toHaveLength(5);
    expect(each.firedAt).not.toBeNull();
    // two yields at most: after batch 0 and batch 1
    expect(['0.1', '0.2']).toContain(each.firedAt);

    const never = await fitWatchingTimer('never');
    expect(never.steps).toHaveLength(5);
    expect(never.firedAt).toBeNull();
    expect(never.afterFit).toBe(false); // fit resolved within the task that started it
    expect([each.leaked, never.leaked]).toEqual([0, 0]);
  });

  it("'epoch' yields between epochs only", async () => {
    const r = await fitWatchingTimer('epoch', { epochs: 3, batches: 3 });
    expect(r.steps).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1', '1.2', '2.0', '2.1', '2.2']);
    // none within epoch 0; fired by the start of epoch 2 (after two epoch-end yields)
    expect(['1.0', '2.0']).toContain(r.firedAt);
  });

  it('a number of milliseconds yields once that much time has passed since the last yield', async () => {
    const fast = await fitWatchingTimer(10_000);
    expect(fast.firedAt).toBeNull(); // five quick batches: never 10 s since the start
    const slow = await fitWatchingTimer(20, { slowBatchMs: 25 });
    expect(['0.1', '0.2']).toContain(slow.firedAt);
  });

  it("defaults to 'auto': a yield after a batch ending 125 ms or more after the last one", async () => {
    const r = await fitWatchingTimer(undefined, { batches: 3, slowBatchMs: AUTO_YIELD_MS + 5 });
    expect(['0.1', '0.2']).toContain(r.firedAt);
  });

  it('refuses a bad value, naming the accepted ones, before touching the data', async () => {
    const model = new nn.Linear(1, 1);
    const x = tensor([[1], [2]]);
    const before = memory().numTensors;
    const run = (yieldEvery: unknown) =>
      fit(model, {
        train: [x, x],
        validationSplit: 0.5,
        loss: new nn.MSELoss(),
        optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
        yieldEvery: yieldEvery as YieldEvery,
        verbose: 0,
      });
    await expect(run('sometimes')).rejects.toThrow(
      "fit: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0, got 'sometimes'",
    );
    await expect(run(-1)).rejects.toThrow(/got -1$/);
    await expect(run(Number.NaN)).rejects.toThrow(/got NaN$/);
    expect(memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('Yielder', () => {
  /** A yielder on a fake clock that counts its yields instead of awaiting a frame. */
  function fake(mode: YieldEvery) {
    let t = 0;
    const frames: number[] = [];
    const y = new Yielder(
      'fit',
      mode,
      () => t,
      async () => {
        frames.push(t);
      },
    );
    return {
      at: async (ms: number, what: 'batch' | 'epoch') => {
        t = ms;
        await (what === 'batch' ? y.afterBatch() : y.afterEpoch());
      },
      frames,
    };
  }

  it("'auto' is 125 ms measured from the start and from each yield, at batch and epoch ends", async () => {
    const f = fake('auto');
    await f.at(100, 'batch');
    await f.at(124, 'batch');
    await f.at(125, 'batch'); // yields
    await f.at(200, 'epoch');
    await f.at(251, 'epoch'); // yields
    await f.at(300, 'batch');
    expect(f.frames).toEqual([125, 251]);
  });

  it("'batch', 'epoch' and 'never' ignore the clock", async () => {
    for (const [mode, want] of [
      ['batch', [1, 2]],
      ['epoch', [3]],
      ['never', []],
    ] as const) {
      const f = fake(mode);
      await f.at(1, 'batch');
      await f.at(2, 'batch');
      await f.at(3, 'epoch');
      expect(f.frames, mode).toEqual(want);
    }
  });

  it('0 ms yields at every batch and epoch end', async () => {
    const f = fake(0);
    await f.at(0, 'batch');
    await f.at(0, 'epoch');
    expect(f.frames).toEqual([0, 0]);
  });
});
