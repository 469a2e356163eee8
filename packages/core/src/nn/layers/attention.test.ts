import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, type Tensor, tensor, tidy } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { runSequenceCase, sequenceCases } from '../sequence-fixture.js';

const f64 = { dtype: 'float64' as const };

describe('MultiheadAttention matches PyTorch (fixtures/nn-sequence.json)', () => {
  for (const c of sequenceCases('mha/')) it(c.name, () => runSequenceCase(c));
});

describe('MultiheadAttention', () => {
  it('passes gradcheck (inputs and weights, with key padding and causal masks)', () => {
    manualSeed(4);
    const mha = new nn.MultiheadAttention(4, 2, { dtype: 'float64' });
    const before = memory().numTensors;
    tidy(() => {
      const q = randn([3, 1, 4], f64).requiresGrad_(true);
      const kv = randn([3, 1, 4], f64).requiresGrad_(true);
      const keyPaddingMask = tensor([[false, false, true]]);
      const fn = (a: Tensor, b: Tensor) => {
        const [out, w] = mha.forward(a, b, b, { keyPaddingMask, isCausal: true });
        return [out, w!];
      };
      expect(gradchecks(fn, [q, kv, ...mha.parameters()])).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('uses q/k/v_proj_weight when kdim or vdim differ, and drops weights on request', () => {
    tidy(() => {
      const mha = new nn.MultiheadAttention(6, 2, { kdim: 3, vdim: 5, batchFirst: true });
      expect(Object.keys(mha.stateDict())).toEqual([
        'q_proj_weight',
        'k_proj_weight',
        'v_proj_weight',
        'in_proj_bias',
        'out_proj.weight',
        'out_proj.bias',
      ]);
      const [out, w] = mha.forward(randn([2, 4, 6]), randn([2, 7, 3]), randn([2, 7, 5]), {
        needWeights: false,
      });
      expect(out.shape).toEqual([2, 4, 6]);
      expect(w).toBeNull();
    });
  });

  it('gives zero weights, not NaN, to a query whose keys are all masked', () => {
    tidy(() => {
      const mha = new nn.MultiheadAttention(4, 1);
      const x = randn([2, 4]); // unbatched [L, E]
      const [out, w] = mha.forward(x, x, x, {
        attnMask: tensor([
          [true, true],
          [false, true],
        ]),
      });
      expect([...w!.dataSync()]).toEqual([0, 0, 1, 0]);
      expect([...out.dataSync()].every(Number.isFinite)).toBe(true);
    });
  });

  it('reports mask shape errors', () => {
    const mha = new nn.MultiheadAttention(4, 2);
    const x = randn([3, 2, 4]);
    expect(() => mha.forward(x, x, x, { attnMask: randn([3, 4]) })).toThrow(
      /2D attnMask is \[3,4\], but should be \[3, 3\]/,
    );
    expect(() => mha.forward(x, x, x, { keyPaddingMask: tensor([[true]]) })).toThrow(
      /keyPaddingMask of shape \[2,3\]/,
    );
    expect(() => new nn.MultiheadAttention(5, 2)).toThrow(/divisible/);
  });
});

describe('generateSquareSubsequentMask', () => {
  it('is -inf above the diagonal, as PyTorch', () => {
    expect(nn.generateSquareSubsequentMask(3).toArray()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
  });
});
