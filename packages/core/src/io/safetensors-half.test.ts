import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nn, tensor } from '../index.js';
import { loadSafetensors, readSafetensorsHeader, saveSafetensors } from './index.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/safetensors/${name}`, import.meta.url)));

describe('safetensors F16 / BF16', () => {
  it('loads a PyTorch float16/bfloat16 state dict exactly and saves the same bytes back', () => {
    const bytes = fixture('torch_half.safetensors');
    const sd = loadSafetensors(bytes);
    expect(sd['fp16.0.weight'].dtype).toBe('float16');
    expect(sd['bf16.0.weight'].dtype).toBe('bfloat16');
    const edges = sd['edges.fp16'].dataSync();
    expect(edges).toBeInstanceOf(Float32Array);
    expect([...edges].slice(0, 8)).toEqual([
      65504,
      -65504,
      2 ** -24,
      -(2 ** -24),
      1023 * 2 ** -24,
      -0,
      Infinity,
      -Infinity,
    ]);
    expect(Object.is(edges[5], -0)).toBe(true);
    expect(Number.isNaN(edges[8])).toBe(true);
    expect(edges[9]).toBe(0.333251953125);
    const bf = sd['edges.bf16'].dataSync();
    expect(bf[9]).toBe(0.333984375);
    expect(bf[10]).toBe(3.2964854295465914e38); // 3.3e38 rounded to bfloat16 (PyTorch's value)
    expect(bf[11]).toBe(9.183549615799121e-41); // a float32 subnormal, rounded to bfloat16
    // every tensor is F16 or BF16: saving it back reproduces the file, bit for bit
    const again = saveSafetensors(sd, { format: 'pt' });
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('saves half tensors as their bit patterns', () => {
    const out = saveSafetensors({
      h: tensor([1, -2, 70000, 1 / 3], { dtype: 'float16' }),
      b: tensor([1, 1 / 3], { dtype: 'bfloat16' }),
    });
    const header = readSafetensorsHeader(out);
    expect(header.tensors.h.dtype).toBe('F16');
    expect(header.tensors.b.dtype).toBe('BF16');
    const view = new DataView(out.buffer, out.byteOffset + header.dataStart);
    const u16 = (t: 'h' | 'b', i: number) => view.getUint16(header.tensors[t].dataOffsets[0] + 2 * i, true);
    expect([0, 1, 2, 3].map((i) => u16('h', i))).toEqual([0x3c00, 0xc000, 0x7c00, 0x3555]);
    expect([0, 1].map((i) => u16('b', i))).toEqual([0x3f80, 0x3eab]);
  });

  it('Module.half() state dicts load back into a half model exactly', () => {
    const m = new nn.Linear(3, 2).half();
    const bytes = saveSafetensors(m.stateDict());
    const m2 = new nn.Linear(3, 2).half();
    m2.loadStateDict(loadSafetensors(bytes));
    expect([...m2.weight.dataSync()]).toEqual([...m.weight.dataSync()]);
    expect(m2.weight.dtype).toBe('float16');
  });
});
