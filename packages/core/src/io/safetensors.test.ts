import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DataArray } from '../backend/types.js';
import { arange, memory, tensor, tidy, zeros } from '../index.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadSafetensors, safetensorsMetadata, saveSafetensors } from './index.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/safetensors/${name}`, import.meta.url)));

describe('saveSafetensors / loadSafetensors', () => {
  it('writes the bytes of the reference implementation (its own serialization tests)', () => {
    const out = saveSafetensors({ attn0: arange(0, 6, 1, { dtype: 'float32' }).reshape([1, 1, 2, 3]) });
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ';
    const data = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64];
    expect([...out]).toEqual([72, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode(header), ...data]);
    const empty = saveSafetensors({}, { framework: 'pt' });
    expect(new TextDecoder().decode(empty.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
    expect([...empty.subarray(0, 8)]).toEqual([40, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('round-trips every dtype and shape, scalars and empty tensors included', () => {
    tidy(() => {
      const before = memory().numTensors;
      const sd: Record<string, Tensor> = {
        f32: tensor([
          [1.5, -2],
          [3, 1e-8],
        ]),
        f64: tensor([Math.PI, -Math.E], { dtype: 'float64' }),
        i32: tensor([[-2147483648, 2147483647, 0]], { dtype: 'int32' }),
        i64: tensor([[-(2n ** 53n), 2n ** 53n - 1n, 0n]]),
        u8: tensor(new Uint8Array([0, 1, 255])),
        b: tensor([true, false, true]),
        scalar: tensor(7.25),
        iscalar: tensor(3, { dtype: 'int32' }),
        empty: zeros([0, 4]),
        emptyInt: zeros([3, 0], { dtype: 'int32' }),
        '0': tensor([9]),
      };
      const back = loadSafetensors(saveSafetensors(sd, { a: 'b' }));
      expect(Object.keys(back).sort()).toEqual(Object.keys(sd).sort());
      for (const [k, t] of Object.entries(sd)) {
        expect(back[k].dtype).toBe(t.dtype);
        expect(back[k].shape).toEqual(t.shape);
        expect(back[k].toArray()).toEqual(t.toArray());
      }
      expect(memory().numTensors - before).toBe(2 * Object.keys(sd).length);
    });
  });

  it('writes int32 as I64 only when asked, and reads I64 back as int64', () => {
    const sd = { steps: tensor([1, -2, 3], { dtype: 'int32' }), other: tensor([4], { dtype: 'int32' }) };
    const plain = saveSafetensors(sd);
    expect(new TextDecoder().decode(plain)).not.toContain('I64');
    const wide = saveSafetensors(sd, null, { int64: ['steps'] });
    expect(new TextDecoder().decode(wide)).toContain(
      '"steps":{"dtype":"I64","shape":[3],"data_offsets":[0,24]}',
    );
    expect(loadSafetensors(wide).steps.toArray()).toEqual([1, -2, 3]);
    expect(loadSafetensors(wide).steps.dtype).toBe('int64');
  });

  it('round-trips every int64 value exactly (I64) and uint8 as U8', () => {
    const extremes = BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -1n, 0n);
    const bytes = saveSafetensors({ big: tensor(extremes), u: tensor(new Uint8Array([7, 255])) });
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"big":{"dtype":"I64","shape":[5]');
    expect(text).toContain('"u":{"dtype":"U8","shape":[2]');
    const back = loadSafetensors(bytes);
    expect(back.big.dtype).toBe('int64');
    expect(back.big.dataSync<BigInt64Array>()).toEqual(extremes);
    expect(back.u.dtype).toBe('uint8');
    expect([...back.u.dataSync()]).toEqual([7, 255]);
    // the bytes are the same again (nothing was rounded through a double)
    expect([...saveSafetensors(back)]).toEqual([...bytes]);
  });

  it('matches the reference writer byte for byte (fixture ours_dtypes.safetensors)', () => {
    const sd = {
      w: tensor([
        [1.0, -2.5, 3.25],
        [0.0, 1e-3, -7.0],
      ]),
      b: tensor([0.1, 0.2], { dtype: 'float64' }),
      '0': tensor([1, -2, 3], { dtype: 'int32' }),
      step: tensor(42, { dtype: 'int32' }),
      mask: tensor([
        [true, false],
        [false, true],
      ]),
      empty: zeros([2, 0]),
      s: tensor(-1.5),
    };
    const ours = saveSafetensors(sd, { note: 'é ✓', epoch: '3' }, { int64: ['step'] });
    expect([...ours]).toEqual([...fixture('ours_dtypes.safetensors')]);
  });

  it('loads a PyTorch state dict with F16, BF16, I64, BOOL, empty and scalar tensors', () => {
    const bytes = fixture('torch_state_dict.safetensors');
    const expected = JSON.parse(
      readFileSync(new URL('../../fixtures/safetensors/torch_state_dict.json', import.meta.url), 'utf8'),
    );
    expect(safetensorsMetadata(bytes)).toEqual({ format: 'pt' });
    const sd = loadSafetensors(bytes);
    const want = {
      F32: 'float32',
      F64: 'float64',
      F16: 'float16',
      BF16: 'bfloat16',
      I64: 'int64',
      BOOL: 'bool',
    };
    expect(Object.keys(sd).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [k, e] of Object.entries<{ dtype: keyof typeof want; shape: number[]; values: number[] }>(
      expected.tensors,
    )) {
      expect(sd[k].dtype, k).toBe(want[e.dtype]);
      expect(sd[k].shape, k).toEqual(e.shape);
      const got = [...sd[k].dataSync<DataArray>()].map(Number);
      // JSON holds float64 values of float32 data: compare after rounding to float32.
      const exp = ['float32', 'float16', 'bfloat16'].includes(sd[k].dtype)
        ? [...new Float32Array(e.values.map(Number))]
        : e.values;
      expect(got, k).toEqual(exp);
    }
    expect(sd['1.num_batches_tracked'].item()).toBe(1);
    expect([...sd['extra.half'].dataSync()]).toEqual([
      0.5,
      -2,
      65504,
      1.1920928955078125e-7,
      Number.POSITIVE_INFINITY,
    ]);
  });
});
