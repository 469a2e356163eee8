import { describe, expect, it } from 'vitest';
import { checkLimit, LruMap } from './lru.js';

describe('LruMap', () => {
  it('evicts the least recently used entry past its limit and hands it to onEvict', () => {
    const evicted: string[] = [];
    const m = new LruMap<number>(2, (v, k) => evicted.push(`${k}=${v}`));
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // 'a' is now the most recent: 'b' goes first
    m.set('c', 3);
    expect(evicted).toEqual(['b=2']);
    expect([m.get('b'), m.get('a'), m.get('c'), m.size, m.evictions]).toEqual([undefined, 1, 3, 2, 1]);
    m.setLimit(1); // shrinking evicts at once, oldest first ('a', read before 'c')
    expect(evicted).toEqual(['b=2', 'a=1']);
    expect([m.size, m.maxSize, m.evictions]).toEqual([1, 1, 2]);
  });

  it('refuses a budget that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '8' as unknown]) {
      expect(() => checkLimit('onnx', bad)).toThrow(/onnx: maxSessions must be a positive integer/);
    }
    expect(checkLimit('onnx', Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
