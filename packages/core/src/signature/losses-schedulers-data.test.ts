import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { data, Generator, nn, optim, randn, type Tensor, tensor, tidy } from '../index.js';

const { LambdaLR, LinearLR, OneCycleLR, ReduceLROnPlateau, SequentialLR, ExponentialLR } = optim.lrScheduler;

/** A fresh SGD optimizer with momentum (OneCycleLR cycles it). */
function sgd(lr = 1): optim.SGD {
  return new optim.SGD([randn([2], { requiresGrad: true })], lr, 0.9);
}

describe("losses bind PyTorch's positional order (deprecated sizeAverage/reduce refused)", () => {
  it('CrossEntropyLoss(weight) / NLLLoss(weight, _, ignoreIndex) take weight first, as PyTorch', () => {
    tidy(() => {
      const w = tensor([1, 2, 3]);
      const ce = new nn.CrossEntropyLoss(w);
      expect(ce.weight).toBe(w);
      expect([ce.reduction, ce.ignoreIndex, ce.labelSmoothing]).toEqual(['mean', -100, 0]);
      const logits = tensor([
        [1, 2, 3],
        [3, 1, 0],
      ]);
      const target = tensor([0, 2], { dtype: 'int32' });
      const expected = nn.functional.crossEntropy(logits, target, { weight: w }).item();
      expect(ce.forward(logits, target).item()).toBeCloseTo(expected, 6);
      expect(new nn.CrossEntropyLoss(w, undefined, 1, undefined, 'sum', 0.1).labelSmoothing).toBe(0.1);
      const nll = new nn.NLLLoss(w, undefined, 3);
      expect([nll.weight, nll.ignoreIndex]).toEqual([w, 3]);
      // A positional second argument is PyTorch's size_average: refused, never misread.
      expect(() => new nn.CrossEntropyLoss(w, 'sum' as never)).toThrow(
        "CrossEntropyLoss: 'sizeAverage' is not supported: deprecated in PyTorch; use reduction",
      );
      expect(() => new nn.NLLLoss({ weight: w, reduce: false } as never)).toThrow(
        "NLLLoss: 'reduce' is not supported",
      );
    });
  });

  it('BCELoss(weight), BCEWithLogitsLoss(weight, _, _, reduction, posWeight)', () => {
    tidy(() => {
      const w = tensor([1, 2]);
      expect(new nn.BCELoss(w).weight).toBe(w);
      const pw = tensor([3]);
      const l = new nn.BCEWithLogitsLoss(null, undefined, undefined, 'sum', pw);
      expect([l.weight, l.reduction, l.posWeight]).toEqual([null, 'sum', pw]);
      expect(() => new nn.BCELoss([1, 2] as never)).toThrow('BCELoss: weight must be a Tensor or null');
    });
  });

  it("HuberLoss('sum', 2), SmoothL1Loss(_, _, 'sum', 0.5), MSELoss/L1Loss(_, _, 'sum'), KLDivLoss", () => {
    const h = new nn.HuberLoss('sum', 2);
    expect([h.reduction, h.delta]).toEqual(['sum', 2]);
    const s = new nn.SmoothL1Loss(undefined, undefined, 'sum', 0.5);
    expect([s.reduction, s.beta]).toEqual(['sum', 0.5]);
    expect(new nn.MSELoss(undefined, undefined, 'none').reduction).toBe('none');
    expect(new nn.L1Loss({ reduction: 'sum' }).reduction).toBe('sum');
    const kl = new nn.KLDivLoss(undefined, undefined, 'batchmean', true);
    expect([kl.reduction, kl.logTarget]).toEqual(['batchmean', true]);
    // MSELoss('sum') is PyTorch's size_average='sum': refused instead of read as the reduction.
    expect(() => new nn.MSELoss('sum' as never)).toThrow("MSELoss: 'sizeAverage' is not supported");
    expect(() => new nn.L1Loss(true as never)).toThrow("L1Loss: 'sizeAverage' is not supported");
  });

  it('refuses unknown options and wrong types, listing what is accepted', () => {
    expect(() => new nn.CrossEntropyLoss({ labelSmothing: 0.1 } as never)).toThrow(
      "CrossEntropyLoss: unknown option 'labelSmothing' (did you mean 'labelSmoothing'?); accepted: weight, sizeAverage, ignoreIndex, reduce, reduction, labelSmoothing",
    );
    expect(() => new nn.HuberLoss({ beta: 1 } as never)).toThrow(
      "HuberLoss: unknown option 'beta' (did you mean 'delta'?); accepted: reduction, delta",
    );
    expect(() => new nn.MSELoss({ reduction: 'avg' } as never)).toThrow(
      'MSELoss: reduction must be one of "mean", "sum", "none"',
    );
    expect(() => new nn.KLDivLoss({ log_target: true } as never)).toThrow(/did you mean 'logTarget'/);
  });
});

