import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { cat, manualSeed, memory, randn, type Tensor, tidy, zeros } from '../index.js';
import { gradchecks } from '../testing/index.js';

const f64 = { dtype: 'float64' as const, requiresGrad: true };

manualSeed(11);

describe('split / chunk backward (one multi-output op)', () => {
  it('passes gradcheck in float64 for split, uneven sizes and chunk', () => {
    const x = randn([3, 7], f64);
    // Every part weighted differently, so a misplaced part gradient shows up.
    const use = (parts: Tensor[]) => parts.map((p, i) => p.mul(i + 1).sin());
    expect(gradchecks((x) => use(x.split(3, 1)), [x])).toBe(true);
    expect(gradchecks((x) => use(x.split([1, 4, 2], 1)), [x])).toBe(true);
    expect(gradchecks((x) => use(x.chunk(2, 0)), [x])).toBe(true);
    expect(gradchecks((x) => use(x.chunk(4, -1)).slice(1, 3), [x])).toBe(true);
  });

  it("gives x the concatenation of the parts' gradients, zeros for parts without one", () => {
    const x = randn([2, 6], { requiresGrad: true });
    const [a, b, c] = x.split([1, 2, 3], 1);
    const ga = randn([2, 1]);
    const gc = randn([2, 3]);
    a.mul(ga).sum().add(c.mul(gc).sum()).backward();
    expect(b.requiresGrad).toBe(true);
    expect(x.grad!.toArray()).toEqual(cat([ga, zeros([2, 2]), gc], 1).toArray());
  });

  it('accumulates a part used twice and places a lone part gradient', () => {
    const x = randn([4, 3], { requiresGrad: true });
    const [, second] = x.chunk(2, 0);
    second.mul(2).add(second).sum().backward();
    expect(x.grad!.toArray()).toEqual(cat([zeros([2, 3]), zeros([2, 3]).add(3)], 0).toArray());
  });

  it('lets each part run its own backward, and refuses the same part twice', () => {
    const x = randn([4], { requiresGrad: true });
    const [a, b] = x.split(2);
    a.mul(2).sum().backward();
    b.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 2, 3, 3]);
    // a's own node was freed by its backward (b's is freed now too).
    expect(() => a.sum().backward()).toThrow(/backward through the graph a second time/);
    expect(() => b.sum().backward()).toThrow(/backward through the graph a second time/);
  });

  it('runs again with retainGraph, keeps retainGrad per part; in-place on a part is refused while recording', () => {
    const x = randn([2, 4], { requiresGrad: true });
    const [a, b] = x.chunk(2, 1);
    b.retainGrad();
    const loss = a.sum().add(b.mul(b).sum());
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    const bx = x.detach().narrow(1, 2, 2);
    expect(b.grad!.toArray()).toEqual(bx.mul(4).toArray());
    const y = x.mul(1);
    const [p, q] = y.chunk(2, 1);
    // PyTorch: the parts are views made by one multi-output op; writing one in place while
    // recording is refused (the shared backward could not see it).
    expect(() => q.mul_(5)).toThrow(/mul_: .*output of a function that returns multiple views/);
    const q5 = q.clone().mul_(5);
    x.grad = null;
    p.sum().add(q5.sum()).backward();
    expect(x.grad!.toArray()).toEqual([
      [1, 1, 5, 5],
      [1, 1, 5, 5],
    ]);
  });

  it('leaks no tensors', () => {
    const x = randn([3, 8], { requiresGrad: true });
    const before = memory().numTensors;
    tidy(() => {
      const [a, b, c, d] = x.chunk(4, 1);
      a.sigmoid().mul(b.tanh()).add(d).sum().backward();
      return c;
    }).dispose();
    expect(memory().numTensors - before).toBe(1); // x.grad
  });
});
