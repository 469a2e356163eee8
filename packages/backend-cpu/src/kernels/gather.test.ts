import { describe, expect, it } from 'vitest';
import { be, read, t } from '../../test/helpers.js';
import { scatterAddOp } from './gather.js';

describe('gather', () => {
  it('gathers along axis 0 and 1 (torch.gather)', () => {
    const x = t([1, 2, 3, 4, 5, 6], [2, 3]);
    const i1 = t([2, 0, 1, 1], [2, 2], 'int32');
    expect(read(be.gather(x, 1, i1), [2, 2])).toEqual([3, 1, 5, 5]);
    const i0 = t([1, 0, 1], [1, 3], 'int32');
    expect(read(be.gather(x, 0, i0), [1, 3])).toEqual([4, 2, 6]);
  });

  it('gathers along a middle axis of a 3-D tensor with a smaller index', () => {
    const x = t(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    // out[i][j][k] = x[i][idx[i][j][k]][k], index shape [2, 1, 2]
    const idx = t([2, 0, 1, 1], [2, 1, 2], 'int32');
    expect(read(be.gather(x, 1, idx), [2, 1, 2])).toEqual([8, 1, 16, 17]);
  });

  it('keeps the dtype of x', () => {
    const out = be.gather(t([5, 6], [2], 'int32'), 0, t([1, 1, 0], [3], 'int32'));
    expect(out).toBeInstanceOf(Int32Array);
    expect(read(out, [3], 'int32')).toEqual([6, 6, 5]);
  });

  it('throws naming the op, index, axis and range', () => {
    const x = t(new Array(10).fill(0), [2, 5]);
    expect(() => be.gather(x, 1, t([0, 7], [1, 2], 'int32'))).toThrow(
      'gather: index 7 is out of range for axis 1 of size 5',
    );
    expect(() => be.gather(x, 0, t([-1], [1, 1], 'int32'))).toThrow(
      /index -1 is out of range for axis 0 of size 2/,
    );
  });
});

describe('scatterAdd', () => {
  it('accumulates duplicates (torch.scatter_add)', () => {
    const target = t([0, 0, 0, 0, 0, 0], [2, 3]);
    const idx = t([0, 2, 0, 1, 1, 1], [2, 3], 'int32');
    const src = t([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(read(be.scatterAdd(target, 1, idx, src), [2, 3])).toEqual([4, 0, 2, 0, 15, 0]);
    const idx0 = t([0, 1, 0, 1, 1, 0], [2, 3], 'int32');
    expect(read(be.scatterAdd(target, 0, idx0, src), [2, 3])).toEqual([1, 0, 9, 4, 7, 0]);
  });

  it('does not modify the target and supports a smaller index', () => {
    const target = t([1, 1, 1, 1], [2, 2]);
    const out = be.scatterAdd(target, 0, t([1], [1, 1], 'int32'), t([5], [1, 1]));
    expect(read(out, [2, 2])).toEqual([1, 1, 6, 1]);
    expect(read(target.handle, [2, 2])).toEqual([1, 1, 1, 1]);
  });

  it('adds bools as a logical or, as torch does (never 2, never wrapped at 256)', () => {
    const target = t([0, 0, 1], [3], 'bool');
    const idx = t([...new Array(256).fill(0), 1], [257], 'int32');
    const src = t(new Array(257).fill(1), [257], 'bool');
    expect(read(be.scatterAdd(target, 0, idx, src), [3], 'bool')).toEqual([1, 1, 1]);
    expect(read(be.scatterAdd(target, 0, t([0], [1], 'int32'), t([0], [1], 'bool')), [3], 'bool')).toEqual([
      0, 0, 1,
    ]);
  });

  it('throws on an out-of-range index', () => {
    const target = t([0, 0], [2]);
    expect(() => be.scatterAdd(target, 0, t([2], [1], 'int32'), t([1], [1]))).toThrow(
      'scatterAdd: index 2 is out of range for axis 0 of size 2',
    );
  });
  it('int32 scatterAdd that overflows is an error, never a wrap-around (issue 11)', () => {
    const target = new Int32Array([2147483647, 0]);
    expect(() => scatterAddOp(target, [2], 0, new Int32Array([0]), [1], new Int32Array([1]))).toThrow(
      /scatterAdd: value 2147483648 does not fit int32/,
    );
    expect(
      Array.from(scatterAddOp(target, [2], 0, new Int32Array([1, 1]), [2], new Int32Array([3, 4]))),
    ).toEqual([2147483647, 7]);
  });
});
