import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { autograd, memory, nn, noGrad, type Tensor, tensor, tidy } from '../index.js';

const f64 = (d: number[]) => tensor(d, { dtype: 'float64', requiresGrad: true });
const vals = (t: Tensor | null) => Array.from(t!.dataSync());

describe('autograd.grad', () => {
  it('returns gradients without touching .grad, and second derivatives with createGraph', () => {
    const x = f64([1, 2, 3]);
    const y = x.pow(3).sum();
    const [g] = autograd.grad(y, x, { createGraph: true });
    expect(vals(g)).toEqual([3, 12, 27]);
    expect(x.grad).toBeNull();
    expect(g!.requiresGrad).toBe(true);
    const [h] = autograd.grad(g!.sum(), x);
    expect(vals(h)).toEqual([6, 12, 18]);
  });

  it('takes several outputs with gradOutputs and several inputs', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    const [ga, gb] = autograd.grad([a.mul(b), a.add(b).sum()], [a, b], {
      gradOutputs: [tensor([1, 10], { dtype: 'float64' }), null],
    });
    expect(vals(ga)).toEqual([3 + 1, 40 + 1]);
    expect(vals(gb)).toEqual([1 + 1, 20 + 1]);
  });

  it('differentiates with respect to a non-leaf', () => {
    const x = f64([1, 2]);
    const h = x.mul(2);
    const y = h.pow(2).sum();
    const [gh] = autograd.grad(y, h);
    expect(vals(gh)).toEqual([4, 8]);
  });

  it('refuses an unused input unless allowUnused, which gives null', () => {
    const x = f64([1]);
    const z = f64([2]);
    expect(() => autograd.grad(x.mul(2).sum(), [x, z], { retainGraph: true })).toThrow(
      /input 1 \(\[1\]\) was not used in the graph/,
    );
    const [gx, gz] = autograd.grad(x.mul(2).sum(), [x, z], { allowUnused: true });
    expect(vals(gx)).toEqual([2]);
    expect(gz).toBeNull();
  });

  it('frees the graph unless retainGraph (which createGraph implies)', () => {
    const x = f64([1, 2]);
    const y = x.exp().sum();
    autograd.grad(y, x);
    expect(() => autograd.grad(y, x)).toThrow(/a second time/);
    const y2 = x.exp().sum();
    autograd.grad(y2, x, { createGraph: true });
    expect(() => autograd.grad(y2, x)).not.toThrow();
  });

  it('refuses unknown options, missing seeds for non-scalars and mismatched gradOutputs', () => {
    const x = f64([1, 2]);
    expect(() => autograd.grad(x.mul(2), x, { create_graph: true } as never)).toThrow(
      /grad: unknown option 'create_graph'/,
    );
    expect(() => autograd.grad(x.mul(2), x)).toThrow(/only for scalar outputs/);
    expect(() => autograd.grad(x.mul(2), x, { gradOutputs: tensor([1], { dtype: 'float64' }) })).toThrow(
      /gradient shape \[1\] does not match/,
    );
    expect(() => autograd.grad(x.detach().mul(2).sum(), x)).toThrow(/does not require grad/);
  });

  it('a gradient penalty trains: backward through autograd.grad reaches the parameters', () => {
    const lin = new nn.Linear(3, 1).double();
    const x = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    const [g] = autograd.grad(lin.forward(x).sum(), x, { createGraph: true });
    g!.pow(2).sum().backward();
    // d/dW of |W|² = 2W
    expect(vals(lin.weight.grad)).toEqual(vals(lin.weight).map((w) => 2 * w));
    expect(lin.bias!.grad).toBeNull();
  });
});

describe('backward options', () => {
  it('createGraph leaves a differentiable .grad; retainGraph follows it', () => {
    const x = f64([2]);
    x.pow(3).sum().backward({ createGraph: true });
    expect(vals(x.grad)).toEqual([12]);
    const gx = x.grad!;
    expect(gx.requiresGrad).toBe(true);
    const [h] = autograd.grad(gx.sum(), x);
    expect(vals(h)).toEqual([12]);
  });

  it('inputs restricts accumulation to the given tensors', () => {
    const a = f64([1]);
    const b = f64([2]);
    a.mul(b)
      .sum()
      .backward({ inputs: [a] });
    expect(vals(a.grad)).toEqual([2]);
    expect(b.grad).toBeNull();
  });

  it('refuses an unknown option instead of ignoring it', () => {
    const x = f64([1]);
    expect(() =>
      x
        .mul(2)
        .sum()
        .backward({ createGrpah: true } as never),
    ).toThrow(/backward: unknown option 'createGrpah'/);
  });

  it('an op whose backward is not differentiable is an error under createGraph, never a wrong number', () => {
    class Raw extends autograd.Function {
      static override onceDifferentiable = true;
      static override forward(ctx: autograd.FunctionCtx, x: Tensor) {
        ctx.saveForBackward(x);
        return x.pow(2);
      }
      static override backward(ctx: autograd.FunctionCtx, g: Tensor) {
        const [x] = ctx.savedTensors;
        return noGrad(() => g.mul(x).mul(2));
      }
    }
    const x = f64([3]);
    const [g] = autograd.grad(Raw.apply(x).sum(), x, { createGraph: true });
    expect(vals(g)).toEqual([6]);
    expect(() => g!.sum().backward()).toThrow(/double backward through RawBackward is not implemented/);
  });

  it('a backward that leaves autograd without saying so is caught under createGraph', () => {
    class Sneaky extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor) {
        return x.mul(2);
      }
      static override backward(_ctx: autograd.FunctionCtx, g: Tensor) {
        return noGrad(() => g.mul(2));
      }
    }
    const x = f64([3]);
    const v = tensor([1], { dtype: 'float64', requiresGrad: true });
    expect(() => autograd.grad(Sneaky.apply(x), x, { gradOutputs: v, createGraph: true })).toThrow(
      /double backward is not supported by SneakyBackward/,
    );
  });
});

