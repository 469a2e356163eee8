import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

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

  it('evicts one key or all of them through onEvict, counting evictions', () => {
    const evicted: string[] = [];
    const m = new LruMap<number>(3, (_, k) => evicted.push(k));
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    m.evict('b');
    expect(m.has('b')).toBe(false);
    m.evictAll();
    expect(evicted).toEqual(['b', 'a', 'c']);
    expect([m.size, m.evictions]).toEqual([0, 3]);
  });
});
