import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  arange,
  asStrided,
  diagonal,
  getBackend,
  IndexError,
  index,
  indexAdd,
  indexAdd_,
  indexCopy,
  indexCopy_,
  indexFill,
  indexFill_,
  indexPut,
  indexPut_,
  manualSeed,
  maskedFill,
  maskedFill_,
  maskedScatter,
  maskedScatter_,
  maskedSelect,
  memory,
  nonzero,
  rand,
  scatter,
  scatter_,
  scatterReduce,
  scatterReduce_,
  select,
  slice,
  type Tensor,
  take,
  takeAlongDim,
  tensor,
  tidy,
  unbind,
  unfold,
  where,
  zeros,
} from '../index.js';
import { gradchecks } from '../testing/index.js';

manualSeed(11);

/** Random float64 leaf in [lo, hi). */
function u(shape: number[], lo = -1, hi = 1): Tensor {
  return rand(shape, { dtype: 'float64' })
    .mul(hi - lo)
    .add(lo)
    .detach()
    .requiresGrad_(true);
}
const i32 = (d: number[] | number[][]) => tensor(d, { dtype: 'int32' });
const grid = (...shape: number[]) =>
  arange(
    shape.reduce((a, b) => a * b, 1),
    undefined,
    1,
    { dtype: 'float32' },
  ).reshape(shape);

describe('index: basic indexing gives views', () => {
  it('x.index(0).fill_(1) writes x; slices and new axes are views with PyTorch strides', () => {
    tidy(() => {
      const x = grid(3, 4);
      x.index(0).fill_(1);
      expect(x.index(0).toArray()).toEqual([1, 1, 1, 1]);
      const v = x.index('1:', '::2');
      expect(v.shape).toEqual([2, 2]);
      expect(v.stride()).toEqual([4, 2]);
      expect(v.storageOffset()).toBe(4);
      v.zero_();
      expect(x.toArray()).toEqual([
        [1, 1, 1, 1],
        [0, 5, 0, 7],
        [0, 9, 0, 11],
      ]);
      const n = x.index(null, '...', null);
      expect(n.shape).toEqual([1, 3, 4, 1]);
    });
  });

  it("x.index(':') is a new view of the same storage, not x", () => {
    tidy(() => {
      const x = grid(2, 2);
      const y = x.index(':');
      expect(y).not.toBe(x);
      y.add_(10);
      expect(x.toArray()).toEqual([
        [10, 11],
        [12, 13],
      ]);
    });
  });

  it('a 0-d integer tensor indexes like an integer (a view)', () => {
    tidy(() => {
      const x = grid(3, 2);
      const y = x.index(tensor(2, { dtype: 'int32' }));
      y.fill_(-1);
      expect(x.index(2).toArray()).toEqual([-1, -1]);
    });
  });

  it('slice() follows Python: slice(stop), slice(start, stop, step), nulls as defaults', () => {
    tidy(() => {
      const x = arange(10, undefined, 1, { dtype: 'float32' });
      expect(x.index(slice(3)).toArray()).toEqual([0, 1, 2]);
      expect(x.index(slice(2, 8, 3)).toArray()).toEqual([2, 5]);
      expect(x.index(slice(null, null, 4)).toArray()).toEqual([0, 4, 8]);
      expect(x.index(slice(-2, null)).toArray()).toEqual([8, 9]);
      expect(x.index('-3:').toArray()).toEqual([7, 8, 9]);
      expect(x.index('5:2').shape).toEqual([0]);
      expect(String(slice(1, null, 2))).toBe('1::2');
    });
  });

  it('in-place ops on basic-index views have PyTorch autograd', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = a.mul(1);
    b.index(0).mul_(3);
    b.sum().backward(); // sum()'s gradient is an expanded (stride-0) view
    expect(a.grad!.toArray()).toEqual([
      [3, 3],
      [1, 1],
    ]);
  });
});

