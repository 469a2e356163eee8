import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, tensor } from '../../index.js';
import { formatFixed, formatTemplate } from '../format.js';
import {
  accuracy,
  classificationReport,
  confusionMatrix,
  f1,
  mae,
  mse,
  precision,
  precisionRecallFscoreSupport,
  r2,
  recall,
  rmse,
  topKAccuracy,
} from './index.js';

// Hand-computed case: per class (P, R, F1, support) = (1, .5, 2/3, 2), (.6, .75, 2/3, 4), (2/3, 2/3, 2/3, 3).
const yTrue = () => tensor([0, 1, 2, 2, 1, 0, 2, 1, 1], { dtype: 'int32' });
const yPred = () => tensor([0, 2, 2, 2, 1, 1, 1, 1, 1], { dtype: 'int32' });

describe('classification metrics', () => {
  it('binary accuracy from probabilities and from logits', () => {
    const t = tensor([1, 0, 0, 1, 1]);
    expect(accuracy(tensor([0.9, 0.2, 0.6, 0.4, 0.7]), t)).toBeCloseTo(0.6, 12);
    expect(accuracy(tensor([[2.2], [-1.4], [0.4], [-0.4], [0.8]]), t)).toBeCloseTo(0.6, 12);
    expect(accuracy(tensor([0.9, 0.2, 0.6, 0.4, 0.7]), t, { threshold: 0.65 })).toBeCloseTo(0.8, 12);
  });

  it('multiclass accuracy with index and one-hot targets; top-k', () => {
    const logits = tensor([
      [2, 1, 0],
      [0, 3, 1],
      [1, 0, 0.5],
      [0, 0, 1],
    ]);
    expect(accuracy(logits, tensor([0, 1, 2, 2], { dtype: 'int32' }))).toBe(0.75);
    const oneHot = tensor([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(accuracy(logits, oneHot)).toBe(0.75);
    expect(topKAccuracy(logits, oneHot, 1)).toBe(0.75);
    expect(topKAccuracy(logits, tensor([0, 0, 2, 2], { dtype: 'int32' }), 2)).toBe(0.75);
  });

  it('precision, recall and f1 with every average', () => {
    const [p, t] = [yPred(), yTrue()];
    expect(precision(p, t, { average: 'macro' })).toBeCloseTo((1 + 0.6 + 2 / 3) / 3, 12);
    expect(recall(p, t, { average: 'macro' })).toBeCloseTo((0.5 + 0.75 + 2 / 3) / 3, 12);
    expect(f1(p, t)).toBeCloseTo(2 / 3, 12); // macro is the multiclass default
    expect(precision(p, t, { average: 'weighted' })).toBeCloseTo(6.4 / 9, 12);
    expect(recall(p, t, { average: 'weighted' })).toBeCloseTo(6 / 9, 12);
    expect(f1(p, t, { average: 'micro' })).toBeCloseTo(6 / 9, 12);
    const s = precisionRecallFscoreSupport(p, t);
    expect(s.support).toEqual([2, 4, 3]);
    expect(s.precision[1]).toBeCloseTo(0.6, 12);
    expect(() => f1(p, t, { average: 'binary' })).toThrow(/binary/);
  });

  it('binary precision and recall of the positive class; zero division gives 0', () => {
    const t = tensor([1, 0, 0, 1, 1]);
    const p = tensor([0.9, 0.2, 0.6, 0.4, 0.7]);
    expect(precision(p, t)).toBeCloseTo(2 / 3, 12);
    expect(recall(p, t)).toBeCloseTo(2 / 3, 12);
    expect(f1(p, t, { posLabel: 0 })).toBeCloseTo(0.5, 12); // class 0: P = 1/2, R = 1/2
    expect(precision(tensor([0.1, 0.2]), tensor([1, 0]))).toBe(0);
  });

  it('confusionMatrix: rows are true classes, int32', () => {
    const [p, t] = [yPred(), yTrue()];
    const before = memory().numTensors;
    const cm = confusionMatrix(p, t);
    expect(cm.dtype).toBe('int32');
    expect(cm.toArray()).toEqual([
      [1, 1, 0],
      [0, 3, 1],
      [0, 1, 2],
    ]);
    expect(memory().numTensors).toBe(before + 1); // the matrix only
    cm.dispose();
    const cm4 = confusionMatrix(p, t, 4);
    expect(cm4.shape).toEqual([4, 4]);
    cm4.dispose();
  });

  it('classificationReport matches scikit-learn text exactly', () => {
    expect(classificationReport(yPred(), yTrue())).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           0       1.00      0.50      0.67         2',
        '           1       0.60      0.75      0.67         4',
        '           2       0.67      0.67      0.67         3',
        '',
        '    accuracy                           0.67         9',
        '   macro avg       0.76      0.64      0.67         9',
        'weighted avg       0.71      0.67      0.67         9',
        '',
      ].join('\n'),
    );
    const named = classificationReport(yPred(), yTrue(), {
      targetNames: ['cat', 'dog', 'hamster'],
      digits: 3,
    });
    expect(named.split('\n')[2]).toBe('         cat      1.000     0.500     0.667         2');
    expect(named.split('\n')[8]).toBe('weighted avg      0.711     0.667     0.667         9');
  });
});

describe('regression metrics', () => {
  const p = () => tensor([[1], [2], [3], [4]]);
  const t = () => tensor([1.5, 2, 2, 5]);
  it('mae, mse, rmse, r2', () => {
    expect(mae(p(), t())).toBeCloseTo(0.625, 6);
    expect(mse(p(), t())).toBeCloseTo(0.5625, 6);
    expect(rmse(p(), t())).toBeCloseTo(0.75, 6);
    expect(r2(p(), t())).toBeCloseTo(87 / 123, 6);
    expect(r2(tensor([2, 2]), tensor([2, 2]))).toBe(1);
    expect(() => mse(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/same shape/);
  });
});

describe('formatting', () => {
  it('rounds exact ties to even like Python', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(2 / 3, 2)).toBe('0.67');
  });
  it('fills file-name templates', () => {
    expect(formatTemplate('ckpt-{epoch:02d}-{val_loss:.4f}.st', { epoch: 3, val_loss: 0.123456 })).toBe(
      'ckpt-03-0.1235.st',
    );
    expect(() => formatTemplate('{nope}', { epoch: 1 })).toThrow(/nope/);
  });
});
