// Layers, activations, losses and init statistics against PyTorch 1.13 (tools/fixtures/nn_basic.py).
import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, type Tensor, tensor, tidy, zeros } from '../index.js';
import { expectCloseTo } from './cases-fixture.js';

interface Enc {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}
interface Run {
  y: Enc;
  g: Enc;
  gx: (Enc | null)[];
  gp: Record<string, Enc>;
}

const fx = JSON.parse(readFileSync(new URL('../../fixtures/nn-basic.json', import.meta.url), 'utf8'));
const F = nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor>;

function dec(e: Enc, requiresGrad = false): Tensor {
  const t = tensor(e.data, { dtype: e.dtype }).reshape(e.shape);
  return requiresGrad ? t.detach().requiresGrad_(true) : t;
}

function close(actual: Tensor, expected: Enc, what: string, rtol = 1e-5, atol = 1e-6): void {
  expectCloseTo(what, actual, expected, rtol, atol);
}

/** Backward of sum(y * g), as the fixture script does. */
function backwardWith(y: Tensor, g: Enc): void {
  if (y.ndim === 0) y.backward();
  else y.mul(dec(g)).sum().backward();
}

function decodeOpts(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts))
    out[k] = v && typeof v === 'object' && 'shape' in v ? dec(v as Enc) : v;
  return out;
}

describe('activations match PyTorch', () => {
  for (const c of fx.activations as (Run & { name: string; opts: Record<string, unknown>; x: Enc })[]) {
    it(`${c.name} ${JSON.stringify(c.opts)}`, () => {
      const before = memory().numTensors;
      tidy(() => {
        const x = dec(c.x, true);
        const o = c.opts;
        const y =
          c.name === 'geluTanh'
            ? F.gelu(x, { approximate: 'tanh' })
            : c.name === 'leakyRelu'
              ? F.leakyRelu(x, o.negativeSlope)
              : c.name === 'elu'
                ? F.elu(x, o.alpha)
                : c.name === 'softplus'
                  ? F.softplus(x, o.beta, o.threshold)
                  : c.name === 'softmax' || c.name === 'logSoftmax'
                    ? F[c.name](x, o.dim)
                    : F[c.name](x);
        close(y, c.y, 'forward');
        backwardWith(y, c.g);
        close(x.grad!, c.gx[0]!, 'input grad', 1e-5, 1e-5);
        x.grad!.dispose();
      });
      expect(memory().numTensors).toBe(before);
    });
  }
});

