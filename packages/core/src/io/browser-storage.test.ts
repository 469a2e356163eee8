import '@proj/backend-cpu';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, optim, tensor } from '../index.js';
import {
  deleteFromIndexedDB,
  download,
  listIndexedDB,
  loadFromIndexedDB,
  saveToIndexedDB,
} from './browser-storage.js';

describe('IndexedDB checkpoints', () => {
  it('round-trips a checkpoint { model, optimizer, epoch } and a plain state dict', async () => {
    const indexedDB = new IDBFactory();
    manualSeed(0);
    const model = new nn.Linear(3, 2);
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    model
      .forward(tensor([[1, 2, 3]]))
      .sum()
      .backward();
    opt.step();
    await saveToIndexedDB('ckpt', { model, optimizer: opt, epoch: 4 }, { indexedDB });
    await saveToIndexedDB('weights', model.stateDict(), { indexedDB });
    expect(await listIndexedDB({ indexedDB })).toEqual(['ckpt', 'weights']);

    const ckpt = await loadFromIndexedDB<{ model: Record<string, never>; optimizer: unknown; epoch: number }>(
      'ckpt',
      { indexedDB },
    );
    expect(ckpt.epoch).toBe(4);
    const fresh = new nn.Linear(3, 2);
    fresh.loadStateDict(ckpt.model);
    expect(fresh.weight.toArray()).toEqual(model.weight.toArray());
    const opt2 = new optim.Adam(fresh.parameters(), { lr: 0.5 });
    opt2.loadStateDict(ckpt.optimizer as never);
    expect(opt2.paramGroups[0].lr).toBe(0.01);
    const sd = await loadFromIndexedDB<Record<string, { toArray(): unknown }>>('weights', { indexedDB });
    expect(sd.bias.toArray()).toEqual(model.bias!.toArray());

    // another database is another namespace
    expect(await listIndexedDB({ indexedDB, dbName: 'other' })).toEqual([]);
    await deleteFromIndexedDB('ckpt', { indexedDB });
    expect(await listIndexedDB({ indexedDB })).toEqual(['weights']);
  });

  it('refuses a missing key (naming what is stored) and a corrupt entry', async () => {
    const indexedDB = new IDBFactory();
    await saveToIndexedDB('a', { x: tensor([1]) }, { indexedDB });
    await expect(loadFromIndexedDB('b', { indexedDB })).rejects.toThrow(
      /loadFromIndexedDB: no entry 'b' in IndexedDB database 'proj' \(stored: a\)/,
    );
    // an entry written by someone else: 8 bytes announcing a header far past the end
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = indexedDB.open('proj', 1);
      r.onsuccess = () => resolve(r.result);
    });
    await new Promise<void>((resolve) => {
      const tx = db.transaction('checkpoints', 'readwrite');
      tx.objectStore('checkpoints').put(new Uint8Array([255, 255, 0, 0, 0, 0, 0, 0]), 'bad');
      tx.oncomplete = () => resolve();
    });
    db.close();
    await expect(loadFromIndexedDB('bad', { indexedDB })).rejects.toThrow(
      /^loadFromIndexedDB: header length/,
    );
  });

  it('says where IndexedDB and download are not available (Node)', async () => {
    await expect(saveToIndexedDB('a', { x: tensor([1]) })).rejects.toThrow(
      /saveToIndexedDB: IndexedDB is not available here.*save\(\)\/load\(\) from '@proj\/core\/node'/,
    );
    expect(() => download('w.safetensors', { x: tensor([1]) })).toThrow(/download: needs a browser page/);
  });
});
