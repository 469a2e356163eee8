import '@proj/backend-cpu';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, manualSeed, memory, nn, optim, randn, tensor, tidy } from '../index.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomicSync } from './atomic-write.js';
import { load, loadSync, save, saveSync } from './io.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'proj-io-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A few SGD-with-momentum steps on a fixed regression problem. */
function train(model: nn.Module, opt: optim.Optimizer, steps: number, x: Tensor, y: Tensor): void {
  for (let i = 0; i < steps; i++) {
    tidy(() => {
      opt.zeroGrad();
      (model.forward(x) as Tensor).sub(y).pow(2).mean().backward();
      opt.step();
    });
  }
}

describe('save / load', () => {
  it('round-trips a checkpoint and resumes training bit-identically', async () => {
    manualSeed(0);
    const x = randn([8, 3]);
    const y = randn([8, 2]);
    const make = (): [nn.Linear, optim.Adam] => {
      manualSeed(1);
      const m = new nn.Linear(3, 2);
      return [m, new optim.Adam(m.parameters(), { lr: 0.01 })];
    };
    const [ref, refOpt] = make();
    train(ref, refOpt, 6, x, y);

    const [m, opt] = make();
    train(m, opt, 3, x, y);
    const path = join(dir, 'ckpt.safetensors');
    const live = memory().numTensors;
    await save(path, {
      model: m,
      optimizer: opt,
      epoch: 3,
      best: Number.POSITIVE_INFINITY,
      note: 'mid',
      tags: ['a'],
    });
    expect(memory().numTensors).toBe(live);

    const [m2, opt2] = make();
    const ckpt = await load<{
      model: Record<string, Tensor>;
      optimizer: optim.OptimizerStateDict;
      epoch: number;
      best: number;
    }>(path);
    expect(Object.keys(ckpt.model).sort()).toEqual(['bias', 'weight']);
    expect(ckpt.epoch).toBe(3);
    expect(ckpt.best).toBe(Number.POSITIVE_INFINITY);
    expect(ckpt).toMatchObject({ note: 'mid', tags: ['a'] });
    m2.loadStateDict(ckpt.model);
    opt2.loadStateDict(ckpt.optimizer);
    train(m2, opt2, 3, x, y);
    expect([...m2.weight.dataSync()]).toEqual([...ref.weight.dataSync()]);
    expect([...m2.bias!.dataSync()]).toEqual([...ref.bias!.dataSync()]);

    // The tensors are named by their path in the safetensors header.
    const names = Object.keys(io.readSafetensorsHeader(readFileSync(path)).tensors);
    expect(names).toContain('model.weight');
    expect(names.some((n) => /^optimizer\.state\.0\.(expAvg|exp_avg)$/.test(n))).toBe(true);
  });

  it('saves a plain state dict as plain safetensors, sync and async', async () => {
    const sd = { w: tensor([[1, 2]]), n: tensor([3], { dtype: 'int32' }) };
    saveSync(join(dir, 'a.safetensors'), sd);
    await save(join(dir, 'b.safetensors'), sd);
    expect(readFileSync(join(dir, 'a.safetensors'))).toEqual(readFileSync(join(dir, 'b.safetensors')));
    const back = loadSync<Record<string, Tensor>>(join(dir, 'a.safetensors'));
    expect(back.w.toArray()).toEqual([[1, 2]]);
    expect((await load<Record<string, Tensor>>(join(dir, 'b.safetensors'))).n.dtype).toBe('int32');
  });

  it('refuses corrupt files and unstorable values with the reason', async () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, new Uint8Array([255, 255, 0, 0, 0, 0, 0, 0, 123, 125]));
    await expect(load(path)).rejects.toThrow(`load: ${path}: header length 65535 exceeds file size 10`);
    await expect(load(join(dir, 'missing'))).rejects.toThrow('ENOENT');
    expect(() => saveSync(path, { model: { f: () => 1 } })).toThrow(
      "save: cannot store a value of type function at 'model.f'",
    );
  });

  it('keeps the old file and leaves no temp file when a write fails', async () => {
    const path = join(dir, 'ckpt.safetensors');
    saveSync(path, { w: tensor([1, 2, 3]) });
    const old = readFileSync(path);
    // A writer that dies half-way (disk full).
    let calls = 0;
    const failing = {
      writeSync: (_fd: number, _d: Uint8Array, _o: number, length: number): number => {
        if (calls++ > 0)
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return Math.floor(length / 2);
      },
    };
    expect(() => writeFileAtomicSync(path, new Uint8Array(1000), failing)).toThrow('ENOSPC');
    expect(readFileSync(path)).toEqual(old);
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);

    // The rename fails (the target is a non-empty directory): temp removed, directory intact.
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep'), 'x');
    await expect(save(blocked, { w: tensor([1]) })).rejects.toThrow(`save: ${blocked}:`);
    expect(() => saveSync(blocked, { w: tensor([1]) })).toThrow(`save: ${blocked}:`);
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'ckpt.safetensors']);
    expect(readdirSync(blocked)).toEqual(['keep']);
  });
});
