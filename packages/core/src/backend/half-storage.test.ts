import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.js';
import { roundHalfResult, unwrapHalfStorage, withHalfStorage } from './half-storage.js';
import type { DType, Shape, TensorInfo, TypedArray } from './types.js';

/** A tiny float32-only backend that records the dtypes it is handed. */
class SpyBackend {
  readonly name = 'spy';
  live = 0;
  seen: string[] = [];
  get doubleLive(): number {
    return this.live * 2;
  }
  supportsDtype(d: DType): boolean {
    return d === 'float32' || d === 'int32';
  }
  write(values: TypedArray, _shape: Shape, dtype: DType): unknown {
    this.seen.push(`write:${dtype}`);
    this.live++;
    return Float32Array.from(values);
  }
  readSync(x: TensorInfo): TypedArray {
    this.seen.push(`read:${x.dtype}`);
    return (x.handle as Float32Array).slice();
  }
  fill(shape: Shape, dtype: DType, value: number): unknown {
    this.seen.push(`fill:${dtype}`);
    this.live++;
    return new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value);
  }
  cast(x: TensorInfo, dtype: DType): unknown {
    this.seen.push(`cast:${x.dtype}->${dtype}`);
    this.live++;
    return (x.handle as Float32Array).slice();
  }
  binary(_op: string, a: TensorInfo, b: TensorInfo): unknown {
    this.seen.push(`binary:${a.dtype},${b.dtype}`);
    this.live++;
    const x = a.handle as Float32Array;
    const y = b.handle as Float32Array;
    return x.map((v, i) => v + y[i]);
  }
  concat(xs: readonly TensorInfo[]): unknown {
    this.seen.push(`concat:${xs.map((x) => x.dtype).join(',')}`);
    return new Float32Array(0);
  }
  disposeData(): void {
    this.live--;
  }
}

const make = () => {
  const inner = new SpyBackend();
  return [inner, withHalfStorage(inner as unknown as Backend)] as const;
};

describe('withHalfStorage', () => {
  it('is transparent: instanceof, properties, getters and writes reach the backend', () => {
    const [inner, b] = make();
    expect(b).toBeInstanceOf(SpyBackend);
    expect(b.name).toBe('spy');
    expect(unwrapHalfStorage(b)).toBe(inner);
    expect(unwrapHalfStorage(inner as unknown as Backend)).toBe(inner);
    expect(withHalfStorage(b)).toBe(b);
    (b as unknown as SpyBackend).live = 5;
    expect(inner.live).toBe(5);
    expect((b as unknown as SpyBackend).doubleLive).toBe(10);
    expect(b.supportsDtype('float16')).toBe(true);
    expect(b.supportsDtype('bfloat16')).toBe(true);
    expect(b.supportsDtype('float64')).toBe(false);
  });

  it('stores half dtypes as float32 values the half type holds', () => {
    const [inner, b] = make();
    const h = b.write(new Float32Array([1 / 3, 70000]), [2], 'float16');
    expect([...(b.readSync({ handle: h, shape: [2], dtype: 'float16' }) as Float32Array)]).toEqual([
      0.333251953125,
      Infinity,
    ]);
    const f = b.fill([2], 'bfloat16', 1 / 3);
    expect([...(f as Float32Array)]).toEqual([0.333984375, 0.333984375]);
    const info = { handle: h, shape: [2], dtype: 'float16' as const };
    b.binary('add', info, info, [2]);
    b.concat?.([info, info], 0);
    // the backend itself only ever sees float32
    expect(inner.seen).toEqual([
      'write:float32',
      'read:float32',
      'fill:float32',
      'binary:float32,float32',
      'concat:float32,float32',
    ]);
  });

  it('casts to a half dtype by rounding, from ints through float32', () => {
    const [inner, b] = make();
    const x = { handle: new Float32Array([0.1, 65520]), shape: [2], dtype: 'float32' as const };
    expect([...(b.cast(x, 'float16') as Float32Array)]).toEqual([0.0999755859375, Infinity]);
    const i = { handle: new Float32Array([3, 2049]), shape: [2], dtype: 'int32' as const };
    const live = inner.live;
    expect([...(b.cast(i, 'float16') as Float32Array)]).toEqual([3, 2048]);
    expect(inner.live).toBe(live + 1); // the float32 intermediate was freed
    expect(inner.seen).toContain('cast:int32->float32');
  });

  it('roundHalfResult rounds a raw result once and frees it', () => {
    const [inner, b] = make();
    const raw = b.write(new Float32Array([0.1, 0.2]), [2], 'float32');
    const live = inner.live;
    const r = roundHalfResult(b, raw, [2], 'bfloat16');
    expect([...(r as Float32Array)]).toEqual([0.10009765625, 0.2001953125]);
    expect(inner.live).toBe(live); // one buffer made, one freed
    expect(roundHalfResult(b, raw, [2], 'float32')).toBe(raw);
  });
});