describe('gradgradcheck', () => {
  it('passes on correct second derivatives and catches a wrong one', () => {
    const x = tensor([0.3, -0.7, 1.1], { dtype: 'float64', requiresGrad: true });
    expect(autograd.gradgradcheck((t) => t.tanh().mul(t.sin()), [x])).toBe(true);
    class WrongSecond extends autograd.Function {
      static override forward(ctx: autograd.FunctionCtx, t: Tensor) {
        ctx.saveForBackward(t);
        return t.pow(3);
      }
      static override backward(ctx: autograd.FunctionCtx, g: Tensor) {
        const [t] = ctx.savedTensors;
        return g.mul(t.detach().pow(2).mul(3)); // right value, but detached: d²/dx² lost
      }
    }
    expect(autograd.gradcheck((t) => WrongSecond.apply(t), [x])).toBe(true);
    expect(() => autograd.gradgradcheck((t) => WrongSecond.apply(t), [x])).toThrow(/Jacobian mismatch/);
  });
});

describe('hooks', () => {
  it('Tensor.registerHook sees and replaces gradients of leaves and non-leaves', () => {
    const x = f64([1, 2]);
    const seen: number[][] = [];
    const h = x.registerHook((g) => {
      seen.push(vals(g));
      return g.mul(10);
    });
    const y = x.mul(3);
    y.registerHook((g) => g.add(1));
    y.sum().backward();
    expect(seen).toEqual([[6, 6]]);
    expect(vals(x.grad)).toEqual([60, 60]);
    h.remove();
    x.grad = null;
    x.mul(3).sum().backward();
    expect(vals(x.grad)).toEqual([3, 3]);
    expect(() => tensor([1]).registerHook((g) => g)).toThrow(/does not require grad/);
  });

  it('a leaf hook runs once on the summed gradient', () => {
    const x = f64([1]);
    let calls = 0;
    x.registerHook(() => {
      calls++;
    });
    x.mul(2).add(x.mul(3)).sum().backward();
    expect(calls).toBe(1);
    expect(vals(x.grad)).toEqual([5]);
  });

  it('Module.registerFullBackwardHook sees input and output gradients and may replace the input ones', () => {
    const lin = new nn.Linear(2, 1, { bias: false }).double();
    noGrad(() => lin.weight.copy_(tensor([[2, 3]], { dtype: 'float64' })));
    const x = tensor([[1, 1]], { dtype: 'float64', requiresGrad: true });
    const got: number[][] = [];
    const h = lin.registerFullBackwardHook((_m, gIn, gOut) => {
      got.push(vals(gIn[0]), vals(gOut[0]));
      return [gIn[0]!.mul(0)];
    });
    lin.forward(x).mul(5).sum().backward();
    expect(got).toEqual([[10, 15], [5]]);
    expect(vals(x.grad)).toEqual([0, 0]);
    expect(vals(lin.weight.grad)).toEqual([5, 5]);
    h.remove();
    expect(Object.hasOwn(lin, 'forward')).toBe(false);
  });

  it('Module.registerForwardPreHook replaces the arguments', () => {
    const lin = new nn.Linear(2, 1).double();
    lin.registerForwardPreHook((_m, [x]) => [(x as Tensor).mul(0)]);
    const y = lin.forward(tensor([[1, 2]], { dtype: 'float64' }));
    expect(vals(y)).toEqual(vals(lin.bias!));
  });

  it('getParameter and getBuffer follow dotted paths', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.BatchNorm1d(2));
    expect(m.getParameter('0.weight')).toBe((m.get(0) as nn.Linear).weight);
    expect(m.getBuffer('1.running_mean').shape).toEqual([2]);
    expect(() => m.getParameter('0.nope')).toThrow(/Linear has no parameter 'nope'/);
  });
});

describe('detectAnomaly', () => {
  it('names the backward that produced NaN and the forward call that recorded it', () => {
    const x = tensor([0, 1], { dtype: 'float64', requiresGrad: true });
    expect(() => autograd.detectAnomaly(() => x.sqrt().mul(0).sum().backward())).toThrow(
      /function 'SqrtBackward' returned nan values in its 0th output; the forward call that created it:\n.*grad.test.ts/s,
    );
    expect(autograd.isAnomalyEnabled()).toBe(false);
    x.sqrt().mul(0).sum().backward(); // off again: NaN flows silently, as in PyTorch
  });
});

describe('memory', () => {
  it('createGraph passes leave no tensors behind once the scope closes', () => {
    const x = f64([1, 2, 3]);
    const before = memory().numTensors;
    tidy(() => {
      const [g] = autograd.grad(x.tanh().sum(), x, { createGraph: true });
      autograd.grad(g!.sum(), x);
    });
    expect(memory().numTensors).toBe(before);
  });
});
