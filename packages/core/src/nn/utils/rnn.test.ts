// nn.utils.rnn: values from PyTorch 1.13 (noted inline), round trips, gradients and errors;
// the recurrent layers over PackedSequences are checked against PyTorch in
// nn/layers/sequence-more.fixtures.test.ts.
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

const { padSequence, packSequence, packPaddedSequence, padPackedSequence, PackedSequence } = nn.utils.rnn;
const f64 = { dtype: 'float64' as const };

describe('nn.utils.rnn', () => {
  it('packSequence: data step by step, batchSizes (PyTorch: [1, 4, 2, 5, 3], [2, 2, 1])', () => {
    tidy(() => {
      const p = packSequence([tensor([1, 2, 3]), tensor([4, 5])]);
      expect(p.data.toArray()).toEqual([1, 4, 2, 5, 3]);
      expect(p.batchSizes.dtype).toBe('int64');
      expect(p.batchSizes.toArray()).toEqual([2, 2, 1]);
      expect([p.sortedIndices, p.unsortedIndices]).toEqual([null, null]);
      const [data, batchSizes, sorted, unsorted] = p;
      expect([data, batchSizes, sorted, unsorted]).toEqual([p.data, p.batchSizes, null, null]);
      expect(p.toString()).toBe(
        'PackedSequence(data=tensor([1., 4., 2., 5., 3.]), batch_sizes=tensor([2, 2, 1]), sorted_indices=None, unsorted_indices=None)',
      );
    });
  });

  it('packPaddedSequence sorts unsorted lengths stably (PyTorch: sorted [1, 0, 2]) and padPackedSequence undoes it', () => {
    tidy(() => {
      const x = randn([4, 3, 2]);
      const p = packPaddedSequence(x, [2, 4, 1], { enforceSorted: false });
      expect(p.sortedIndices!.toArray()).toEqual([1, 0, 2]);
      expect(p.unsortedIndices!.toArray()).toEqual([1, 0, 2]);
      expect(p.batchSizes.toArray()).toEqual([3, 2, 1, 1]);
      const [padded, lengths] = padPackedSequence(p, { totalLength: 5 });
      expect(padded.shape).toEqual([5, 3, 2]);
      expect(lengths.toArray()).toEqual([2, 4, 1]);
      // valid steps round-trip, the rest is padding
      const xs = x.toArray() as number[][][];
      const ps = padded.toArray() as number[][][];
      const lens = [2, 4, 1];
      for (let t = 0; t < 5; t++)
        for (let b = 0; b < 3; b++) expect(ps[t][b]).toEqual(t < lens[b] ? xs[t][b] : [0, 0]);
      const ties = packPaddedSequence(randn([3, 6, 1]), [2, 3, 3, 1, 3, 2], false, false);
      expect(ties.sortedIndices!.toArray()).toEqual([1, 2, 4, 0, 5, 3]);
    });
  });

  it('batchFirst and paddingValue', () => {
    tidy(() => {
      const a = tensor([[1, 1]]);
      const b = tensor([
        [2, 2],
        [3, 3],
      ]);
      const padded = padSequence([a, b], true, -1);
      expect(padded.toArray()).toEqual([
        [
          [1, 1],
          [-1, -1],
        ],
        [
          [2, 2],
          [3, 3],
        ],
      ]);
      expect(padSequence([a, b]).shape).toEqual([2, 2, 2]);
      const p = packPaddedSequence(padded, tensor([1, 2], { dtype: 'int64' }), {
        batchFirst: true,
        enforceSorted: false,
      });
      const [back, lens] = padPackedSequence(p, true, 9);
      expect(back.toArray()).toEqual([
        [
          [1, 1],
          [9, 9],
        ],
        [
          [2, 2],
          [3, 3],
        ],
      ]);
      expect(lens.toArray()).toEqual([1, 2]);
    });
  });

  it('gradients flow through packing and unpacking (gradcheck)', () => {
    manualSeed(9);
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([3, 2, 2], f64).requiresGrad_(true);
      const fn = (x: Tensor) => {
        const p = packPaddedSequence(x, [3, 1]);
        return padPackedSequence(p)[0].mul(2).add(p.data.sum());
      };
      expect(gradcheck(fn, [x])).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('LSTM over a PackedSequence: gradcheck over the padded input and the states', () => {
    manualSeed(10);
    const lstm = new nn.LSTM(2, 2, { bidirectional: true, dtype: 'float64' });
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([3, 3, 2], f64).requiresGrad_(true);
      const h0 = randn([2, 3, 2], f64).requiresGrad_(true);
      const fn = (x: Tensor, h: Tensor) => {
        const [out, [hN, cN]] = lstm.forward(packPaddedSequence(x, [2, 3, 1], { enforceSorted: false }), [
          h,
          h,
        ]);
        return [out.data, hN, cN];
      };
      expect(gradcheck(fn, [x, h0])).toBe(true);
      lstm.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });

  it('GRU over a PackedSequence: gradgradcheck', () => {
    manualSeed(12);
    const gru = new nn.GRU(2, 2, { dtype: 'float64' });
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([3, 2, 2], f64).requiresGrad_(true);
      const fn = (x: Tensor) => {
        const [out, h] = gru.forward(packPaddedSequence(x, [3, 2]));
        return [out.data, h];
      };
      expect(gradgradcheck(fn, [x])).toBe(true);
      gru.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });

  it('a packed batch gives each sequence the result of running it alone', () => {
    manualSeed(11);
    tidy(() => {
      const gru = new nn.GRU(2, 3, { numLayers: 2, bidirectional: true });
      const seqs = [randn([2, 2]), randn([4, 2]), randn([3, 2])];
      const [out, hN] = gru.forward(packSequence(seqs, { enforceSorted: false }));
      const [padded] = padPackedSequence(out);
      for (const [b, s] of seqs.entries()) {
        const [o1, h1] = gru.forward(s);
        const mine = padded.narrow(1, b, 1).squeeze(1).narrow(0, 0, s.shape[0]);
        expect(mine.sub(o1).abs().max().item()).toBeLessThan(1e-6);
        expect(hN.narrow(1, b, 1).squeeze(1).sub(h1).abs().max().item()).toBeLessThan(1e-6);
      }
    });
  });

  it('refuses what PyTorch refuses (and lengths past the input, which PyTorch reads silently)', () => {
    tidy(() => {
      const x = randn([4, 3, 2]);
      expect(() => packPaddedSequence(x, [3, 4, 1])).toThrow(
        /`lengths` array must be sorted in decreasing order when `enforce_sorted` is True/,
      );
      expect(() => packPaddedSequence(x, [3, 0, 1], { enforceSorted: false })).toThrow(
        /Length of all samples has to be greater than 0/,
      );
      expect(() => packPaddedSequence(x, [3, 1])).toThrow(
        'packPaddedSequence: Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)',
      );
      expect(() => packPaddedSequence(x, [5, 4, 1])).toThrow(/a length of 5 exceeds the 4 steps/);
      const p = packPaddedSequence(x, [4, 2, 1]);
      expect(() => padPackedSequence(p, { totalLength: 3 })).toThrow(
        /Expected total_length to be at least the length of the longest sequence in input, but got total_length=3 and max sequence length being 4/,
      );
      expect(() => padSequence([randn([2, 3]), randn([4, 2])])).toThrow(/every sequence must be \[L, 3\]/);
      expect(() => new nn.LSTM(3, 4).forward(p)).toThrow(
        /packed data must be \[sum\(lengths\), 3\], got \[7,2\]/,
      );
      expect(() => new nn.GRU(2, 4).forward(p, randn([3, 4]))).toThrow(
        /with a PackedSequence, hx must be 3-D/,
      );
      expect(() => new PackedSequence(randn([3, 2]), tensor([2, 2], { dtype: 'int64' }))).toThrow(
        /PackedSequence: data \[3,2\] must have sum\(batchSizes\) = 4 rows/,
      );
    });
  });
});