describe('index: advanced indexing gives copies', () => {
  it('writing the result leaves x alone', () => {
    tidy(() => {
      const x = grid(3, 3);
      const y = x.index([0, 2]);
      y.fill_(0);
      expect(x.index(0).toArray()).toEqual([0, 1, 2]);
    });
  });

  it('shapes: adjacent advanced dims stay in place, separated ones go first (PyTorch, ints first)', () => {
    tidy(() => {
      const x = zeros(2, 3, 4, 5);
      expect(x.index(0, ':', [1, 2]).shape).toEqual([3, 2, 5]);
      expect(x.index(':', [0, 1], 0).shape).toEqual([2, 2, 5]);
      expect(x.index(':', [0, 1], ':', [0, 1]).shape).toEqual([2, 2, 4]);
      expect(x.index([0, 1], null, [0, 1]).shape).toEqual([2, 1, 4, 5]);
      expect(x.index([[0, 1]], ':', [[0], [1]]).shape).toEqual([2, 2, 3, 5]);
      expect(x.index('...', [0, 1]).shape).toEqual([2, 3, 4, 2]);
      expect(x.index(true).shape).toEqual([1, 2, 3, 4, 5]);
      expect(x.index(false).shape).toEqual([0, 2, 3, 4, 5]);
    });
  });

  it('masks: a bool tensor or boolean[] consumes as many dims as it has', () => {
    tidy(() => {
      const x = grid(3, 4);
      expect(x.index(x.gt(8)).toArray()).toEqual([9, 10, 11]);
      expect(x.index([true, false, true]).toArray()).toEqual([
        [0, 1, 2, 3],
        [8, 9, 10, 11],
      ]);
      expect(x.index(':', tensor([false, true, false, true])).toArray()).toEqual([
        [1, 3],
        [5, 7],
        [9, 11],
      ]);
    });
  });

  it('accepts int64 index tensors where the backend stores int64', () => {
    if (!getBackend().supportsDtype('int64')) return;
    tidy(() => {
      const x = grid(3, 2);
      const i = tensor([2, 0], { dtype: 'int64' });
      expect(x.index(i).toArray()).toEqual([
        [4, 5],
        [0, 1],
      ]);
      expect(x.indexSelect(0, i).toArray()).toEqual(x.index(i).toArray());
    });
  });
});