describe("the other lr schedulers bind PyTorch's positional order", () => {
  it('LambdaLR(opt, fn, lastEpoch); LinearLR(opt, 0.5, 1, 2)', () => {
    tidy(() => {
      const o = sgd();
      const lam = new LambdaLR(o, (e) => 0.5 ** e);
      lam.step();
      expect(lam.getLastLr()).toEqual([0.5]);
      expect(() => new LambdaLR(sgd(), 3 as never)).toThrow(
        'LambdaLR: lrLambda must be a function or an array of functions',
      );
      const lin = new LinearLR(sgd(), 0.5, 1, 2);
      expect([lin.startFactor, lin.endFactor, lin.totalIters]).toEqual([0.5, 1, 2]);
      expect(lin.getLastLr()).toEqual([0.5]);
      expect(() => new LinearLR(sgd(), { startFactor: 0.5, totalIter: 3 } as never)).toThrow(
        "LinearLR: unknown option 'totalIter' (did you mean 'totalIters'?)",
      );
    });
  });

  it('OneCycleLR(opt, maxLr, totalSteps) or (opt, maxLr, null, epochs, stepsPerEpoch); the options form still works', () => {
    tidy(() => {
      expect(new OneCycleLR(sgd(), 0.1, 10).totalSteps).toBe(10);
      expect(new OneCycleLR(sgd(), 0.1, null, 2, 5).totalSteps).toBe(10);
      const a = new OneCycleLR(sgd(), 0.1, 10, null, null, 0.3, 'linear');
      expect(a.annealStrategy).toBe('linear');
      const b = new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, annealStrategy: 'linear' });
      expect(b.getLastLr()).toEqual(a.getLastLr());
      expect(() => new OneCycleLR(sgd(), 0.1, { totalSteps: 10, anneal: 'cos' } as never)).toThrow(
        "OneCycleLR: unknown option 'anneal'",
      );
      expect(() => new OneCycleLR(sgd(), { totalSteps: 10 } as never)).toThrow(
        "OneCycleLR: missing required argument 'maxLr'",
      );
    });
  });

  it("ReduceLROnPlateau(opt, 'max', 0.5) is mode max, factor 0.5", () => {
    tidy(() => {
      const r = new ReduceLROnPlateau(sgd(), 'max', 0.5, 0);
      expect([r.mode, r.factor, r.patience]).toEqual(['max', 0.5, 0]);
      r.step(1);
      r.step(0.5); // worse for 'max': patience 0 → reduce
      expect(r.getLastLr()).toEqual([0.5]);
      expect(() => new ReduceLROnPlateau(sgd(), { mode: 'min', min_lr: 0.1 } as never)).toThrow(
        "ReduceLROnPlateau: unknown option 'min_lr' (did you mean 'minLr'?)",
      );
      expect(() => new ReduceLROnPlateau(sgd(), 'auto' as never)).toThrow(
        'ReduceLROnPlateau: mode must be one of "min", "max"',
      );
    });
  });

  it('SequentialLR(opt, schedulers, milestones, lastEpoch)', () => {
    tidy(() => {
      const o = sgd();
      const s = new SequentialLR(o, [new ExponentialLR(o, 0.5), new ExponentialLR(o, 0.1)], [2], -1);
      expect(s.getLastLr()).toEqual([1]);
      expect(() => new SequentialLR(o, [new ExponentialLR(o, 0.5)], [], { verbose: true } as never)).toThrow(
        'SequentialLR: verbose must be one of false, got true',
      );
      expect(() => new SequentialLR(o, [new ExponentialLR(o, 0.5)], [], { last_epoch: 0 } as never)).toThrow(
        "SequentialLR: unknown option 'last_epoch' (did you mean 'lastEpoch'?)",
      );
    });
  });
});

