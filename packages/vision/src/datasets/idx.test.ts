import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx.js';

function idx(dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const v = new DataView(out.buffer);
  out[2] = 8;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    v.setUint32(4 + 4 * i, d);
  });
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('parseIdx', () => {
  it('reads dims and data', () => {
    const r = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]));
    expect(r.dims).toEqual([2, 3]);
    expect([...r.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('refuses truncated files and other element types', () => {
    expect(() => parseIdx(idx([2, 3], [1, 2]), 'x')).toThrow(/declares 6 elements/);
    const bad = idx([1], [1]);
    bad[2] = 0x0d;
    expect(() => parseIdx(bad)).toThrow(/only unsigned byte/);
  });
});
