import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import { dropout } from '../nn/functional/layers.js';
import { ones, rand } from './creation.js';
import { hostDraw, watchHostDraws } from './host-draw.js';
import { Generator, manualSeed } from './random.js';

describe('hostDraw / watchHostDraws', () => {
  it('hands each uploaded draw to the watcher with its count, and the rehearsal draws nothing', () => {
    manualSeed(3);
    const expected = rand([4]).toArray();
    manualSeed(3);
    const seen: [(n: number) => ArrayLike<number>, number, number][] = [];
    const inside = watchHostDraws(
      (redraw, n, draws) => seen.push([redraw, n, draws]),
      () => rand([4]).toArray(),
    );
    // the watched code saw the numbers, and the generator was put back: the redraw gives them
    // again, and draws any other size the same way
    expect(inside).toEqual(expected);
    expect(seen[0][1]).toBe(4);
    expect(seen[0][2]).toBe(8); // 4 uniforms of 53 bits: two 32-bit draws each
    const [redraw] = seen[0];
    expect(Array.from(redraw(4) as Float32Array)).toEqual(expected);
    manualSeed(3);
    expect(Array.from(redraw(6) as Float32Array).slice(0, 4)).toEqual(expected);
    expect(rand([4]).toArray()).not.toEqual(expected);
  });

  it('routes dropout masks and counts every 32-bit draw', () => {
    const before = Generator.drawCount;
    let counted = 0;
    watchHostDraws(
      (_r, _n, draws) => {
        counted += draws;
      },
      () => dropout(ones([10]), 0.5, true),
    );
    expect(Generator.drawCount - before).toBe(counted);
    expect(counted).toBe(20);
    expect(() =>
      watchHostDraws(
        () => {},
        () =>
          watchHostDraws(
            () => {},
            () => 0,
          ),
      ),
    ).toThrow(/already watching/);
    expect(hostDraw(2, (n) => Array.from({ length: n }, (_, i) => i + 1))).toEqual([1, 2]);
  });
});

describe('Generator.randoms', () => {
  it('gives exactly the numbers random() gives, and advances the stream the same way', () => {
    const a = new Generator(11);
    const b = new Generator(11);
    const bulk = a.randoms(1000);
    const one = Float64Array.from({ length: 1000 }, () => b.random());
    expect(Array.from(bulk)).toEqual(Array.from(one));
    expect(a.nextUint32()).toBe(b.nextUint32());
    const before = Generator.drawCount;
    a.randoms(5);
    expect(Generator.drawCount - before).toBe(10);
  });
});
