import { describe, expect, it } from 'vitest';
import { checkLimit } from './lru.js';

describe('checkLimit', () => {
  it('refuses a budget that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '8' as unknown]) {
      expect(() => checkLimit('onnx', bad)).toThrow(/onnx: maxSessions must be a positive integer/);
    }
    expect(checkLimit('onnx', Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
