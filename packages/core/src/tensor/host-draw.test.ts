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
    const seen: [() => ArrayLike<number>, number][] = [];
    const inside = watchHostDraws(
      (redraw, draws) => seen.push([redraw, draws]),
      () => rand([4]).toArray(),
    );
    // the watched code saw the numbers, and the generator was put back: the redraw gives them again
    expect(inside).toEqual(expected);
    expect(seen[0][1]).toBe(8); // 4 uniforms of 53 bits: two 32-bit draws each
    expect(Array.from(seen[0][0]() as Float32Array)).toEqual(expected);
    expect(rand([4]).toArray()).not.toEqual(expected);
  });

  it('routes dropout masks and counts every 32-bit draw', () => {
    const before = Generator.drawCount;
    let counted = 0;
    watchHostDraws(
      (_r, n) => {
        counted += n;
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
    expect(hostDraw(() => [1, 2])).toEqual([1, 2]);
  });
});
