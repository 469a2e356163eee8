import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, nn, tensor, zeros } from '../index.js';
import type { Tensor } from '../tensor/tensor.js';

// Module.loadStateDict is often fed what came out of a file: every value is checked before
// anything is copied, and a refused state dict leaves the model as it was.

function model() {
  const m = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
  const weights = () => m.parameters().map((p) => Array.from(p.dataSync()));
  return { m, weights };
}

describe('Module.loadStateDict validation', () => {
  it('loadStateDict(null) and other non-objects are clear errors', () => {
    const { m } = model();
    const head = 'loadStateDict: expected a state dict object (name → Tensor), got';
    expect(() => m.loadStateDict(null as never)).toThrow(`${head} null`);
    expect(() => m.loadStateDict(undefined as never)).toThrow(`${head} undefined`);
    expect(() => m.loadStateDict('w' as never)).toThrow(`${head} a string`);
    expect(() => m.loadStateDict([] as never)).toThrow(`${head} an array`);
    const t = tensor([1]);
    expect(() => m.loadStateDict(t as never)).toThrow(`${head} a Tensor of shape [1]`);
    t.dispose();
    expect(() => m.loadStateDict(new nn.Linear(4, 3) as never)).toThrow(
      `${head} a Module (Linear): pass its stateDict()`,
    );
  });

  it("names the key, PyTorch's size mismatch message, and changes nothing", () => {
    const { m, weights } = model();
    const before = weights();
    const sd = m.stateDict();
    const bad = { ...sd, '0.weight': zeros([4, 3]) };
    expect(() => m.loadStateDict(bad)).toThrow(
      'loadStateDict: size mismatch for 0.weight: copying a param with shape [4,3] from checkpoint, the shape in current model is [3,4]',
    );
    expect(weights()).toEqual(before);
    bad['0.weight'].dispose();
  });

  it('refuses values that are not tensors or were disposed', () => {
    const { m, weights } = model();
    const before = weights();
    const sd: Record<string, unknown> = { ...m.stateDict() };
    sd['0.bias'] = [0, 0, 0];
    sd['2.bias'] = null;
    expect(() => m.loadStateDict(sd as Record<string, Tensor>)).toThrow(
      'loadStateDict: value for 0.bias is not a Tensor (got an array); value for 2.bias is not a Tensor (got null)',
    );
    const gone = zeros([2]);
    gone.dispose();
    expect(() => m.loadStateDict({ ...m.stateDict(), '2.bias': gone })).toThrow(
      'loadStateDict: value for 2.bias was disposed',
    );
    expect(weights()).toEqual(before);
  });

  it('refuses a dtype of another kind (int or bool into float), converts float to float as PyTorch', () => {
    const { m, weights } = model();
    const before = weights();
    const live = memory().numTensors;
    const sd = m.stateDict();
    const ints = zeros([2], { dtype: 'int32' });
    expect(() => m.loadStateDict({ ...sd, '2.bias': ints })).toThrow(
      'loadStateDict: dtype mismatch for 2.bias: copying a param of dtype int32 from checkpoint, the dtype in current model is float32',
    );
    const bools = zeros([2], { dtype: 'bool' });
    expect(() => m.loadStateDict({ ...sd, '2.bias': bools })).toThrow(
      'dtype mismatch for 2.bias: copying a param of dtype bool',
    );
    expect(weights()).toEqual(before);
    const f64 = tensor([0.5, -0.25], { dtype: 'float64' });
    m.loadStateDict({ ...sd, '2.bias': f64 });
    expect(m.parameters()[3].dtype).toBe('float32');
    expect(Array.from(m.parameters()[3].dataSync())).toEqual([0.5, -0.25]);
    for (const t of [ints, bools, f64, ...Object.values(sd)]) t.dispose();
    expect(memory().numTensors).toBe(live);
  });
});
