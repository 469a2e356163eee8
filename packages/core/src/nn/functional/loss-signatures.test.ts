import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, type Tensor, tensor, tidy } from '../../index.js';

const F = nn.functional;

// Expected values are PyTorch 1.13's (torch.nn.functional.* on the same data, positional calls).
const x = (): Tensor =>
  tensor([
    [1, 2, 3],
    [3, 1, 0],
  ]);
const labels = (): Tensor => tensor([0, 2], { dtype: 'int32' });
const w3 = (): Tensor => tensor([1, 2, 3]);
const a = (): Tensor => tensor([0, 1, 5, -3]);
const b = (): Tensor => tensor([0.5, -1, 1, 0]);

describe("functional losses bind torch.nn.functional's positional order", () => {
  it('crossEntropy(input, target, weight) is the weighted loss (was: weight read as options)', () => {
    tidy(() => {
      expect(F.crossEntropy(x(), labels(), w3()).item()).toBeCloseTo(2.9792862, 5);
      expect(F.crossEntropy(x(), labels(), { weight: w3() }).item()).toBeCloseTo(2.9792862, 5);
      expect(F.crossEntropy(x(), labels()).item()).toBeCloseTo(2.7887259, 5);
      // cross_entropy(x, y, w, None, 1, None, 'sum', 0.1)
      expect(F.crossEntropy(x(), labels(), w3(), undefined, 1, undefined, 'sum', 0.1).item()).toBeCloseTo(
        11.407588,
        4,
      );
    });
  });

  it('nllLoss(input, target, weight, _, ignoreIndex)', () => {
    tidy(() => {
      const lp = x().logSoftmax(1);
      expect(F.nllLoss(lp, labels(), w3()).item()).toBeCloseTo(2.9792862, 5);
      expect(F.nllLoss(lp, labels(), null, undefined, 0).item()).toBeCloseTo(3.169846, 5);
    });
  });

  it("huberLoss(input, target, 'sum', 2), smoothL1Loss(.., _, _, 'sum', 0.5)", () => {
    tidy(() => {
      expect(F.huberLoss(a(), b(), 'sum', 2).item()).toBeCloseTo(12.125, 5);
      expect(F.huberLoss(a(), b()).item()).toBeCloseTo(1.90625, 5);
      expect(F.smoothL1Loss(a(), b(), undefined, undefined, 'sum', 0.5).item()).toBeCloseTo(8.5, 5);
    });
  });

  it("mseLoss / l1Loss: (input, target, sizeAverage, reduce, reduction); mseLoss(a, b, 'sum') is refused", () => {
    tidy(() => {
      expect(F.mseLoss(a(), b(), undefined, undefined, 'sum').item()).toBeCloseTo(29.25, 5);
      expect(F.l1Loss(a(), b(), undefined, undefined, 'sum').item()).toBeCloseTo(9.5, 5);
      expect(F.mseLoss(a(), b()).item()).toBeCloseTo(7.3125, 5);
      // PyTorch reads a third positional as size_average; we refuse it instead of guessing
      // (it used to compute the mean silently).
      expect(() => F.mseLoss(a(), b(), 'sum' as never)).toThrow(
        "mseLoss: 'sizeAverage' is not supported: deprecated in PyTorch; use reduction",
      );
      expect(() => F.l1Loss(a(), b(), { reduce: false } as never)).toThrow(
        "l1Loss: 'reduce' is not supported",
      );
    });
  });

  it('binaryCrossEntropy(input, target, weight); binaryCrossEntropyWithLogits(.., weight, _, _, reduction, posWeight)', () => {
    tidy(() => {
      const p = tensor([0.2, 0.7, 0.9]);
      const t = tensor([0, 1, 1]);
      expect(F.binaryCrossEntropy(p, t, w3()).item()).toBeCloseTo(0.41752505, 5);
      expect(F.binaryCrossEntropy(p, t).item()).toBeCloseTo(0.22839302, 5);
      const z = tensor([
        [-1, 0.5],
        [2, -3],
      ]);
      const tz = tensor([
        [0, 1],
        [1, 0],
      ]);
      expect(
        F.binaryCrossEntropyWithLogits(z, tz, null, undefined, undefined, 'sum', tensor([3, 0.5])).item(),
      ).toBeCloseTo(0.9796716, 5);
      expect(F.binaryCrossEntropyWithLogits(z, tz, tensor([2, 1])).item()).toBeCloseTo(0.3507609, 5);
    });
  });

  it("klDiv(input, target, _, _, 'batchmean', logTarget)", () => {
    tidy(() => {
      const lp = x().logSoftmax(1);
      const q = tensor([
        [0, 1, 2],
        [1, 1, 0],
      ]).softmax(1);
      expect(F.klDiv(lp, q, undefined, undefined, 'batchmean').item()).toBeCloseTo(0.23160689, 5);
      expect(F.klDiv(lp, q).item()).toBeCloseTo(0.0772023, 5);
      expect(F.klDiv(lp, q.log(), undefined, undefined, 'batchmean', true).item()).toBeCloseTo(0.23160686, 5);
    });
  });

  it('refuses unknown options, duplicates and wrong types, listing what is accepted', () => {
    tidy(() => {
      expect(() => F.crossEntropy(x(), labels(), { labelSmothing: 0.1 } as never)).toThrow(
        "crossEntropy: unknown option 'labelSmothing' (did you mean 'labelSmoothing'?); accepted: input, target, weight, sizeAverage, ignoreIndex, reduce, reduction, labelSmoothing",
      );
      expect(() => F.nllLoss(x(), labels(), { ignore_index: 1 } as never)).toThrow(
        /nllLoss: unknown option 'ignore_index'.*accepted: input, target, weight, sizeAverage, ignoreIndex, reduce, reduction/,
      );
      expect(() => F.huberLoss(a(), b(), { beta: 1 } as never)).toThrow(
        "huberLoss: unknown option 'beta' (did you mean 'delta'?); accepted: input, target, reduction, delta",
      );
      expect(() => F.smoothL1Loss(a(), b(), { delta: 1 } as never)).toThrow(
        /smoothL1Loss: unknown option 'delta'/,
      );
      expect(() => F.mseLoss(a(), b(), { reductoin: 'sum' } as never)).toThrow(
        /mseLoss: unknown option 'reductoin' \(did you mean 'reduction'\?\)/,
      );
      expect(() => F.l1Loss(a(), b(), { weight: w3() } as never)).toThrow(/l1Loss: unknown option 'weight'/);
      expect(() => F.binaryCrossEntropy(a(), b(), { posWeight: w3() } as never)).toThrow(
        /binaryCrossEntropy: unknown option 'posWeight'/,
      );
      expect(() => F.binaryCrossEntropyWithLogits(a(), b(), { pos_weight: w3() } as never)).toThrow(
        /binaryCrossEntropyWithLogits: unknown option 'pos_weight' \(did you mean 'posWeight'\?\)/,
      );
      expect(() => F.klDiv(a(), b(), { log_target: true } as never)).toThrow(
        /klDiv: unknown option 'log_target' \(did you mean 'logTarget'\?\)/,
      );
      // Twice, and of the wrong type.
      expect(() => F.crossEntropy(x(), labels(), w3(), { weight: w3() } as never)).toThrow(
        "crossEntropy: got multiple values for 'weight'",
      );
      expect(() => F.huberLoss(a(), b(), 'avg' as never)).toThrow(
        'huberLoss: reduction must be one of "mean", "sum", "none", got \'avg\' (a string)',
      );
      expect(() => F.nllLoss(x(), labels(), [1, 2, 3] as never)).toThrow(
        'nllLoss: weight must be a Tensor or null, got [1, 2, 3]',
      );
      expect(() => F.klDiv(a(), b(), { reduction: 'batchsum' } as never)).toThrow(
        /klDiv: reduction must be one of "mean", "sum", "none", "batchmean"/,
      );
    });
  });

  it('the loss classes (which pass options objects) give the functional results', () => {
    tidy(() => {
      expect(new nn.CrossEntropyLoss(w3()).forward(x(), labels()).item()).toBeCloseTo(2.9792862, 5);
      expect(new nn.HuberLoss('sum', 2).forward(a(), b()).item()).toBeCloseTo(12.125, 5);
      expect(
        new nn.KLDivLoss(undefined, undefined, 'batchmean').forward(x().logSoftmax(1), x().softmax(1)).item(),
      ).toBeCloseTo(0, 5);
    });
  });
});