describe('index: errors', () => {
  const x = zeros(3, 4);
  it('out of range names the dim and its size (IndexError)', () => {
    expect(() => x.index(5)).toThrow('index: index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x.index(':', -5)).toThrow('index -5 is out of bounds for dimension 1 with size 4');
    expect(() => x.index(':', [0, 7])).toThrow('index 7 is out of bounds for dimension 1 with size 4');
    expect(() => x.index(i32([3]))).toThrow(IndexError);
  });
  it('too many indices, two ellipses, bad slices, bad index kinds', () => {
    expect(() => x.index(0, 0, 0)).toThrow('too many indices for tensor of dimension 2');
    expect(() => x.index('...', '...')).toThrow('single ellipsis');
    expect(() => x.index('::-1')).toThrow('step must be greater than zero');
    expect(() => x.index('::0')).toThrow('slice step cannot be zero');
    expect(() => x.index('1:a')).toThrow("invalid slice '1:a'");
    expect(() => x.index('3')).toThrow("invalid index string '3'");
    expect(() => x.index(tensor([0]))).toThrow('tensors used as indices must be integer');
    expect(() => x.index(1.5)).toThrow('index 1.5 is not an integer');
    expect(() => x.index(undefined as never)).toThrow('unsupported index entry');
  });
  it('a mask of the wrong shape', () => {
    expect(() => x.index(tensor([true, false]))).toThrow(
      'the shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3,4] at index 0',
    );
  });
  it('index arrays that do not broadcast', () => {
    expect(() => x.index([0, 1], [0, 1, 2])).toThrow(
      'shape mismatch: indexing tensors could not be broadcast',
    );
  });
});

describe('indexPut_ / indexPut', () => {
  it('basic indices write through the view (values broadcast)', () => {
    tidy(() => {
      const x = zeros(3, 4);
      const r = x.indexPut_(['1:3', 0], tensor([7, 8]));
      expect(r).toBe(x);
      x.indexPut_([0], tensor([1, 2, 3, 4]));
      expect(x.toArray()).toEqual([
        [1, 2, 3, 4],
        [7, 0, 0, 0],
        [8, 0, 0, 0],
      ]);
      x.indexPut_(['...', -1], 5, true);
      expect(x.index(':', -1).toArray()).toEqual([9, 5, 5]);
    });
  });

  it('masks and advanced indices; accumulate sums duplicates; non-accumulate keeps the last', () => {
    tidy(() => {
      const x = grid(2, 3);
      x.indexPut_([x.gt(3)], 0);
      expect(x.toArray()).toEqual([
        [0, 1, 2],
        [3, 0, 0],
      ]);
      x.indexPut_(
        [
          [0, 0, 1],
          [1, 1, 2],
        ],
        tensor([10, 20, 30]),
        { accumulate: true },
      );
      expect(x.toArray()).toEqual([
        [0, 31, 2],
        [3, 0, 30],
      ]);
      x.indexPut_(
        [[0, 0]],
        tensor([
          [1, 1, 1],
          [2, 2, 2],
        ]),
      );
      expect(x.index(0).toArray()).toEqual([2, 2, 2]);
    });
  });

  it('writes through when x itself is a view', () => {
    tidy(() => {
      const base = zeros(2, 3);
      base.index(1).indexPut_([[0, 2]], 4);
      expect(base.toArray()).toEqual([
        [0, 0, 0],
        [4, 0, 4],
      ]);
    });
  });

  it('gradients flow to the old values outside the written elements and to values', () => {
    const a = tensor([1, 2, 3, 4], { requiresGrad: true });
    const v = tensor([10, 20], { requiresGrad: true });
    const y = a.mul(2);
    y.indexPut_([[3, 0]], v);
    y.mul(tensor([1, 2, 3, 4]))
      .sum()
      .backward();
    expect(a.grad!.toArray()).toEqual([0, 4, 6, 0]);
    expect(v.grad!.toArray()).toEqual([4, 1]);
  });

  it('refuses a leaf that requires grad, a non-array index, and values that do not broadcast', () => {
    const leaf = tensor([1, 2], { requiresGrad: true });
    expect(() => leaf.indexPut_([[0]], 1)).toThrow('leaf tensor that requires grad');
    expect(() => zeros(3).indexPut_(tensor([true, false, true]) as never, 1)).toThrow(
      'indices must be an array of index entries',
    );
    expect(() => zeros(3, 2).indexPut_([[0, 1]], tensor([1, 2, 3]))).toThrow(
      'shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2,2]',
    );
  });

  it('indexPut is out of place; the functions match the methods', () => {
    tidy(() => {
      const x = zeros(3);
      const y = indexPut(x, [[2]], 5);
      expect(x.toArray()).toEqual([0, 0, 0]);
      expect(y.toArray()).toEqual([0, 0, 5]);
      indexPut_(x, ['1:'], 1);
      expect(x.toArray()).toEqual([0, 1, 1]);
      expect(index(x, [0, 2]).toArray()).toEqual([0, 1]);
    });
  });
});

describe('masked ops, nonzero, where(cond)', () => {
  it('maskedFill(_) with a number or 0-d tensor; maskedSelect; maskedScatter(_)', () => {
    tidy(() => {
      const x = grid(2, 3);
      const m = tensor([true, false, true]);
      expect(maskedFill(x, m, -1).toArray()).toEqual([
        [-1, 1, -1],
        [-1, 4, -1],
      ]);
      expect(x.maskedFill(m, tensor(9)).index(0).toArray()).toEqual([9, 1, 9]);
      expect(maskedSelect(x, m).toArray()).toEqual([0, 2, 3, 5]);
      expect(maskedScatter(x, m, tensor([10, 20, 30, 40, 50])).toArray()).toEqual([
        [10, 1, 20],
        [30, 4, 40],
      ]);
      const row = x.index(1);
      maskedFill_(row, m, 0);
      expect(x.index(1).toArray()).toEqual([0, 4, 0]);
      maskedScatter_(x, x.eq(0), tensor([7, 7, 7, 7]));
      expect(x.toArray()).toEqual([
        [7, 1, 2],
        [7, 4, 7],
      ]);
    });
  });

  it('masked op errors', () => {
    const x = zeros(2, 3);
    expect(() => x.maskedFill(tensor([1, 0, 1], { dtype: 'int32' }), 1)).toThrow(
      'only supports boolean masks',
    );
    expect(() => x.maskedFill(tensor([true, false, true]), tensor([1, 2]))).toThrow(
      '0-dimensional value tensor',
    );
    expect(() => x.maskedScatter(tensor([true, true, true]), tensor([1, 2]))).toThrow(
      'number of elements of source (2, shape [2]) < number of ones in mask (6)',
    );
    expect(() => tensor([1, 2], { dtype: 'int32' }).maskedFill(tensor([true, false]), 1.5)).toThrow(
      'cannot be converted to int32',
    );
  });

  it('nonzero: [n, ndim], asTuple, 0-d; index dtype int64 where stored, else int32', () => {
    tidy(() => {
      const x = tensor([
        [0, 2],
        [3, 0],
      ]);
      const nz = nonzero(x);
      expect(nz.dtype).toBe(getBackend().supportsDtype('int64') ? 'int64' : 'int32');
      expect(nz.toArray()).toEqual([
        [0, 1],
        [1, 0],
      ]);
      expect(x.nonzero({ asTuple: true }).map((t) => t.toArray())).toEqual([
        [0, 1],
        [1, 0],
      ]);
      expect(nonzero(tensor(3)).shape).toEqual([1, 0]);
      expect(nonzero(tensor(3), { asTuple: true }).map((t) => t.toArray())).toEqual([[0]]);
      expect(nonzero(tensor([Number.NaN, 0])).toArray()).toEqual([[0]]);
      expect(where(x.gt(0)).map((t) => t.toArray())).toEqual([
        [0, 1],
        [1, 0],
      ]);
      expect(x.index(...where(x.gt(0))).toArray()).toEqual([2, 3]);
      expect(() => nonzero(x, { as_tuple: true } as never)).toThrow("unknown option 'as_tuple'");
    });
  });
});

describe('index_add / index_copy / index_fill / scatter / scatter_reduce / take', () => {
  it('values (PyTorch docs examples)', () => {
    tidy(() => {
      const x = zeros(5, 3);
      const t = tensor([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ]);
      const i = i32([0, 4, 2]);
      expect(indexAdd(x, 0, i, t, { alpha: 2 }).index([0, 2, 4]).toArray()).toEqual([
        [2, 4, 6],
        [14, 16, 18],
        [8, 10, 12],
      ]);
      expect(indexCopy(x, 0, i, t).index(4).toArray()).toEqual([4, 5, 6]);
      expect(indexFill(t, 1, i32([0, 2]), -1).toArray()).toEqual([
        [-1, 2, -1],
        [-1, 5, -1],
        [-1, 8, -1],
      ]);
      const src = arange(1, 11, 1, { dtype: 'float32' }).reshape(2, 5);
      expect(scatter(zeros(3, 5), 0, i32([[0, 1, 2, 0]]), src).toArray()).toEqual([
        [1, 0, 0, 4, 0],
        [0, 2, 0, 0, 0],
        [0, 0, 3, 0, 0],
      ]);
      expect(
        scatter(zeros(2, 4), 1, i32([[2], [3]]), 1.23)
          .index(':', '2:')
          .toArray(),
      ).toEqual([
        [1.2300000190734863, 0],
        [0, 1.2300000190734863],
      ]);
      const ones = tensor([
        [2, 2, 2, 2],
        [2, 2, 2, 2],
      ]);
      expect(scatter(ones, 1, i32([[2], [3]]), 1.5, 'multiply').toArray()).toEqual([
        [2, 2, 3, 2],
        [2, 2, 2, 3],
      ]);
      const s = tensor([1, 2, 3, 4, 5, 6]);
      const idx = i32([0, 1, 0, 1, 2, 1]);
      const base = tensor([1, 2, 3, 4]);
      expect(scatterReduce(base, 0, idx, s, 'sum').toArray()).toEqual([5, 14, 8, 4]);
      expect(scatterReduce(base, 0, idx, s, 'amax', { includeSelf: false }).toArray()).toEqual([3, 6, 5, 4]);
      expect(scatterReduce(base, 0, idx, s, 'prod').toArray()).toEqual([3, 96, 15, 4]);
      expect(scatterReduce(base, 0, idx, s, 'mean', false).toArray()).toEqual([2, 4, 5, 4]);
      expect(take(t, i32([0, -1, 4])).toArray()).toEqual([1, 9, 5]);
      expect(takeAlongDim(t, i32([[2], [0], [1]]), 1).toArray()).toEqual([[3], [4], [8]]);
    });
  });

  it('in-place variants return x and write through views', () => {
    tidy(() => {
      const base = zeros(2, 3);
      const row = base.index(0);
      expect(indexAdd_(row, 0, i32([1, 1]), tensor([1, 2]))).toBe(row);
      indexCopy_(base.index(1), 0, i32([2]), tensor([5]));
      indexFill_(base, 1, i32([0]), 9);
      scatter_(base, 1, i32([[2]]), 4);
      scatterReduce_(base, 1, i32([[1]]), tensor([[10]]), 'amax');
      expect(base.toArray()).toEqual([
        [9, 10, 4],
        [9, 0, 5],
      ]);
    });
  });

  it('scatter_reduce over many duplicates (one bin) stays exact', () => {
    tidy(() => {
      const n = 1000;
      const s = arange(1, n + 1, 1, { dtype: 'float64' });
      const idx = zeros([n], { dtype: 'int32' });
      expect(scatterReduce(zeros([1], { dtype: 'float64' }), 0, idx, s, 'amax', false).item()).toBe(n);
      expect(scatterReduce(zeros([1], { dtype: 'float64' }), 0, idx, s, 'sum').item()).toBe(
        (n * (n + 1)) / 2,
      );
      const halves = tensor(Array(40).fill(2), { dtype: 'float64' });
      expect(
        scatterReduce(
          tensor([1], { dtype: 'float64' }),
          0,
          zeros([40], { dtype: 'int32' }),
          halves,
          'prod',
        ).item(),
      ).toBe(2 ** 40);
    });
  });

  it('errors', () => {
    const x = zeros(3, 4);
    expect(() => x.indexAdd(0, i32([3]), zeros(1, 4))).toThrow(
      'index 3 is out of bounds for dimension 0 with size 3',
    );
    expect(() => x.indexAdd(0, i32([1]), zeros(2, 4))).toThrow(
      'source [2,4] must have the shape of self [3,4]',
    );
    expect(() => x.indexAdd(0, tensor([1]), zeros(1, 4))).toThrow('expected dtype int32/int64 for index');
    expect(() => x.scatter(0, i32([[-1]]), 1)).toThrow(
      'index -1 is out of bounds for dimension 0 with size 3',
    );
    expect(() => x.scatter(0, i32([[1, 1, 1, 1, 1]]), zeros(1, 5))).toThrow('to be smaller than self [3,4]');
    expect(() => x.scatter(0, i32([[1]]), zeros([1, 1], { dtype: 'float64' }))).toThrow(
      'self.dtype to be equal to src.dtype',
    );
    expect(() => x.scatter(0, i32([[1]]), 1, 'max' as never)).toThrow("either 'add' or 'multiply'");
    expect(() => x.scatterReduce(0, i32([[1]]), zeros(1, 1), 'max' as never)).toThrow(
      "'sum', 'prod', 'mean', 'amax', 'amin'",
    );
    expect(() => x.take(i32([12]))).toThrow('tried to access index 12 on a tensor of 12 elements');
  });
});

describe('iteration over dim 0 and the view ops as methods', () => {
  it('for (const row of x) yields select(0, i) views; 0-d throws TypeError', () => {
    tidy(() => {
      const x = grid(3, 2);
      const rows: number[][] = [];
      for (const r of x) rows.push(r.toArray() as number[]);
      expect(rows).toEqual([
        [0, 1],
        [2, 3],
        [4, 5],
      ]);
      for (const r of x) r.mul_(2);
      expect(x.index(2).toArray()).toEqual([8, 10]);
      expect([...zeros(0, 3)]).toEqual([]);
      expect(() => [...tensor(1)]).toThrow(TypeError);
      expect(() => tensor(1)[Symbol.iterator]()).toThrow('iteration over a 0-d tensor');
    });
  });

  it('select, unbind, diagonal, unfold, asStrided: methods and functions', () => {
    tidy(() => {
      const x = grid(3, 3);
      expect(x.select(1, -1).toArray()).toEqual(select(x, 1, 2).toArray());
      expect(x.unbind(1).map((t) => t.toArray())).toEqual(unbind(x, 1).map((t) => t.toArray()));
      expect(x.diagonal().toArray()).toEqual([0, 4, 8]);
      expect(diagonal(x, 1).toArray()).toEqual([1, 5]);
      expect(x.flatten().unfold(0, 3, 3).toArray()).toEqual(unfold(x.flatten(), 0, 3, 3).toArray());
      expect(x.asStrided([2, 2], [1, 3]).toArray()).toEqual(asStrided(x, [2, 2], [1, 3], 0).toArray());
      x.diagonal().fill_(-1);
      expect(x.index(1, 1).item()).toBe(-1);
    });
  });
});

describe('memory', () => {
  it('leaves no tensors behind inside tidy', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = rand([4, 5], { requiresGrad: true });
      const y = x.mul(1);
      y.indexPut_([y.gt(0.5)], 0);
      y.index([0, 1], '1:')
        .sum()
        .add(maskedSelect(x, x.gt(0.2)).sum())
        .backward();
      scatterReduce(x, 0, i32([[0, 1, 0, 1, 0]]), x.index('0:1'), 'amin').sum();
      x.grad!.dispose();
    });
    expect(memory().numTensors).toBe(before);
  });
});

