import { full, nn, ones, type Tensor, tensor, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

// The contract-v2 losses and sequence composites on each backend (core builds CTC's alpha
// recursion from gathers, logaddexp and where; the margin losses from elementwise ops and
// reductions; EmbeddingBag from indexSelect/indexAdd; packed sequences from indexSelect and
// masked recurrences): closed-form values and gradient identities, with the accumulations at
// 2^17 elements.

const F = nn.functional;
const i64 = { dtype: 'int64' as const };

/** Uniform log-probabilities log(1/C) of shape [T, N, C], requiring grad. */
function uniform(T: number, N: number, C: number): Tensor {
  return full([T, N, C], -Math.log(C)).requiresGrad_(true);
}

export const nnSequenceLossCases: ConformanceCase[] = [
  tcase('nnseqloss/ctcLoss/uniform-closed-form-and-gradient', (t) => {
    // With uniform probabilities every path has probability C^-T; a single label has
    // T(T+1)/2 alignments (one contiguous run); two distinct labels in 4 frames have C(6, 4) = 15
    // (blank runs a, b, c ≥ 0 and label runs p, q ≥ 1 with a + p + b + q + c = 4).
    const lp = uniform(3, 2, 2);
    const loss = F.ctcLoss(
      lp,
      tensor(
        [
          [1, 0],
          [1, 1],
        ],
        i64,
      ),
      [3, 3],
      [1, 2],
      { reduction: 'none' },
    );
    // [1, 1] in 3 frames needs a blank between: only 1 0 1.
    t.close(loss, [3 * Math.log(2) - Math.log(6), 3 * Math.log(2)]);
    loss.sum().backward();
    // PyTorch's convention: the gradient is exp(lp) - occupancy, which sums to 0 over classes.
    t.close(
      lp.grad!.sum(2),
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      'per-step gradient sums',
    );
    // 1 0 1: class 1 is certain at steps 0 and 2, blank at step 1 (gradient 0.5 - 1 = -0.5).
    t.close(
      lp.grad!.narrow(1, 1, 1).squeeze(1),
      [
        [0.5, -0.5],
        [-0.5, 0.5],
        [0.5, -0.5],
      ],
      'gradient of the forced path',
    );
    const two = F.ctcLoss(uniform(4, 1, 3), tensor([1, 2], i64), [4], [2], { reduction: 'sum' });
    t.close(two, 4 * Math.log(3) - Math.log(15), 'two labels, 4 frames');
  }),
  tcase('nnseqloss/ctcLoss/131072-log-probs', (t) => {
    // [64, 32, 64] = 2^17 log-probabilities; one label per sample: 64·65/2 alignments of 64^-64 each.
    const lp = uniform(64, 32, 64);
    const targets = tensor(
      Array.from({ length: 32 }, (_, n) => 1 + (n % 63)),
      i64,
    );
    const loss = F.ctcLoss(lp, targets, new Array(32).fill(64), new Array(32).fill(1), { reduction: 'sum' });
    t.close(loss, 32 * (64 * Math.log(64) - Math.log((64 * 65) / 2)));
    loss.backward();
    t.close(lp.grad!.sum(2).abs().amax(), 0, 'each step gradient sums to 0 over the classes');
    // The label's occupancy at step t is (t + 1)(T - t) / (T(T + 1)/2): runs covering t.
    // (A float32 recursion over 64 steps: checked to 2e-5, looser than the backend's float32 tolerance.)
    const at = (s: number) => 1 / 64 - ((s + 1) * (64 - s)) / 2080;
    t.read(lp.grad!.narrow(1, 0, 1).narrow(2, 1, 1).reshape([64]), (g) => {
      for (const s of [0, 31, 32, 63]) {
        t.ok(Math.abs(g[s] - at(s)) < 2e-5, `label gradient at step ${s}: ${g[s]}, expected ${at(s)}`);
      }
    });
  }),
  tcase('nnseqloss/margin/131072-means', (t) => {
    // 2^17 zeros: softMargin log 2 each; multilabelSoftMargin log 2 per class; hinge with
    // target -1 and margin 1: 1 each; marginRanking with equal inputs and margin 0.5: 0.5.
    const x = zeros([256, 512]);
    const y = ones([256, 512]);
    t.close(F.softMarginLoss(x, y), Math.log(2), 'softMarginLoss');
    t.close(F.multilabelSoftMarginLoss(x, y), Math.log(2), 'multilabelSoftMarginLoss');
    t.close(F.hingeEmbeddingLoss(x, y.neg()), 1, 'hingeEmbeddingLoss');
    t.close(F.marginRankingLoss(x, x, y, 0.5), 0.5, 'marginRankingLoss');
    // cos(a, a) = 1: loss 0 for target 1, 1 - 0.2 = 0.8 for target -1 (margin 0.2).
    const a = full([131072 / 64, 64], 0.5);
    const tgt = tensor(Float32Array.from({ length: 131072 / 64 }, (_, i) => (i % 2 ? -1 : 1)));
    t.close(F.cosineEmbeddingLoss(a, a, tgt, 0.2), 0.4, 'cosineEmbeddingLoss');
    t.close(F.poissonNllLoss(x, y), 1, 'poissonNllLoss: exp(0) - 1·0');
    t.close(F.gaussianNllLoss(x, y, ones([256, 512])), 0.5, 'gaussianNllLoss: ½(log 1 + 1)');
  }),
  tcase('nnseqloss/margin/multi-class-closed-form', (t) => {
    const x = f32([
      [0.1, 0.2, 0.4],
      [1, 0, 0],
    ]).requiresGrad_(true);
    // sample 0 (y = 2): (1 - 0.4 + 0.1) + (1 - 0.4 + 0.2) = 1.5, /3; sample 1 (y = 0): 0 + 0.
    const mm = F.multiMarginLoss(x, tensor([2, 0], i64), { reduction: 'none' });
    t.close(mm, [0.5, 0]);
    // targets {2} and {0, 1}: sample 0 sums over i ∈ {0, 1}; sample 1 over i = 2 for j ∈ {0, 1}.
    const ml = F.multilabelMarginLoss(
      x,
      tensor(
        [
          [2, -1, 0],
          [0, 1, -1],
        ],
        i64,
      ),
      { reduction: 'none' },
    );
    t.close(ml, [1.5 / 3, (1 - 1 + 0 + (1 - 0 + 0)) / 3]);
    mm.sum().add(ml.sum()).backward();
    t.close(
      x.grad!,
      [
        [2 / 3, 2 / 3, -4 / 3],
        [-0, -1 / 3, 1 / 3],
      ],
      'gradient',
    );
    const tr = F.tripletMarginLoss(f32([[0, 0]]), f32([[3, 4]]), f32([[0, 1]]), { eps: 0 });
    t.close(tr, 5, 'tripletMarginLoss: 1 + 5 - 1');
  }),
  tcase('nnseqloss/embeddingBag/131072-indices', (t) => {
    // 2^17 indices into a weight whose row r is r: 16 bags of 8192 indices 0..7 repeated.
    const w = tensor(Float32Array.from({ length: 8 * 4 }, (_, i) => Math.floor(i / 4)))
      .reshape([8, 4])
      .requiresGrad_(true);
    const idx = tensor(Int32Array.from({ length: 131072 }, (_, i) => i % 8));
    const offsets = tensor(Int32Array.from({ length: 16 }, (_, b) => b * 8192));
    const s = F.embeddingBag(idx, w, offsets, { mode: 'sum' });
    t.close(s.narrow(0, 0, 1), [[28 * 1024, 28 * 1024, 28 * 1024, 28 * 1024]], 'sum');
    t.close(F.embeddingBag(idx, w, offsets).narrow(0, 5, 1), [[3.5, 3.5, 3.5, 3.5]], 'mean');
    const few = idx.narrow(0, 0, 64);
    t.close(
      F.embeddingBag(few, w, tensor([0, 3, 40], i64), { mode: 'max' }),
      [
        [2, 2, 2, 2],
        [7, 7, 7, 7],
        [7, 7, 7, 7],
      ],
      'max',
    );
    s.sum().backward();
    t.close(
      w.grad!.narrow(0, 0, 2),
      [
        [16384, 16384, 16384, 16384],
        [16384, 16384, 16384, 16384],
      ],
      'weight gradient counts',
    );
  }),
  tcase('nnseqloss/packed/rnn-matches-each-sequence-alone', (t) => {
    // RNN with weight_ih = 0.5·1, weight_hh = 0, biases 0: h_t = tanh(0.5·Σ x_t), each sequence
    // to its own end; padPackedSequence restores the batch order and pads with 0.
    const rnn = new nn.RNN(2, 1);
    rnn.loadStateDict({
      weight_ih_l0: f32([[0.5, 0.5]]),
      weight_hh_l0: f32([[0]]),
      bias_ih_l0: f32([0]),
      bias_hh_l0: f32([0]),
    });
    const x = f32([
      [
        [1, 1],
        [2, 0],
        [0, 0],
      ],
      [
        [0, 2],
        [1, 1],
        [0, 0],
      ],
      [
        [3, 1],
        [0, 0],
        [0, 0],
      ],
    ]);
    const packed = nn.utils.rnn.packPaddedSequence(x, [3, 2, 1], { enforceSorted: false });
    const [out, h] = rnn.forward(packed);
    const [padded, lens] = nn.utils.rnn.padPackedSequence(out);
    const th = Math.tanh;
    t.close(padded.squeeze(2), [
      [th(1), th(1), 0],
      [th(1), th(1), 0],
      [th(2), 0, 0],
    ]);
    t.equal(lens, [3, 2, 1], 'lengths');
    t.close(h, [[[th(2)], [th(1)], [0]]], 'final states at each end');
    for (const p of rnn.parameters()) p.dispose();
  }),
];
