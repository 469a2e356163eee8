import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import { backendByName } from '../backend/registry.js';
import { tensor } from './creation.js';
import { memory } from './memory-report.js';
import { replaceHandle, swapStorage, tensorFromHandle } from './rebind.js';

describe('swapStorage / replaceHandle / tensorFromHandle', () => {
  it('swaps a storage for a while and puts it back untouched', () => {
    const cpu = backendByName('cpu');
    const t = tensor([1, 2, 3]);
    const n = memory().numTensors;
    const restore = swapStorage(t, 'cpu', cpu.write(Float32Array.of(7, 8, 9), [3], 'float32'));
    expect(t.toArray()).toEqual([7, 8, 9]);
    restore();
    expect(t.toArray()).toEqual([1, 2, 3]);
    expect(memory().numTensors).toBe(n);
  });

  it('replaces the values (views see them) and wraps a handle as a new tensor', () => {
    const cpu = backendByName('cpu');
    const t = tensor([1, 2, 3, 4]);
    const v = t.narrow(0, 1, 2);
    replaceHandle(t, cpu.write(Float32Array.of(5, 6, 7, 8), [4], 'float32'));
    expect(v.toArray()).toEqual([6, 7]);
    expect(() => replaceHandle(v, null)).toThrow(/must own its storage/);
    const w = tensorFromHandle('cpu', cpu.write(Float32Array.of(1, 2), [2], 'float32'), [2], 'float32');
    expect(w.toArray()).toEqual([1, 2]);
    expect(() => tensorFromHandle('nope', null, [1], 'float32')).toThrow(/not registered/);
  });
});
