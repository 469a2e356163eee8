// gradcheck (float64 central differences) of every activation, loss and the basic layers.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, type Tensor, tensor, tidy } from '../index.js';
import { gradchecks } from '../testing/index.js';

const F = nn.functional;
const f64 = { dtype: 'float64' as const };

function check(
  name: string,
  fn: (x: Tensor) => Tensor,
  make: () => Tensor = () => randn([2, 3], f64).mul(2),
): void {
  it(name, () => {
    manualSeed(5);
    const before = memory().numTensors;
    tidy(() => {
      const x = make().detach().requiresGrad_(true);
      expect(gradchecks(fn, [x])).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });
}

describe('gradcheck: activations', () => {
  check('relu', (x) => F.relu(x));
  check('leakyRelu', (x) => F.leakyRelu(x, 0.2));
  check('elu', (x) => F.elu(x, 1.3));
  check('gelu', (x) => F.gelu(x));
  check('gelu tanh', (x) => F.gelu(x, { approximate: 'tanh' }));
  check('silu', (x) => F.silu(x));
  check('mish', (x) => F.mish(x));
  check('sigmoid', (x) => F.sigmoid(x));
  check('tanh', (x) => F.tanh(x));
  check('softplus', (x) => F.softplus(x, 2, 3));
  check('softmax', (x) => F.softmax(x, 1));
  check('logSoftmax', (x) => F.logSoftmax(x, 0));
  check('step (zero gradient)', (x) => F.step(x));
  it('elu and leakyRelu have PyTorch derivatives at 0 (alpha and slope)', () => {
    const x = tensor([0], { requiresGrad: true });
    F.elu(x, 1.5).sum().backward();
    expect(x.grad!.toArray()).toEqual([1.5]);
    const z = tensor([0], { requiresGrad: true });
    F.leakyRelu(z, 0.2).sum().backward();
    expect(z.grad!.item()).toBeCloseTo(0.2, 6);
  });
});

describe('gradcheck: layers', () => {
  const lin = new nn.Linear(3, 2).double().requiresGrad_(false);
  check('Linear (input)', (x) => lin.forward(x));
  it('Linear (weight and bias)', () => {
    tidy(() => {
      const lin = new nn.Linear(3, 2).double();
      const x = randn([4, 3], f64);
      expect(gradchecks((w, b) => F.linear(x, w, b), [lin.weight, lin.bias!])).toBe(true);
    });
  });
  // With paddingIdx the padding row's gradient is zero by design (not the true derivative), so no gradcheck there.
  it('embedding (weight)', () => {
    tidy(() => {
      const w = randn([4, 2], f64).requiresGrad_(true);
      const idx = tensor(
        [
          [0, 2],
          [2, 3],
        ],
        { dtype: 'int32' },
      );
      expect(gradchecks((w) => F.embedding(idx, w).mul(F.embedding(idx, w)), [w])).toBe(true);
    });
  });
});

describe('gradcheck: losses', () => {
  // Operands are fixed values (rebuilt identically on every evaluation of the function).
  const y = () =>
    tensor(
      [
        [0.3, -1.2, 0.8],
        [1.5, -0.4, 0.1],
      ],
      f64,
    );
  const probs = () =>
    tensor(
      [
        [0.2, 0.7, 0.55],
        [0.9, 0.35, 0.1],
      ],
      f64,
    );
  const bin = () =>
    tensor(
      [
        [0, 1, 1],
        [1, 0, 0],
      ],
      f64,
    );
  const cls = () => tensor([2, 0], { dtype: 'int32' });
  const w3 = () => tensor([0.5, 2, 1], f64);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    check(`mseLoss ${reduction}`, (x) => F.mseLoss(x, y(), { reduction }));
    check(`l1Loss ${reduction}`, (x) => F.l1Loss(x, y(), { reduction }));
  }
  check('huberLoss', (x) => F.huberLoss(x, y(), { delta: 0.8 }));
  check('smoothL1Loss', (x) => F.smoothL1Loss(x, y(), { beta: 0.5, reduction: 'sum' }));
  check('binaryCrossEntropy weighted', (x) => F.binaryCrossEntropy(x, bin(), { weight: w3() }), probs);
  check('binaryCrossEntropyWithLogits posWeight', (x) =>
    F.binaryCrossEntropyWithLogits(x, bin(), { posWeight: w3(), weight: w3(), reduction: 'none' }),
  );
  check('crossEntropy indices, weight, labelSmoothing', (x) =>
    F.crossEntropy(x, cls(), { weight: w3(), labelSmoothing: 0.2 }),
  );
  check('crossEntropy ignoreIndex', (x) => F.crossEntropy(x, tensor([1, -100], { dtype: 'int32' })));
  check('crossEntropy probabilities', (x) => F.crossEntropy(x, F.softmax(y(), 1), { labelSmoothing: 0.1 }));
  check(
    'crossEntropy [N, C, d]',
    (x) =>
      F.crossEntropy(
        x,
        tensor(
          [
            [0, 2],
            [1, 1],
          ],
          { dtype: 'int32' },
        ),
      ),
    () => randn([2, 3, 2], f64),
  );
  check('nllLoss', (x) => F.nllLoss(x, cls(), { weight: w3(), reduction: 'mean' }));
  check('klDiv batchmean', (x) => F.klDiv(x, F.softmax(y(), 1), { reduction: 'batchmean' }));
  check('klDiv logTarget', (x) => F.klDiv(x, F.logSoftmax(y(), 1), { logTarget: true, reduction: 'sum' }));
});
