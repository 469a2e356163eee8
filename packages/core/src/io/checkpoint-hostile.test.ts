import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, nn, tensor } from '../index.js';
import type { Tensor } from '../tensor/tensor.js';
import { decodeCheckpoint, encodeCheckpoint, saveSafetensors } from './index.js';

/** Read as an own key: these tests are about objects whose '__proto__' is data. */
const PROTO = '__proto__';

/** A checkpoint file with hand-written JSON, as a hostile or corrupt writer could produce. */
function checkpoint(json: string, tensors: Record<string, Tensor> = {}): Uint8Array {
  return saveSafetensors(tensors, {
    'proj.format': 'checkpoint',
    'proj.version': '1',
    'proj.checkpoint': json,
  });
}

const refuse = (bytes: Uint8Array, message: string): void => {
  const before = memory().numTensors;
  expect(() => decodeCheckpoint(bytes)).toThrow(message);
  expect(memory().numTensors).toBe(before);
};

describe('hostile checkpoints', () => {
  it('a $tensor reference to constructor, toString or __proto__ is refused, not a built-in', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const w = tensor([1]);
      refuse(
        checkpoint(`{"model":{"weight":{"$tensor":${JSON.stringify(name)}}},"w":{"$tensor":"w"}}`, { w }),
        `load: the checkpoint refers to tensor ${JSON.stringify(name)} at 'model.weight', which the file does not contain`,
      );
      w.dispose();
    }
  });

  it("a '__proto__' key in the JSON stays a key and pollutes nothing", () => {
    const ck = decodeCheckpoint<Record<string, any>>(
      checkpoint('{"__proto__":{"polluted":1},"epoch":2,"model":{"__proto__":{"$tensor":"t"}}}', {
        t: tensor([3]),
      }),
    );
    expect(Object.keys(ck).sort()).toEqual(['__proto__', 'epoch', 'model']);
    expect(ck.polluted).toBeUndefined();
    expect(ck[PROTO]).toEqual({ polluted: 1 });
    expect(Object.getPrototypeOf(ck)).toBe(null);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(ck.model)).toEqual(['__proto__']);
    expect((ck.model[PROTO] as Tensor).toArray()).toEqual([3]);
    (ck.model[PROTO] as Tensor).dispose();
  });

  it("round-trips a user key '__proto__' (it used to vanish and leave an orphan tensor)", () => {
    const inner = Object.fromEntries([['__proto__', tensor([1, 2])]]) as Record<string, Tensor>;
    const extras = JSON.parse('{"__proto__":{"a":1}}');
    const back = decodeCheckpoint<Record<string, any>>(encodeCheckpoint({ model: inner, extras, epoch: 1 }));
    expect(Object.keys(back.model)).toEqual(['__proto__']);
    expect((back.model[PROTO] as Tensor).toArray()).toEqual([1, 2]);
    expect(Object.keys(back.extras)).toEqual(['__proto__']);
    expect(back.extras[PROTO]).toEqual({ a: 1 });
    (back.model[PROTO] as Tensor).dispose();
    inner[PROTO].dispose();
  });

  it('refuses malformed references and numbers instead of guessing', () => {
    const t = tensor([1]);
    refuse(checkpoint('{"a":{"$tensor":"t","b":1}}', { t }), "load: malformed tensor reference at 'a'");
    refuse(checkpoint('{"a":{"$tensor":5}}', { t }), "load: malformed tensor reference at 'a'");
    refuse(
      checkpoint('{"a":{"$tensor":"t"},"b":[{"$tensor":"t"}]}', { t }),
      'load: the checkpoint refers to tensor "t" more than once',
    );
    refuse(checkpoint('{"best":{"$number":"abc"}}'), "load: malformed number at 'best'");
    refuse(checkpoint('{"best":{"$number":"1e999"}}'), "load: malformed number at 'best'");
    refuse(checkpoint('[1]'), "load: the checkpoint's 'proj.checkpoint' metadata must be a JSON object");
    refuse(
      saveSafetensors({}, { 'proj.format': 'checkpoint', 'proj.version': '1' }),
      "load: the checkpoint has no 'proj.checkpoint' metadata",
    );
    refuse(checkpoint('{}', { t }), 'load: the file holds tensors the checkpoint does not use: t');
    t.dispose();
  });

  it('keeps NaN, ±Infinity and -0 exactly', () => {
    const back = decodeCheckpoint<Record<string, number>>(
      encodeCheckpoint({
        a: Number.NaN,
        b: Number.POSITIVE_INFINITY,
        c: Number.NEGATIVE_INFINITY,
        d: -0,
        e: 0,
      }),
    );
    expect(back.a).toBeNaN();
    expect([back.b, back.c]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Object.is(back.d, -0)).toBe(true);
    expect(Object.is(back.e, 0)).toBe(true);
  });

  it('a module loads a checkpoint state dict from a file; a hostile key is an unexpected key', () => {
    const m = new nn.Linear(2, 1);
    const sd = Object.assign(Object.fromEntries([['__proto__', tensor([0])]]), m.stateDict());
    const back = decodeCheckpoint<Record<string, Record<string, Tensor>>>(
      encodeCheckpoint({ model: sd, epoch: 0 }),
    );
    expect(() => m.loadStateDict(back.model)).toThrow('loadStateDict: unexpected keys: __proto__');
    expect(m.loadStateDict(back.model, { strict: false }).unexpectedKeys).toEqual(['__proto__']);
    for (const t of Object.values(back.model)) t.dispose();
    (sd[PROTO] as Tensor).dispose();
  });
});
