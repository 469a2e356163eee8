// meshgrid and cartesianProd beyond the op-table fixtures (table/meshgrid/*, table/cartesianProd/*):
// calling forms, views, the indexing warning, refusals.
import '@proj/backend-cpu';
import { describe, expect, it, vi } from 'vitest';
import { cartesianProd, meshgrid, ones, tensor, tidy } from '../index.js';

describe('meshgrid', () => {
  it("takes the tensors spread or as one array; 'ij' and 'xy' as PyTorch", () => {
    tidy(() => {
      const x = tensor([1, 2]);
      const y = tensor([3, 4, 5]);
      const [a, b] = meshgrid([x, y], { indexing: 'ij' });
      expect(a.toArray()).toEqual([
        [1, 1, 1],
        [2, 2, 2],
      ]);
      expect(b.toArray()).toEqual([
        [3, 4, 5],
        [3, 4, 5],
      ]);
      const [c, d] = meshgrid(x, y, { indexing: 'xy' });
      expect(c.shape).toEqual([3, 2]);
      expect(d.toArray()).toEqual([
        [3, 3],
        [4, 4],
        [5, 5],
      ]);
      expect(meshgrid(x, y, tensor([6, 7, 8, 9]), { indexing: 'xy' })[2].shape).toEqual([3, 2, 4]);
    });
  });

  it('returns expanded views of the inputs (no copy), as PyTorch', () => {
    tidy(() => {
      const x = tensor([1, 2]);
      const [a] = meshgrid(x, tensor([3, 4, 5]), { indexing: 'ij' });
      expect(a.stride()).toEqual([1, 0]);
      x.add_(10);
      expect(a.toArray()).toEqual([
        [11, 11, 11],
        [12, 12, 12],
      ]);
    });
  });

  it("warns once when indexing is not given (PyTorch 1.13's warning) and uses 'ij'", () => {
    tidy(() => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        expect(meshgrid(tensor([1, 2]), tensor([3, 4, 5]))[0].shape).toEqual([2, 3]);
        meshgrid(tensor([1]));
        expect(warn.mock.calls.length).toBe(1);
        expect(String(warn.mock.calls[0][0])).toMatch(/meshgrid: .*indexing argument/);
      } finally {
        warn.mockRestore();
      }
    });
  });

  it('refuses what PyTorch refuses', () => {
    tidy(() => {
      expect(() => meshgrid({ indexing: 'ij' })).toThrow(/meshgrid: expects a non-empty list of tensors/);
      expect(() => meshgrid(ones(2), tensor([1], { dtype: 'int64' }), { indexing: 'ij' })).toThrow(
        /meshgrid: expects all tensors to have the same dtype, got float32, int64/,
      );
      expect(() => meshgrid(ones(2), { indexing: 'ji' as never })).toThrow(
        /meshgrid: indexing must be one of "ij", "xy"/,
      );
      expect(() => meshgrid(ones(2, 2), { indexing: 'ij' })).toThrow(/meshgrid: expected 0-D or 1-D tensors/);
    });
  });
});

describe('cartesianProd', () => {
  it('lists every combination, the last input fastest; one input is returned as is', () => {
    tidy(() => {
      expect(cartesianProd(tensor([1, 2]), tensor([3, 4])).toArray()).toEqual([
        [1, 3],
        [1, 4],
        [2, 3],
        [2, 4],
      ]);
      const x = tensor([1, 2, 3]);
      expect(cartesianProd(x)).toBe(x);
      expect(cartesianProd([x, x, x]).shape).toEqual([27, 3]);
      expect(() => cartesianProd(tensor(1), x)).toThrow(
        /cartesianProd: expected 1-D tensors, got shape \[\]/,
      );
    });
  });
});