describe('gradcheck (float64)', () => {
  const cases: [string, (...xs: Tensor[]) => Tensor, () => Tensor[]][] = [
    ['index basic', (x) => x.index(1, '::2', null), () => [u([3, 4])]],
    ['index advanced with repeats', (x) => x.index([0, 0, 2], ':', [1, 1, 0]), () => [u([3, 2, 2])]],
    ['index mask', (x) => x.index(x.detach().gt(0)), () => [u([3, 4])]],
    ['index separated advanced', (x) => x.index([1, 0], ':', [2, 2]), () => [u([2, 3, 4])]],
    ['indexPut', (x, v) => indexPut(x, [[0, 2], '1:'], v), () => [u([3, 3]), u([2])]],
    ['indexPut accumulate', (x, v) => indexPut(x, [[0, 0, 2]], v, true), () => [u([3, 2]), u([3, 2])]],
    [
      'indexPut_ on a view of a non-leaf',
      (x, v) => {
        const y = x.mul(1);
        y.index(1).indexPut_([[2, 0]], v);
        return y;
      },
      () => [u([2, 3]), u([2])],
    ],
    ['maskedFill', (x, v) => maskedFill(x, tensor([true, false, true]), v), () => [u([2, 3]), u([])]],
    ['maskedSelect', (x) => maskedSelect(x, tensor([[true], [false]])), () => [u([2, 3])]],
    ['maskedScatter', (x, s) => maskedScatter(x, tensor([false, true, true]), s), () => [u([2, 3]), u([5])]],
    ['indexAdd', (x, s) => indexAdd(x, 1, i32([2, 0, 2]), s, 0.5), () => [u([2, 3]), u([2, 3])]],
    ['indexCopy', (x, s) => indexCopy(x, 0, i32([2, 0]), s), () => [u([3, 2]), u([2, 2])]],
    ['indexFill', (x, v) => indexFill(x, 1, i32([0, -1, 0]), v), () => [u([2, 3]), u([])]],
    [
      'scatter',
      (x, s) =>
        scatter(
          x,
          0,
          i32([
            [1, 0],
            [2, 2],
          ]),
          s,
        ),
      () => [u([3, 2]), u([2, 2])],
    ],
    ['scatter value', (x) => scatter(x, 1, i32([[1], [0]]), 2), () => [u([2, 3])]],
    [
      'scatter add',
      (x, s) =>
        scatter(
          x,
          0,
          i32([
            [1, 1],
            [1, 0],
          ]),
          s,
          'add',
        ),
      () => [u([2, 2]), u([2, 2])],
    ],
    ...(['sum', 'prod', 'mean', 'amax', 'amin'] as const).flatMap((r) =>
      [true, false].map((inc): [string, (...xs: Tensor[]) => Tensor, () => Tensor[]] => [
        `scatterReduce ${r} includeSelf=${inc}`,
        (x, s) =>
          scatterReduce(
            x,
            0,
            i32([
              [0, 1],
              [0, 0],
              [2, 0],
            ]),
            s,
            r,
            { includeSelf: inc },
          ),
        () => [u([3, 2], 0.5, 1.5), u([3, 2], 0.5, 1.5)],
      ]),
    ),
    ['take', (x) => take(x, i32([0, -1, 0])), () => [u([2, 2])]],
    ['takeAlongDim', (x) => takeAlongDim(x, i32([[1], [0]]), 1), () => [u([2, 3])]],
    [
      'gather',
      (x) =>
        x.gather(
          1,
          i32([
            [0, 0],
            [2, 1],
          ]),
        ),
      () => [u([2, 3])],
    ],
  ];
  for (const [name, fn, inputs] of cases) {
    it(name, () => {
      expect(gradchecks(fn, inputs())).toBe(true);
    });
  }
});