describe("data: DataLoader(dataset, batchSize, shuffle, …) binds as PyTorch's", () => {
  const ds = () => new data.TensorDataset(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));

  it('DataLoader(ds, 4, true) shuffles with batch 4', () => {
    tidy(() => {
      const loader = new data.DataLoader(ds(), 4, true);
      expect([loader.batchSize, loader.shuffle, loader.length]).toEqual([4, true, 3]);
      const seeded = (g: Generator) =>
        [...new data.DataLoader(ds(), 4, true, null, null, 0, null, false, false, 0, null, null, g)].map(
          (b) => (b as Tensor[])[0].toArray() as number[],
        );
      const batches = seeded(new Generator(3));
      expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
      expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(batches.flat()).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(seeded(new Generator(3))).toEqual(batches);
      // dropLast positionally (8th), collateFn positionally (6th)
      expect(new data.DataLoader(ds(), 4, false, null, null, 0, null, false, true).length).toBe(2);
      const sums = [
        ...new data.DataLoader(ds(), 5, false, null, null, 0, (items: Tensor[][]) => items.length),
      ];
      expect(sums).toEqual([5, 5]);
    });
  });

  it('refuses what it cannot do as PyTorch does, with the reason, and unknown options', () => {
    // numWorkers > 0 loads map-style datasets (same batches); an iterable dataset would be
    // duplicated per worker in PyTorch, so it is refused.
    expect(new data.DataLoader(ds(), { batchSize: 4, numWorkers: 2 }).numWorkers).toBe(2);
    expect(() => new data.DataLoader([1, 2, 3].values(), { numWorkers: 2 })).toThrow(
      'DataLoader: numWorkers=2 with an iterable-style dataset',
    );
    expect(() => new data.DataLoader(ds(), 4, true, [1, 2])).toThrow(
      'DataLoader: sampler option is mutually exclusive with shuffle',
    );
    expect(() => new data.DataLoader(ds(), { workerInitFn: () => {} } as never)).toThrow(
      'DataLoader: workerInitFn must be null (there are no worker processes to initialise',
    );
    expect(() => new data.DataLoader(ds(), { persistentWorkers: true })).toThrow(
      'DataLoader: persistentWorkers option needs numWorkers > 0',
    );
    expect(() => new data.DataLoader(ds(), { batch_size: 4 } as never)).toThrow(
      "DataLoader: unknown option 'batch_size' (did you mean 'batchSize'?); accepted: dataset, batchSize, shuffle",
    );
    // seed is our extension (keyword-only): a fresh Generator(seed), never together with generator
    expect(new data.DataLoader(ds(), { shuffle: true, seed: 3 }).generator).toBeInstanceOf(Generator);
    expect(() => new data.DataLoader(ds(), { seed: 0, generator: new Generator(1) })).toThrow(
      'DataLoader: give either generator or seed, not both',
    );
    expect(() => new data.DataLoader(ds(), { collate: () => 0 } as never)).toThrow(
      "DataLoader: unknown option 'collate'",
    );
    // PyTorch's defaults, given explicitly, are accepted.
    const ok = new data.DataLoader(ds(), {
      numWorkers: 0,
      pinMemory: false,
      timeout: 0,
      prefetchFactor: 2,
      persistentWorkers: false,
      pinMemoryDevice: '',
    });
    expect(ok.batchSize).toBe(1);
  });

  it('Subset(dataset, indices) and randomSplit(dataset, lengths, generator)', () => {
    tidy(() => {
      const d = ds();
      expect(new data.Subset(d, [3, 1]).length).toBe(2);
      expect(() => new data.Subset(d, [1.5] as never)).toThrow(
        'Subset: indices must be an array of integer indices',
      );
      const [a, b] = data.randomSplit(d, [3, 7], new Generator(1));
      const [a2] = data.randomSplit(d, [3, 7], { generator: new Generator(1) });
      expect([a.length, b.length]).toEqual([3, 7]);
      expect(a2.indices).toEqual(a.indices);
      expect(() => data.randomSplit(d, [3, 7], { seed: 1 } as never)).toThrow(
        "randomSplit: unknown option 'seed'",
      );
    });
  });
});
