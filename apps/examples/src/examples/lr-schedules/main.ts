// Learning-rate schedules: each scheduler rewrites `optimizer.paramGroups[i].lr` when you call
// `scheduler.step()` (once per epoch, or per batch for OneCycleLR). Here we step each one 100
// times on an SGD optimizer with base lr 0.1 and record `getLastLr()`; out/lr-schedules.svg
// shows the shapes side by side.
import { nn, optim } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

export const STEPS = 100;
const BASE_LR = 0.1;
const { lrScheduler: S } = optim;

/** The schedules compared, each built on a fresh optimizer. */
export const SCHEDULES: Record<string, (opt: optim.SGD) => { step(): void; getLastLr(): number[] }> = {
  'StepLR (x0.1 every 30)': (o) => new S.StepLR(o, 30, { gamma: 0.1 }),
  'ExponentialLR (x0.95)': (o) => new S.ExponentialLR(o, 0.95),
  CosineAnnealingLR: (o) => new S.CosineAnnealingLR(o, STEPS),
  OneCycleLR: (o) => new S.OneCycleLR(o, { maxLr: BASE_LR, totalSteps: STEPS }),
  'LinearLR warm-up (10 steps)': (o) => new S.LinearLR(o, { startFactor: 0.1, totalIters: 10 }),
  'warm-up then cosine': (o) =>
    new S.SequentialLR(
      o,
      [new S.LinearLR(o, { startFactor: 0.1, totalIters: 10 }), new S.CosineAnnealingLR(o, STEPS - 10)],
      [10],
    ),
};

/** The learning rate at steps 0 .. STEPS-1, by schedule. */
export type ScheduleResult = Record<string, number[]>;

export async function run(opts: { fast: boolean }): Promise<ScheduleResult> {
  const result: ScheduleResult = {};
  for (const [name, make] of Object.entries(SCHEDULES)) {
    const opt = new optim.SGD(new nn.Linear(1, 1).parameters(), { lr: BASE_LR, momentum: 0.9 });
    const scheduler = make(opt);
    const lrs: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      lrs.push(scheduler.getLastLr()[0]);
      opt.step(); // training would go here: PyTorch wants optimizer.step() before scheduler.step()
      scheduler.step();
    }
    result[name] = lrs;
    const at = (i: number) => lrs[i].toExponential(2);
    console.log(
      `${name.padEnd(28)} lr at step 0: ${at(0)}, 10: ${at(10)}, 30: ${at(30)}, 50: ${at(50)}, 99: ${at(99)}`,
    );
  }
  if (!opts.fast) {
    const series = Object.entries(result).map(([name, y]) => ({ name, y }));
    const spec = lineChart(series, {
      title: 'Learning-rate schedules (base lr 0.1)',
      xTitle: 'step',
      yTitle: 'learning rate',
      width: 520,
    });
    console.log(`wrote ${await writeSvg('lr-schedules.svg', spec)}`);
  }
  return result;
}
