import * as core from '@proj/core';
import { describe, expect, it } from 'vitest';
import '../index.js';

const { nn } = core;

/** Runs `f` with the backend's fused LSTM-cell kernels hidden, so core composes the cell from ops. */
function composite<T>(f: () => T): T {
  const b = core.backendByName('cpu') as unknown as Record<string, unknown>;
  const saved = [b.lstmCell, b.lstmCellBackward];
  b.lstmCell = undefined;
  b.lstmCellBackward = undefined;
  try {
    return f();
  } finally {
    [b.lstmCell, b.lstmCellBackward] = saved;
  }
}

const bits = (t: core.Tensor): number[] =>
  Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

describe('the fused LSTM cell (Backend.lstmCell / lstmCellBackward)', () => {
  it('gives the composite ops’ bits: outputs, final states, and every gradient (float32)', () => {
    core.manualSeed(3);
    const lstm = new nn.LSTM(7, 5, { numLayers: 2, batchFirst: true });
    const x = core.randn([4, 6, 7]).requiresGrad_();
    const run = () => {
      lstm.zeroGrad();
      x.grad = null;
      const [out, [hN, cN]] = lstm.forward(x) as [core.Tensor, [core.Tensor, core.Tensor]];
      // the final c gets a gradient of its own too (dc flows from the loss and from the next step)
      out.square().sum().add(cN.mul(0.5).sum()).add(hN.sum()).backward();
      return [out, hN, cN, x.grad!, ...lstm.parameters().map((p) => p.grad!)].map(bits);
    };
    const b = core.backendByName('cpu') as unknown as Record<string, (...a: unknown[]) => unknown>;
    const kernel = b.lstmCell;
    let calls = 0;
    b.lstmCell = (...a: unknown[]) => {
      calls++;
      return kernel.apply(b, a);
    };
    const fused = run();
    b.lstmCell = kernel;
    expect(calls).toBe(12); // 6 steps x 2 layers ran fused
    calls = 0;
    const comp = composite(run);
    expect(calls).toBe(0);
    expect(fused.length).toBe(comp.length);
    for (let i = 0; i < fused.length; i++) expect(fused[i], `tensor ${i}`).toEqual(comp[i]);
  });

  it('differentiates twice (createGraph): first gradients to the bit, second to float32 rounding', () => {
    core.manualSeed(4);
    const cell = new nn.LSTMCell(3, 4);
    const x = core.randn([2, 3]).requiresGrad_();
    const h = core.randn([2, 4]).requiresGrad_();
    const c = core.randn([2, 4]).requiresGrad_();
    const run = () => {
      const [h2, c2] = cell.forward(x, [h, c]) as core.Tensor[];
      const [gx, gh, gc] = core.autograd.grad(h2.mul(c2).sum(), [x, h, c], {
        createGraph: true,
      }) as core.Tensor[];
      const second = core.autograd.grad(gx.square().sum().add(gh.mul(gc).sum()), [x, h, c]) as core.Tensor[];
      return [[gx, gh, gc].map(bits), second.map((t) => Array.from(t.dataSync() as Float32Array))] as const;
    };
    const [firstF, secondF] = run();
    const [firstC, secondC] = composite(run);
    for (let i = 0; i < 3; i++) expect(firstF[i], `gradient ${i}`).toEqual(firstC[i]);
    // the recorded gradient (compositeBackward) is a different graph from the composite's
    // gradient of its gradient: the same function, summed in another order
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < secondF[i].length; j++) {
        expect(Math.abs(secondF[i][j] - secondC[i][j])).toBeLessThanOrEqual(
          1e-6 * (1 + Math.abs(secondC[i][j])),
        );
      }
    }
  });
});
