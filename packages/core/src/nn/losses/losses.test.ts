// The losses of contract v2: gradcheck and gradgradcheck (float64), PyTorch's positional
// order in the constructors, CTC's infinite losses, and the errors.
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

/** gradcheck (and gradgradcheck) of `fn` over fresh float64 inputs, leaking nothing. */
function check(name: string, make: () => Tensor[], fn: (...x: Tensor[]) => Tensor, second = true): void {
  it(name, () => {
    manualSeed(11);
    const before = memory().numTensors;
    tidy(() => {
      const xs = make().map((x) => x.detach().requiresGrad_(true));
      expect(gradcheck(fn, xs)).toBe(true);
      if (second) expect(gradgradcheck(fn, xs)).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });
}

// Fixed operands (the same values on every evaluation of the function).
const signs = () => tensor([1, -1, -1, 1], f64);
const labels = () => tensor([2, 0, 1, 2], i64);

describe('gradcheck / gradgradcheck of the losses', () => {
  check(
    'cosineEmbeddingLoss',
    () => [randn([4, 3], f64), randn([4, 3], f64)],
    (a, b) => F.cosineEmbeddingLoss(a, b, signs(), { margin: -0.2, reduction: 'none' }),
  );
  check(
    'marginRankingLoss',
    () => [randn([4], f64), randn([4], f64)],
    (a, b) => F.marginRankingLoss(a, b, signs(), 0.1),
  );
  check(
    'tripletMarginLoss (p = 2 and p = 3, swap)',
    () => [randn([4, 3], f64), randn([4, 3], f64), randn([4, 3], f64)],
    (a, p, n) =>
      F.tripletMarginLoss(a, p, n, { margin: 4, reduction: 'none' }).add(
        F.tripletMarginLoss(a, p, n, { margin: 4, p: 3, swap: true }),
      ),
  );
  check(
    'hingeEmbeddingLoss',
    () => [randn([4], f64)],
    (x) => F.hingeEmbeddingLoss(x, signs(), { margin: 0.5, reduction: 'sum' }),
  );
  check(
    'softMarginLoss',
    () => [randn([4], f64)],
    (x) => F.softMarginLoss(x, signs()),
  );
  check(
    'multilabelSoftMarginLoss',
    () => [randn([2, 3], f64)],
    (x) =>
      F.multilabelSoftMarginLoss(
        x,
        tensor(
          [
            [1, 0, 1],
            [0, 0, 1],
          ],
          f64,
        ),
        tensor([1, 2, 0.5], f64),
      ),
  );
  check(
    'multilabelMarginLoss',
    () => [randn([2, 3], f64).mul(3)],
    (x) =>
      F.multilabelMarginLoss(
        x,
        tensor(
          [
            [2, -1, 0],
            [0, 1, -1],
          ],
          i64,
        ),
        { reduction: 'none' },
      ),
  );
  check(
    'multiMarginLoss (p = 1 and p = 2 with weight)',
    () => [randn([4, 3], f64)],
    (x) =>
      F.multiMarginLoss(x, labels(), { reduction: 'none' }).add(
        F.multiMarginLoss(x, labels(), 2, 0.8, tensor([1, 2, 3], f64)),
      ),
  );
  check(
    'poissonNllLoss (log input, and rates with full)',
    () => [randn([2, 3], f64), randn([2, 3], f64).abs().add(0.5)],
    (x, r) =>
      F.poissonNllLoss(
        x,
        tensor(
          [
            [0, 1, 2],
            [3, 4, 5],
          ],
          f64,
        ),
      ).add(
        F.poissonNllLoss(
          r,
          tensor(
            [
              [0, 1, 2],
              [3, 4, 5],
            ],
            f64,
          ),
          false,
          true,
        ),
      ),
  );
  check(
    'gaussianNllLoss (input, target and var)',
    () => [randn([3, 2], f64), randn([3, 2], f64), randn([3], f64).abs().add(0.2)],
    (x, y, v) => F.gaussianNllLoss(x, y, v, { full: true, reduction: 'sum' }),
  );
  check(
    'ctcLoss through logSoftmax (padded targets, blank 3)',
    () => [randn([5, 2, 4], f64)],
    (x) =>
      F.ctcLoss(
        x.logSoftmax(2),
        tensor(
          [
            [1, 1, 2],
            [0, 2, 0],
          ],
          i64,
        ),
        [5, 4],
        [3, 2],
        { blank: 3 },
      ),
  );
  check(
    'ctcLoss through logSoftmax (concatenated targets, sum)',
    () => [randn([4, 2, 3], f64)],
    (x) => F.ctcLoss(x.logSoftmax(2), tensor([1, 2, 2], i64), [4, 3], [2, 1], 0, 'sum'),
  );
});

describe('ctcLoss', () => {
  it('takes lengths as int tensors or arrays, int32 or int64 targets', () => {
    tidy(() => {
      const lp = randn([5, 2, 4], f64).logSoftmax(2);
      const a = F.ctcLoss(
        lp,
        tensor(
          [
            [1, 2],
            [3, 0],
          ],
          i64,
        ),
        tensor([5, 3], i64),
        tensor([2, 1], i64),
      );
      const b = F.ctcLoss(
        lp,
        tensor(
          [
            [1, 2],
            [3, 0],
          ],
          { dtype: 'int32' },
        ),
        [5, 3],
        [2, 1],
      );
      expect(b.item()).toBe(a.item());
    });
  });

  it("gives an infinite loss with NaN gradients for an impossible alignment, as PyTorch's (zeroInfinity: 0)", () => {
    tidy(() => {
      const x = randn([2, 2, 3], f64).requiresGrad_(true);
      const targets = tensor(
        [
          [1, 1],
          [2, 0],
        ],
        i64,
      );
      const loss = F.ctcLoss(x, targets, [2, 2], [2, 1], { reduction: 'none' });
      const [l0, l1] = loss.toArray() as number[];
      expect(l0).toBe(Number.POSITIVE_INFINITY);
      expect(Number.isFinite(l1)).toBe(true);
      loss.index(1).backward();
      const g = x.grad!.toArray() as number[][][];
      // the infinite sample's gradient is NaN (even with a zero upstream gradient), the other's finite
      expect(g.flatMap((row) => row[0]).every(Number.isNaN)).toBe(true);
      expect(g.flatMap((row) => row[1]).every(Number.isFinite)).toBe(true);
      x.grad = null;
      const z = F.ctcLoss(x, targets, [2, 2], [2, 1], { reduction: 'sum', zeroInfinity: true });
      z.backward();
      expect([...x.grad!.dataSync()].every(Number.isFinite)).toBe(true);
      expect((x.grad!.toArray() as number[][][]).flatMap((row) => row[0])).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it('refuses bad lengths, labels and shapes, naming them', () => {
    tidy(() => {
      const lp = randn([4, 2, 3]).logSoftmax(2);
      const t = tensor(
        [
          [1, 2],
          [2, 1],
        ],
        i64,
      );
      expect(() => F.ctcLoss(lp, t, [5, 4], [2, 2])).toThrow(
        /inputLengths to have values in \[0, 4\].*got value 5/,
      );
      expect(() => F.ctcLoss(lp, t, [4], [2, 2])).toThrow(
        'ctcLoss: inputLengths must be of size batch_size 2',
      );
      expect(() => F.ctcLoss(lp, t, [4, 4], [3, 2])).toThrow(/padded targets must be \[N = 2, S >= 3\]/);
      expect(() =>
        F.ctcLoss(
          lp,
          tensor(
            [
              [1, 3],
              [2, 1],
            ],
            i64,
          ),
          [4, 4],
          [2, 2],
        ),
      ).toThrow('ctcLoss: target label 3 is out of range [0, 3)');
      expect(() => F.ctcLoss(lp, t, [4, 4], [2, 2], 3)).toThrow(
        'ctcLoss: blank must be in label range [0, 3), got 3',
      );
      expect(() => F.ctcLoss(lp, t.float(), [4, 4], [2, 2])).toThrow(
        /targets must be an int64 or int32 tensor, got float32/,
      );
    });
  });
});

describe("loss modules take PyTorch's positional order", () => {
  it('margin losses', () => {
    const t = new nn.TripletMarginLoss(0.5, 1, 1e-3, true, undefined, undefined, 'sum');
    expect([t.margin, t.p, t.eps, t.swap, t.reduction]).toEqual([0.5, 1, 1e-3, true, 'sum']);
    expect(new nn.CosineEmbeddingLoss(0.3).margin).toBe(0.3);
    expect(new nn.MarginRankingLoss({ reduction: 'none' }).reduction).toBe('none');
    expect(new nn.HingeEmbeddingLoss().margin).toBe(1);
    expect(() => new nn.SoftMarginLoss('sum' as never)).toThrow(
      "SoftMarginLoss: 'sizeAverage' is not supported",
    );
    expect(() => new nn.MultiMarginLoss(3)).toThrow(
      'MultiMarginLoss: only p == 1 and p == 2 supported, got 3',
    );
  });

  it("weights are buffers, as PyTorch's (state-dict key 'weight')", () => {
    tidy(() => {
      const w = tensor([1, 2, 3]);
      const m = new nn.MultiMarginLoss(2, 0.5, w);
      expect([m.p, m.margin, m.weight]).toEqual([2, 0.5, w]);
      expect(Object.keys(m.stateDict())).toEqual(['weight']);
      expect(Object.keys(new nn.MultiLabelSoftMarginLoss().stateDict())).toEqual([]);
      w.dispose();
    });
  });

  it('PoissonNLLLoss(logInput, full, _, eps, _, reduction); GaussianNLLLoss by keyword only; CTCLoss(blank, reduction, zeroInfinity)', () => {
    const p = new nn.PoissonNLLLoss(false, true, undefined, 1e-4, undefined, 'none');
    expect([p.logInput, p.full, p.eps, p.reduction]).toEqual([false, true, 1e-4, 'none']);
    const g = new nn.GaussianNLLLoss({ full: true, eps: 1e-3 });
    expect([g.full, g.eps, g.reduction]).toEqual([true, 1e-3, 'mean']);
    expect(() => new (nn.GaussianNLLLoss as new (...a: unknown[]) => unknown)(true)).toThrow(
      /GaussianNLLLoss: takes at most 0 positional arguments/,
    );
    const c = new nn.CTCLoss(2, 'sum', true);
    expect([c.blank, c.reduction, c.zeroInfinity]).toEqual([2, 'sum', true]);
    expect(() => new nn.CTCLoss({ zero_infinity: true } as never)).toThrow(/did you mean 'zeroInfinity'/);
  });
});

describe('loss errors name the op, the shapes and what was expected', () => {
  it('shape checks', () => {
    tidy(() => {
      expect(() => F.marginRankingLoss(randn([3]), randn([3]), randn([2]))).toThrow(
        'marginRankingLoss: all input tensors should have same size but got sizes: input1: [3], input2: [3], target: [2]',
      );
      expect(() => F.cosineEmbeddingLoss(randn([3]), randn([3]), randn([3]))).toThrow(
        /1D target tensor expects 2D input tensors/,
      );
      expect(() => F.tripletMarginLoss(randn([2, 3]), randn([3]), randn([2, 3]))).toThrow(
        'tripletMarginLoss: All inputs should have same dimension but got 2D, 1D and 2D inputs.',
      );
      expect(() => F.multiMarginLoss(randn([2, 3]), tensor([0, 3], i64))).toThrow(
        'multiMarginLoss: target out of range: 3 is not in [0, 3)',
      );
      expect(() => F.multiMarginLoss(randn([2, 3]), tensor([0], i64))).toThrow(
        'multiMarginLoss: inconsistent target size, expected 2 but got [1]',
      );
      expect(() => F.multilabelMarginLoss(randn([2, 3]), tensor([0, 1], i64))).toThrow(
        'multilabelMarginLoss: inconsistent target size: [2] for input of size: [2,3]',
      );
      expect(() => F.gaussianNllLoss(randn([2, 3]), randn([2, 3]), randn([3]).abs())).toThrow(
        /gaussianNllLoss: var is of incorrect size: \[3\] for input \[2,3\]/,
      );
      expect(() => F.gaussianNllLoss(randn([2, 3]), randn([2, 3]), tensor([1, -1]))).toThrow(
        'gaussianNllLoss: var has negative entry/entries',
      );
    });
  });
});