describe('layers match PyTorch (weights through loadStateDict)', () => {
  const L = fx.layers;
  const check = (name: string, m: nn.Module, floatInput: boolean) => {
    const c = L[name];
    const before = memory().numTensors;
    tidy(() => {
      m.loadStateDict(
        Object.fromEntries(Object.entries(c.state as Record<string, Enc>).map(([k, v]) => [k, dec(v)])),
      );
      const x = dec(c.x, floatInput);
      const y = m.forward(x);
      close(y, c.y, `${name} forward`);
      backwardWith(y, c.g);
      if (floatInput) close(x.grad!, c.gx[0], `${name} input grad`, 1e-5, 1e-5);
      for (const [k, p] of m.namedParameters()) close(p.grad!, c.gp[k], `${name} grad ${k}`, 1e-5, 1e-5);
      m.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  };
  it('Linear on a 3-D input', () => check('linear', new nn.Linear(5, 4), true));
  it('Linear without bias', () => {
    const m = new nn.Linear(3, 2, { bias: false });
    expect(Object.keys(m.stateDict())).toEqual(['weight']);
    check('linearNoBias', m, true);
  });
  it('Embedding with paddingIdx (padding row gets no gradient)', () => {
    const m = new nn.Embedding(6, 3, { paddingIdx: 2 });
    check('embedding', m, false);
  });
});

describe('losses match PyTorch', () => {
  for (const c of fx.losses as (Run & {
    name: string;
    opts: Record<string, unknown>;
    input: Enc;
    target: Enc;
  })[]) {
    it(`${c.name} ${JSON.stringify(c.opts, (k, v) => (k === 'data' ? undefined : v))}`, () => {
      const before = memory().numTensors;
      tidy(() => {
        const x = dec(c.input, true);
        const y = F[c.name](x, dec(c.target), decodeOpts(c.opts));
        close(y, c.y, 'loss');
        backwardWith(y, c.g);
        close(x.grad!, c.gx[0]!, 'input grad', 1e-5, 1e-6);
        x.grad!.dispose();
      });
      expect(memory().numTensors).toBe(before);
    });
  }

  it('loss modules agree with the functions', () => {
    tidy(() => {
      const c = (
        fx.losses as { name: string; opts: Record<string, unknown>; input: Enc; target: Enc; y: Enc }[]
      ).find((l) => l.name === 'crossEntropy' && l.opts.labelSmoothing === 0.1 && l.opts.weight)!;
      const mod = new nn.CrossEntropyLoss(decodeOpts(c.opts));
      close(mod.forward(dec(c.input), dec(c.target)), c.y, 'CrossEntropyLoss');
    });
  });
});

describe('nn.init statistics match PyTorch', () => {
  const I = nn.init as unknown as Record<string, (t: Tensor, ...a: unknown[]) => Tensor>;
  for (const c of fx.init.cases as {
    name: string;
    shape: number[];
    args: unknown[];
    mean: number;
    std: number;
    min: number;
    max: number;
  }[]) {
    it(`${c.name}(${c.shape}, ${c.args.join(', ')})`, () => {
      manualSeed(7);
      tidy(() => {
        const t = zeros(c.shape);
        I[c.name](t, ...c.args);
        const d = t.dataSync();
        const n = d.length;
        let s = 0;
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of d) {
          s += v;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        const mean = s / n;
        let ss = 0;
        for (const v of d) ss += (v - mean) ** 2;
        const std = Math.sqrt(ss / (n - 1));
        expect(Math.abs(std - c.std) / c.std).toBeLessThan(0.03);
        expect(Math.abs(mean - c.mean)).toBeLessThan(0.05 * c.std + 1e-3);
        if (c.name.includes('niform')) {
          // bounded distributions: the extremes sit near the same bounds
          expect(Math.abs(hi - c.max)).toBeLessThan(0.02 * (c.max - c.min));
          expect(Math.abs(lo - c.min)).toBeLessThan(0.02 * (c.max - c.min));
        }
        if (c.name === 'orthogonal_') {
          const [r, k] = [c.shape[0], c.shape[1]];
          const m = t.reshape([r, k]);
          const gram = r <= k ? m.matmul(m.t()) : m.t().matmul(m);
          const g2 = (c.args[0] as number | undefined) ?? 1;
          const dim = Math.min(r, k);
          const gd = gram.dataSync();
          for (let i = 0; i < dim; i++) {
            for (let j = 0; j < dim; j++) expect(gd[i * dim + j]).toBeCloseTo(i === j ? g2 * g2 : 0, 4);
          }
        }
      });
    });
  }

  it('calculateGain', () => {
    for (const [k, v] of Object.entries(fx.init.gains as Record<string, number>)) {
      const got =
        k === 'leaky_relu_0.2' ? nn.init.calculateGain('leaky_relu', 0.2) : nn.init.calculateGain(k);
      expect(got).toBeCloseTo(v, 12);
    }
  });

  it('default initialisation of Linear and Embedding', () => {
    manualSeed(11);
    const d = fx.init.defaults;
    const lin = new nn.Linear(512, 256);
    const emb = new nn.Embedding(512, 256);
    const stat = (t: Tensor) => {
      const a = t.dataSync();
      let s = 0;
      let hi = -Infinity;
      for (const v of a) {
        s += v;
        hi = Math.max(hi, Math.abs(v));
      }
      const m = s / a.length;
      let ss = 0;
      for (const v of a) ss += (v - m) ** 2;
      return { std: Math.sqrt(ss / (a.length - 1)), absMax: hi };
    };
    for (const [t, e, bounded] of [
      [lin.weight, d.linearWeight, true],
      [lin.bias!, d.linearBias, true],
      [emb.weight, d.embedding, false],
    ] as const) {
      const s = stat(t);
      expect(Math.abs(s.std - e.std) / e.std).toBeLessThan(0.06);
      if (bounded) expect(s.absMax).toBeLessThanOrEqual(Math.max(e.max, -e.min) * 1.02);
    }
  });
});
