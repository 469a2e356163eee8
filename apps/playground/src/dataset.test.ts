import { describe, expect, it } from 'vitest';
import { BatchStream, gather, MNIST_MEAN, MNIST_STD, normalise, permutation } from './dataset.js';
import type { MnistPack } from './mnist-pack.js';

/** 10 "images" of 2 pixels: image i holds [i, 255 - i], label i % 10. */
function pack(): MnistPack {
  const n = 10;
  const pixels = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) pixels.set([i, 255 - i], 2 * i);
  const split = { count: n, pixels, labels: Uint8Array.from({ length: n }, (_, i) => i % 10) };
  return { rows: 1, cols: 2, train: split, test: split };
}

describe('dataset', () => {
  it('permutation is a seeded shuffle of 0..n-1', () => {
    const p = permutation(100, 3);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(permutation(100, 3)).toEqual(p);
    expect(permutation(100, 4)).not.toEqual(p);
  });

  it('gather normalises as the training images are, and checks indices', () => {
    const b = gather(pack().train, 2, [3, 0]);
    expect(b.n).toBe(2);
    expect(Array.from(b.y)).toEqual([3, 0]);
    expect(b.x[0]).toBeCloseTo((3 / 255 - MNIST_MEAN) / MNIST_STD, 6);
    expect(b.x[1]).toBeCloseTo((252 / 255 - MNIST_MEAN) / MNIST_STD, 6);
    expect(normalise(Float32Array.from([MNIST_MEAN]))[0]).toBeCloseTo(0, 6);
    expect(() => gather(pack().train, 2, [10])).toThrow('gather: image 10 is outside 0..9');
  });

  it('BatchStream: every image once per order, a new order after it runs out, rewind repeats', () => {
    const s = new BatchStream(pack(), 0);
    const first = [s.next(4), s.next(4)].flatMap((b) => Array.from(b.y));
    expect(new Set(first).size).toBe(8);
    const third = s.next(4); // only 2 left in the order: starts the next order
    expect(third.n).toBe(4);
    s.rewind();
    expect([s.next(4), s.next(4)].flatMap((b) => Array.from(b.y))).toEqual(first);
    expect(Array.from(s.test(2, 3).y)).toEqual([2, 3, 4]);
  });
});
