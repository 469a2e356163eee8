import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { noGrad, type Tensor, tensor } from '../index.js';
import { Adadelta } from './adadelta.js';
import { Adamax } from './adamax.js';
import { ASGD } from './asgd.js';
import { NAdam } from './nadam.js';
import { RAdam } from './radam.js';
import { Rprop } from './rprop.js';

// Defaults, PyTorch's positional order, and PyTorch's argument checks of the optimizers of
// issue 13 (their update rules are checked against PyTorch's trajectories in optimizers.test.ts).

function param(): Tensor {
  return tensor([1, -2], { requiresGrad: true });
}

describe("PyTorch 1.13's defaults and positional parameters", () => {
  it('Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach, *, maximize)', () => {
    const w = param();
    expect(new Adadelta([w]).defaults).toEqual({
      lr: 1,
      rho: 0.9,
      eps: 1e-6,
      weightDecay: 0,
      maximize: false,
    });
    expect(new Adadelta([w], 0.5, 0.8, 1e-5, 0.1).defaults).toEqual({
      lr: 0.5,
      rho: 0.8,
      eps: 1e-5,
      weightDecay: 0.1,
      maximize: false,
    });
    expect(new Adadelta([w], 0.5, { maximize: true }).defaults.maximize).toBe(true);
    // maximize is keyword-only in PyTorch: the 6th positional does not exist.
    expect(() => new (Adadelta as any)([w], 1, 0.9, 1e-6, 0, null, true)).toThrow(/positional/);
    w.dispose();
  });

  it('Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach, *, maximize)', () => {
    const w = param();
    expect(new Adamax([w]).defaults).toEqual({
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      maximize: false,
    });
    expect(new Adamax([w], 0.1, [0.5, 0.6]).defaults.betas).toEqual([0.5, 0.6]);
    w.dispose();
  });

  it('NAdam(params, lr=2e-3, betas, eps=1e-8, weight_decay=0, momentum_decay=4e-3, foreach): no maximize in 1.13', () => {
    const w = param();
    expect(new NAdam([w]).defaults).toEqual({
      lr: 2e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      momentumDecay: 4e-3,
    });
    expect(new NAdam([w], 0.01, [0.8, 0.9], 1e-6, 0.1, 0.01).defaults.momentumDecay).toBe(0.01);
    expect(() => new NAdam([w], { maximize: true } as never)).toThrow("NAdam: unknown option 'maximize'");
    w.dispose();
  });

  it('RAdam(params, lr=1e-3, betas, eps=1e-8, weight_decay=0, foreach): no maximize in 1.13', () => {
    const w = param();
    expect(new RAdam([w]).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(() => new RAdam([w], { maximize: true } as never)).toThrow("RAdam: unknown option 'maximize'");
    w.dispose();
  });

  it('Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), foreach, maximize): maximize positional', () => {
    const w = param();
    expect(new Rprop([w]).defaults).toEqual({
      lr: 1e-2,
      etas: [0.5, 1.2],
      stepSizes: [1e-6, 50],
      maximize: false,
    });
    const r = new Rprop([w], 0.1, [0.4, 1.3], [1e-4, 1], null, true);
    expect(r.defaults).toEqual({ lr: 0.1, etas: [0.4, 1.3], stepSizes: [1e-4, 1], maximize: true });
    w.dispose();
  });

  it('ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach, maximize)', () => {
    const w = param();
    expect(new ASGD([w]).defaults).toEqual({
      lr: 1e-2,
      lambd: 1e-4,
      alpha: 0.75,
      t0: 1e6,
      weightDecay: 0,
      maximize: false,
    });
    expect(new ASGD([w], 0.1, 1e-3, 0.5, 10, 0.01, null, true).defaults).toEqual({
      lr: 0.1,
      lambd: 1e-3,
      alpha: 0.5,
      t0: 10,
      weightDecay: 0.01,
      maximize: true,
    });
    w.dispose();
  });
});

describe("PyTorch's argument checks", () => {
  it('refuses what PyTorch refuses, naming the value', () => {
    const w = param();
    expect(() => new Adadelta([w], { rho: 1.5 })).toThrow('Adadelta: invalid rho value 1.5');
    expect(() => new Adadelta([w], { lr: -1 })).toThrow('Adadelta: invalid learning rate -1');
    expect(() => new Adamax([w], { betas: [0.9, 1] })).toThrow(
      'Adamax: invalid beta parameter at index 1: 1',
    );
    expect(() => new NAdam([w], { momentumDecay: -1 })).toThrow('NAdam: invalid momentum_decay value -1');
    expect(() => new RAdam([w], { weightDecay: -0.1 })).toThrow('RAdam: invalid weight_decay value -0.1');
    expect(() => new Rprop([w], { etas: [1.2, 0.5] })).toThrow('Rprop: invalid eta values [1.2, 0.5]');
    expect(() => new Rprop([w], { etas: [0.5] } as never)).toThrow(
      "Rprop: option 'etas' must be a pair of numbers",
    );
    expect(() => new ASGD([w], { weightDecay: -1 })).toThrow('ASGD: invalid weight_decay value -1');
    expect(() => new ASGD([w], { lambda: 1 } as never)).toThrow("ASGD: unknown option 'lambda'");
    w.dispose();
  });
});

describe('state semantics', () => {
  it("Rprop's lr only sets the initial step sizes, as in PyTorch", () => {
    const w = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    const opt = new Rprop([w], { lr: 0.1 });
    const step = (g: number[]) => {
      noGrad(() => {
        w.grad?.dispose();
        w.grad = tensor(g, { dtype: 'float64' });
      });
      opt.step();
    };
    step([1, -1]);
    expect(Array.from(w.dataSync())).toEqual([-0.1, 0.1]);
    opt.paramGroups[0].lr = 100; // e.g. a scheduler: no effect on Rprop's step sizes
    step([1, 1]); // same sign: 0.1 * 1.2; flipped: 0.1 * 0.5 and no move
    expect(Array.from(w.dataSync())).toEqual([-0.1 - 0.1 * 1.2, 0.1]);
    expect(Array.from((opt.state.get(w)!.stepSize as Tensor).dataSync())).toEqual([0.1 * 1.2, 0.1 * 0.5]);
    step([1, 1]); // the flipped element counts as "no sign" now: its step size stays
    expect(Array.from((opt.state.get(w)!.stepSize as Tensor).dataSync())).toEqual([0.1 * 1.2 * 1.2, 0.05]);
    opt.disposeState();
    opt.zeroGrad();
    w.dispose();
  });

  it("ASGD's average ax starts at step t0 and its eta and mu are float32 scalars, as in PyTorch", () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new ASGD([w], { lr: 0.1, t0: 1 });
    for (let i = 0; i < 3; i++) {
      noGrad(() => {
        w.grad?.dispose();
        w.grad = tensor([1], { dtype: 'float64' });
      });
      opt.step();
    }
    const s = opt.state.get(w)!;
    expect(s.step).toBe(3);
    expect(s.mu).toBe(Math.fround(1 / 2));
    expect(s.eta).toBe(Math.fround(0.1 / (1 + 1e-4 * 0.1 * 3) ** 0.75));
    opt.disposeState();
    opt.zeroGrad();
    w.dispose();
  });
});
