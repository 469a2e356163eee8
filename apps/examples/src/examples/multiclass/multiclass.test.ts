import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('multiclass', () => {
  it('classifies four blobs and reports a consistent confusion matrix', async () => {
    const r = await run({ fast: true });
    expect(r.accuracy).toBeGreaterThan(0.85);
    const total = r.confusion.flat().reduce((a, b) => a + b, 0);
    const correct = r.confusion.reduce((s, row, i) => s + row[i], 0);
    expect(total).toBe(100);
    expect(correct / total).toBeCloseTo(r.accuracy, 10);
    expect(r.report).toMatch(/precision\s+recall\s+f1-score\s+support/);
    expect(r.report).toContain('south-west');
    expect(r.firstProbabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
