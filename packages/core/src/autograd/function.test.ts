import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { autograd, type Tensor, tensor } from '../index.js';

const f64 = (d: number[]) => tensor(d, { dtype: 'float64', requiresGrad: true });
const vals = (t: Tensor | null) => Array.from(t!.dataSync());

class Exp extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor) {
    const y = x.exp();
    ctx.saveForBackward(y);
    return y;
  }
  static override backward(ctx: autograd.FunctionCtx, g: Tensor) {
    const [y] = ctx.savedTensors;
    return g.mul(y);
  }
}

/** Scales by a number argument; two outputs, the second an integer (not differentiable). */
class ScaleAndArgmax extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor, k: number) {
    ctx.saveForBackward(x);
    const idx = x.argmax();
    ctx.markNonDifferentiable(idx);
    return [x.mul(k), idx];
  }
  static override backward(_ctx: autograd.FunctionCtx, g: Tensor, gIdx: Tensor | null) {
    expect(gIdx).toBeNull();
    return [g.mul(3), null];
  }
}

describe('autograd.Function', () => {
  it('records the custom backward, gradgradcheck included', () => {
    const x = f64([0.5, -1]);
    const y = Exp.apply(x) as Tensor;
    expect(y.gradFn?.name).toBe('ExpBackward');
    y.sum().backward();
    expect(vals(x.grad)).toEqual(vals(x).map(Math.exp));
    expect(autograd.gradcheck((t) => Exp.apply(t), [f64([0.1, 0.2])])).toBe(true);
    expect(autograd.gradgradcheck((t) => Exp.apply(t), [f64([0.1, 0.2])])).toBe(true);
  });

  it('takes non-tensor arguments, returns several outputs, skips non-differentiable ones', () => {
    const x = f64([1, 5, 2]);
    const [y, idx] = ScaleAndArgmax.apply(x, 3) as Tensor[];
    expect(idx.item()).toBe(1);
    expect(idx.requiresGrad).toBe(false);
    y.sum().backward();
    expect(vals(x.grad)).toEqual([3, 3, 3]);
  });

  it('materializes missing output gradients as zeros by default', () => {
    class Two extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor) {
        return [x.mul(2), x.mul(3)];
      }
      static override backward(_ctx: autograd.FunctionCtx, g1: Tensor, g2: Tensor) {
        return g1.mul(2).add(g2.mul(3));
      }
    }
    const x = f64([1]);
    const [a] = Two.apply(x) as Tensor[];
    a.sum().backward();
    expect(vals(x.grad)).toEqual([2]);
  });

  it('an input returned as is keeps its own history', () => {
    class Id extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor) {
        return x;
      }
      static override backward(_ctx: autograd.FunctionCtx, g: Tensor) {
        return g.mul(2);
      }
    }
    const x = f64([1]);
    const y = Id.apply(x) as Tensor;
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    y.sum().backward();
    expect(vals(x.grad)).toEqual([2]);
  });

  it('names the function when backward returns the wrong number of gradients', () => {
    class Bad extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, x: Tensor, _y: Tensor) {
        return x.mul(2);
      }
      static override backward(_ctx: autograd.FunctionCtx, g: Tensor) {
        return g;
      }
    }
    const x = f64([1]);
    expect(() => (Bad.apply(x, f64([2])) as Tensor).sum().backward()).toThrow(
      /Bad.backward: returned an incorrect number of gradients \(expected 2, got 1\)/,
    );
  });

  it('refuses saved tensors modified in place before backward', () => {
    class Save extends autograd.Function {
      static override forward(ctx: autograd.FunctionCtx, x: Tensor, w: Tensor) {
        ctx.saveForBackward(w);
        return x.mul(w);
      }
      static override backward(ctx: autograd.FunctionCtx, g: Tensor) {
        const [w] = ctx.savedTensors;
        return [g.mul(w), null];
      }
    }
    const x = f64([1]);
    const w = tensor([2], { dtype: 'float64' });
    const y = Save.apply(x, w) as Tensor;
    w.add_(1);
    expect(() => y.sum().backward()).toThrow(/modified by an in-place operation/);
  });
});
