import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  gradcheck,
  gradgradcheck,
  manualSeed,
  memory,
  nn,
  randn,
  type Tensor,
  tensor,
  tidy,
} from '../../index.js';

const F = nn.functional;
const f64 = { dtype: 'float64' as const };
const i64 = { dtype: 'int64' as const };

describe('F.embeddingBag / nn.EmbeddingBag', () => {
  for (const mode of ['sum', 'mean', 'max'] as const) {
    it(`gradcheck of the weight (${mode}, padding and an empty bag)`, () => {
      manualSeed(2);
      const before = memory().numTensors;
      tidy(() => {
        const w = randn([5, 3], f64).requiresGrad_(true);
        const idx = tensor([0, 4, 2, 2, 1, 3, 4], i64);
        const off = tensor([0, 3, 3, 5], i64);
        const fn = (w: Tensor) => F.embeddingBag(idx, w, off, { mode, paddingIdx: 3 });
        expect(gradcheck(fn, [w])).toBe(true);
        if (mode !== 'max') expect(gradgradcheck(fn, [w])).toBe(true);
      });
      expect(memory().numTensors).toBe(before);
    });
  }

  it('gradcheck of perSampleWeights (sum)', () => {
    tidy(() => {
      const w = randn([4, 2], f64).requiresGrad_(true);
      const psw = randn([2, 3], f64).requiresGrad_(true);
      const idx = tensor(
        [
          [0, 1, 3],
          [2, 2, 0],
        ],
        i64,
      );
      expect(
        gradcheck((w, p) => F.embeddingBag(idx, w, null, { mode: 'sum', perSampleWeights: p }), [w, psw]),
      ).toBe(true);
    });
  });

  it("max sends the gradient to the first maximum on ties, as PyTorch's", () => {
    tidy(() => {
      const w = tensor([
        [1, 5],
        [1, 2],
      ]).requiresGrad_(true);
      F.embeddingBag(tensor([1, 0], i64), w, tensor([0], i64), { mode: 'max' })
        .sum()
        .backward();
      expect(w.grad!.toArray()).toEqual([
        [0, 1],
        [1, 0],
      ]);
    });
  });

  it('refuses what PyTorch refuses, naming it', () => {
    tidy(() => {
      const w = randn([5, 3]);
      const idx = tensor([0, 1, 2], i64);
      expect(() => F.embeddingBag(idx, w, tensor([1], i64))).toThrow(
        /embeddingBag: offsets\[0\] has to be 0.*However, got 1/,
      );
      expect(() => F.embeddingBag(idx, w)).toThrow(
        'embeddingBag: offsets has to be a 1D Tensor but got None',
      );
      expect(() => F.embeddingBag(idx.reshape([1, 3]), w, tensor([0], i64))).toThrow(
        /if input is 2D, then offsets has to be None/,
      );
      expect(() => F.embeddingBag(idx, w, tensor([0], i64), { perSampleWeights: randn([3]) })).toThrow(
        /perSampleWeights is only supported for mode='sum' \(got mode='mean'\)/,
      );
      expect(() => F.embeddingBag(tensor([0, 7], i64), w, tensor([0], i64))).toThrow(
        'embeddingBag: index 7 is out of range for weight [5,3]',
      );
      expect(() => F.embeddingBag(idx, w, tensor([0, 2, 1], i64))).toThrow(/offsets must be non-decreasing/);
      expect(() => new nn.EmbeddingBag(5, 3, { maxNorm: 1 as never })).toThrow(/maxNorm .* is not supported/);
    });
  });

  it("EmbeddingBag(num, dim, maxNorm, normType, scaleGradByFreq, mode, …) as PyTorch's; fromPretrained shares and freezes", () => {
    const bag = new nn.EmbeddingBag(5, 3, null, 2, false, 'max', false, null, true, 1);
    expect([bag.mode, bag.includeLastOffset, bag.paddingIdx]).toEqual(['max', true, 1]);
    expect([...bag.weight.dataSync().slice(3, 6)]).toEqual([0, 0, 0]);
    expect(bag.toString()).toBe('EmbeddingBag(5, 3, mode=max, padding_idx=1)');
    const w = randn([4, 2]);
    const frozen = nn.EmbeddingBag.fromPretrained(w, { mode: 'sum' });
    expect([frozen.weight.requiresGrad, frozen.mode, frozen.weight.shape]).toEqual([false, 'sum', [4, 2]]);
    expect(nn.EmbeddingBag.fromPretrained(w, false).weight.requiresGrad).toBe(true);
  });
});

describe('Embedding.fromPretrained', () => {
  it('uses the tensor as the weight (no re-init, padding row kept), frozen by default', () => {
    tidy(() => {
      const w = tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const e = nn.Embedding.fromPretrained(w, { paddingIdx: 1 });
      expect([e.weight.requiresGrad, e.paddingIdx, e.numEmbeddings, e.embeddingDim]).toEqual([
        false,
        1,
        3,
        2,
      ]);
      expect(e.weight.toArray()).toEqual(w.toArray());
      expect(e.forward(tensor([1, 2], i64)).toArray()).toEqual([
        [3, 4],
        [5, 6],
      ]);
      const t = nn.Embedding.fromPretrained(w, false, 0);
      expect([t.weight.requiresGrad, t.paddingIdx]).toEqual([true, 0]);
      expect(() => nn.Embedding.fromPretrained(tensor([1, 2]))).toThrow(
        /Embedding.fromPretrained: Embeddings parameter is expected to be 2-dimensional, got \[2\]/,
      );
      expect(() => nn.Embedding.fromPretrained(w, { freze: true } as never)).toThrow(
        /Embedding.fromPretrained: unknown option 'freze' \(did you mean 'freeze'\?\)/,
      );
    });
  });
});
