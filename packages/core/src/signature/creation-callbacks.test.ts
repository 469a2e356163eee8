import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  arange,
  cat,
  eye,
  full,
  fullLike,
  Generator,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  randperm,
  stack,
  type Tensor,
  tensor,
  tidy,
  train,
  where,
  zeros,
  zerosLike,
} from '../index.js';

/** Calls `f` with arguments the types forbid, as plain JavaScript callers (and ported code) can. */
const loose =
  (f: (...a: never[]) => unknown, ...args: unknown[]) =>
  () =>
    (f as (...a: unknown[]) => unknown)(...args);

describe("creation functions take PyTorch's keyword-only options by name, checked", () => {
  it('refuses unknown option names with a hint and the accepted list', () => {
    expect(loose(zeros, [2], { dtyp: 'float32' })).toThrow(
      "zeros: unknown option 'dtyp' (did you mean 'dtype'?); accepted: size, out, dtype, layout, device, requiresGrad",
    );
    expect(loose(tensor, [1], { requires_grad: true })).toThrow(
      "tensor: unknown option 'requires_grad' (did you mean 'requiresGrad'?); accepted: data, dtype, device, requiresGrad, pinMemory",
    );
    expect(loose(randn, 2, { seed: 1 })).toThrow(
      "randn: unknown option 'seed'; accepted: size, generator, out, dtype, layout, device, requiresGrad, pinMemory",
    );
    expect(loose(arange, 0, 4, { steps: 2 })).toThrow(
      "arange: unknown option 'steps' (did you mean 'step'?)",
    );
    expect(loose(cat, [zeros(1)], { axis: 0 })).toThrow(
      "cat: unknown option 'axis'; accepted: tensors, dim, out",
    );
  });

  it('refuses wrongly typed values and duplicates', () => {
    expect(loose(ones, 2, { dtype: 'float' })).toThrow(
      'ones: dtype must be one of "float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool" or null, got \'float\' (a string)',
    );
    expect(loose(zeros, 2, { requiresGrad: 1 })).toThrow(
      'zeros: requiresGrad must be a boolean, got 1 (a number)',
    );
    expect(loose(rand, 2, { generator: 3 })).toThrow(
      'rand: generator must be a Generator or null, got 3 (a number)',
    );
    expect(loose(full, [2], '1')).toThrow(
      "full: fillValue must be a number or a boolean, got '1' (a string)",
    );
    expect(loose(randint, 0, 2.5, [2])).toThrow('randint: high must be an integer, got 2.5 (a number)');
    expect(loose(zeros, [2], { size: [3] })).toThrow("zeros: got multiple values for 'size'");
    expect(loose(full, [2], 1, { fillValue: 2 })).toThrow("full: got multiple values for 'fillValue'");
    expect(loose(linspace, 0, 1, 3, 4)).toThrow(/linspace: takes at most 3 positional arguments/);
  });

  it('refuses what is not implemented, with the reason', () => {
    expect(loose(zeros, 2, { out: zeros(2) })).toThrow(
      "zeros: 'out' is not supported: writing into an existing tensor is not implemented",
    );
    expect(loose(arange, 3, { layout: 'strided' })).toThrow(
      "arange: 'layout' is not supported: only dense (strided) tensors exist here",
    );
    expect(loose(tensor, [1], { pinMemory: true })).toThrow(
      'tensor: pinMemory must be false (pinned host memory is not implemented), got true',
    );
    expect(loose(zerosLike, zeros(2), { memoryFormat: 'channels_last' })).toThrow(
      "zerosLike: 'memoryFormat' is not supported",
    );
    expect(loose(stack, [zeros(1)], 0, { out: zeros(1, 1) })).toThrow("stack: 'out' is not supported");
    // PyTorch's defaults, spelled out, are accepted.
    expect(randperm(3, { pinMemory: false, generator: null } as never).shape).toEqual([3]);
  });

  it('keeps every call form: spread sizes, arrays, positionals, and any parameter by name', () => {
    tidy(() => {
      expect(zeros(2, 3).shape).toEqual([2, 3]);
      expect(zeros([2, 3], { dtype: 'int32' }).dtype).toBe('int32');
      const named = loose(zeros, { size: [2, 1], dtype: 'float64' })() as Tensor;
      expect([named.shape, named.dtype]).toEqual([[2, 1], 'float64']);
      expect(full([2], 7, { dtype: 'int32' }).toArray()).toEqual([7, 7]);
      expect((loose(full, { size: [2], fillValue: true })() as Tensor).dtype).toBe('bool');
      expect(arange(0, 10, 2, { dtype: 'float32' }).toArray()).toEqual([0, 2, 4, 6, 8]);
      expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
      expect(arange(3, { dtype: 'float32' }).dtype).toBe('float32');
      expect(arange(1, 4).toArray()).toEqual([1, 2, 3]);
      expect(arange(10, undefined, 4, { dtype: 'int32' }).toArray()).toEqual([0, 4, 8]);
      expect(arange(2, { step: 1 } as never).toArray()).toEqual([0, 1]);
      expect(eye(2, { dtype: 'int32' }).toArray()).toEqual([
        [1, 0],
        [0, 1],
      ]);
      expect(eye(2, 3).shape).toEqual([2, 3]);
      expect(eye(2, null).shape).toEqual([2, 2]);
      expect(linspace(0, 1, 3).toArray()).toEqual([0, 0.5, 1]);
      const g = (seed: number) => ({ generator: new Generator(seed) });
      expect(randint(0, 10, [4], g(1)).toArray()).toEqual(randint(10, [4], g(1)).toArray());
      expect(randint(10, [4]).dtype).toBe('int64');
      expect(rand([2], g(2)).toArray()).toEqual(rand(2, g(2)).toArray());
      expect(randperm(4, g(3)).toArray()).toEqual(randperm(4, g(3)).toArray());
      const x = tensor([1, 2], { dtype: 'int32' });
      expect(zerosLike(x).dtype).toBe('int32');
      expect(onesLike(x, { dtype: null } as never).dtype).toBe('int32'); // None: the input's dtype
      expect(fullLike(x, 5, { dtype: 'float32' }).toArray()).toEqual([5, 5]);
      expect(cat([x, x], { dim: 0 }).toArray()).toEqual([1, 2, 1, 2]);
      expect(stack([x, x], 1).shape).toEqual([2, 2]);
      const c = tensor([true, false]);
      expect(where(c, x, tensor([9, 9], { dtype: 'int32' })).toArray()).toEqual([1, 9]);
      expect(where(c, { input: 1, other: 0 }).toArray()).toEqual([1, 0]);
      expect(where(c).map((t) => t.toArray())).toEqual([[0]]);
      expect(loose(where, c, x)).toThrow(
        'where: expected where(condition) or where(condition, input, other)',
      );
    });
  });
});

