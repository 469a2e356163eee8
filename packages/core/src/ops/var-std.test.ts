import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { std, tensor, var_ } from '../index.js';

// PyTorch's var/std take (dim, unbiased, keepdim, *, correction): a second positional boolean is
// `unbiased`, not `keepdim` (before, x.var(0, false) silently kept the unbiased estimate).
describe('var and std take PyTorch parameters', () => {
  const x = tensor([1, 2, 3, 4]);
  const close = (t: ReturnType<typeof tensor>, v: number) => expect(t.item()).toBeCloseTo(v, 6);

  it('binds the second positional argument to unbiased', () => {
    close(x.var(), 5 / 3);
    close(x.var(false), 1.25);
    close(x.var(0, false), 1.25);
    close(var_(x, 0, true), 5 / 3);
    close(std(x, 0, false), Math.sqrt(1.25));
    expect(x.var(0, true, true).shape).toEqual([1]);
  });

  it('takes keepdim and correction by name, and refuses both unbiased and correction', () => {
    expect(x.var(0, { keepdim: true }).shape).toEqual([1]);
    close(x.var({ correction: 2 }), 2.5);
    close(x.std({ correction: 0 }), Math.sqrt(1.25));
    expect(() => x.var({ unbiased: true, correction: 1 })).toThrow(/either unbiased or correction/);
    expect(() => tensor([1, 2], { dtype: 'int32' }).var()).toThrow(/only floating point/);
  });
});

describe('reductions take dim and keepdim by name', () => {
  const m = tensor([
    [1, 5, 3],
    [4, 2, 6],
  ]);
  it('as PyTorch keywords, never an object read as a truthy keepdim', () => {
    expect(m.sum(1, { keepdim: false }).shape).toEqual([2]);
    expect(m.sum({ dim: 1, keepdim: true }).shape).toEqual([2, 1]);
    expect(Array.from(m.argmax({ dim: 1, keepdim: true }).dataSync(), Number)).toEqual([1, 2]);
    expect(m.amax(0, { keepdim: true }).shape).toEqual([1, 3]);
    expect(m.float().mean({ dim: 0 }).shape).toEqual([3]);
    expect(() => m.sum(1, { keep: true } as never)).toThrow(/sum: unknown option 'keep'/);
    expect(() => m.sum(1, 'yes' as never)).toThrow(/keepdim must be a boolean/);
  });
});