describe("training callbacks take Keras's parameters in Keras's order, or by name", () => {
  it("EarlyStopping('val_acc', 0.01, 3): monitor, minDelta, patience", () => {
    const es = new train.EarlyStopping('val_acc', 0.01, 3);
    expect([es.monitor, es.mode, es.patience]).toEqual(['val_acc', 'max', 3]);
    const es2 = new train.EarlyStopping({
      patience: 2,
      restoreBestWeights: true,
      startFromEpoch: 4,
      verbose: 1,
    });
    expect([es2.patience, es2.restoreBestWeights, es2.startFromEpoch]).toEqual([2, true, 4]);
    expect(() => new train.EarlyStopping({ restore_best_weights: true } as never)).toThrow(
      "EarlyStopping: unknown option 'restore_best_weights' (did you mean 'restoreBestWeights'?); accepted: monitor, minDelta, patience, verbose, mode, baseline, restoreBestWeights, startFromEpoch",
    );
    expect(() => new train.EarlyStopping({ patience: '3' } as never)).toThrow(
      "EarlyStopping: patience must be an integer, got '3' (a string)",
    );
    expect(() => new train.EarlyStopping('loss', { monitor: 'val_loss' } as never)).toThrow(
      "EarlyStopping: got multiple values for 'monitor'",
    );
  });

  it('ReduceLROnPlateau(monitor, factor, patience, …): Keras order; minDelta or threshold, not both', () => {
    const r = new train.ReduceLROnPlateau('val_loss', 0.5, 2);
    expect(r.monitor).toBe('val_loss');
    expect(() => new train.ReduceLROnPlateau({ min_lr: 0.1 } as never)).toThrow(
      "ReduceLROnPlateau: unknown option 'min_lr' (did you mean 'minLr'?); accepted: monitor, factor, patience, verbose, mode, minDelta, cooldown, minLr, threshold, thresholdMode, eps",
    );
    expect(() => new train.ReduceLROnPlateau({ minDelta: 0.1, threshold: 0.1 })).toThrow(
      'ReduceLROnPlateau: give either minDelta (Keras) or threshold (PyTorch), not both',
    );
    expect(() => new train.ReduceLROnPlateau({ mode: 'up' } as never)).toThrow(
      'ReduceLROnPlateau: mode must be one of "auto", "min", "max"',
    );
  });

  it("ModelCheckpoint(filepath, monitor, verbose, saveBestOnly, …); saveFreq other than 'epoch' refused", () => {
    const saveFn = () => {};
    const a = new train.ModelCheckpoint('best.st', 'val_accuracy', 0, true, { saveFn });
    expect([a.filepath, a.monitor, a.mode, a.saveBestOnly]).toEqual(['best.st', 'val_accuracy', 'max', true]);
    const b = new train.ModelCheckpoint({ filepath: 'x.st', initialValueThreshold: 0.5, saveFn });
    expect([b.filepath, b.best]).toEqual(['x.st', 0.5]);
    expect(() => new train.ModelCheckpoint('x.st', { saveFreq: 100, saveFn } as never)).toThrow(
      'ModelCheckpoint: saveFreq must be "epoch" (saving every N batches is not implemented; use period to save every N epochs), got 100',
    );
    expect(() => new train.ModelCheckpoint({ saveFn } as never)).toThrow(
      "ModelCheckpoint: missing required argument 'filepath'",
    );
    expect(() => new train.ModelCheckpoint('x.st', { save_best_only: true, saveFn } as never)).toThrow(
      "did you mean 'saveBestOnly'?",
    );
  });

  it('CSVLogger(filename, separator, append); append needs the file system in the core', () => {
    const csv = new train.CSVLogger('log.csv', ';');
    expect([csv.filename, csv.separator, csv.append]).toEqual(['log.csv', ';', false]);
    expect(new train.CSVLogger({ filename: 'log.csv', separator: '\t' }).separator).toBe('\t');
    expect(() => new train.CSVLogger('log.csv', ',', true)).toThrow(
      'CSVLogger: append needs the file system',
    );
    expect(() => new train.CSVLogger('log.csv', { sep: ';' } as never)).toThrow(
      "CSVLogger: unknown option 'sep'; accepted: filename, separator, append, write, skipHeader",
    );
    expect(() => new (train.CSVLogger as unknown as new () => unknown)()).toThrow(
      "CSVLogger: missing required argument 'filename'",
    );
  });

  it("ProgressBar is Keras's ProgbarLogger (no parameters): its own options by name only", () => {
    expect(new train.ProgressBar({ silent: true }).silent).toBe(true);
    expect(() => new train.ProgressBar({ countMode: 'steps' } as never)).toThrow(
      "ProgressBar: unknown option 'countMode'; accepted: stream, silent, width, interval, now",
    );
    expect(() => new train.ProgressBar({ width: 'wide' } as never)).toThrow(
      "ProgressBar: width must be an integer, got 'wide' (a string)",
    );
  });
});
