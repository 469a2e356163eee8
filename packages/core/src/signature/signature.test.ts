import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nn, optim, randn, tidy, zeros } from '../index.js';
import { bool, int, kw, lead, num, opt, req, SIGNATURES, signature, unsupported } from './signature.js';

/** PyTorch's snake_case name in our camelCase, a leading capital lowered (`T_max` → `tMax`). */
function camel(name: string): string {
  // A leading underscore stays (`_weight`, PyTorch's private-by-convention parameters).
  const lead = /^_*/.exec(name)![0];
  const [head, ...rest] = name.slice(lead.length).split('_');
  return (
    lead +
    head.charAt(0).toLowerCase() +
    head.slice(1) +
    rest.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')
  );
}

interface TorchParam {
  name: string;
  kind: 'positional' | 'keyword';
  required: boolean;
  /** PyTorch's `*size` (the creation functions): spread or one array. */
  variadic?: boolean;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/signatures.json', import.meta.url), 'utf8'),
) as {
  torch: string;
  signatures: Record<string, TorchParam[]>;
  /** Keras's callbacks (from the Keras API docs), which train/ mirrors. */
  keras: { docs: string; signatures: Record<string, TorchParam[]> };
};

/** Our declared parameters of `owner`, less our extensions, against PyTorch's or Keras's. */
function expectSameParameters(owner: string, theirs: TorchParam[]): void {
  // Our extensions (keyword-only, declared with ext()) are not PyTorch's.
  const ours = { params: SIGNATURES.get(owner)!.params.filter((p) => !p.extension) };
  expect(ours.params.map((p) => p.name)).toEqual(theirs.map((p) => camel(p.name)));
  expect(ours.params.map((p) => p.keywordOnly)).toEqual(theirs.map((p) => p.kind === 'keyword'));
  expect(ours.params.map((p) => p.variadic === true)).toEqual(theirs.map((p) => p.variadic === true));
  // An optional first parameter before required ones (`arange(start=0, end, …)`) is declared lead().
  const leading = (i: number) =>
    i === 0 && !theirs[0].required && theirs.some((p) => p.kind === 'positional' && p.required);
  expect(ours.params.map((p) => p.leading === true)).toEqual(theirs.map((_, i) => leading(i)));
  // Parameters PyTorch requires, we require (we may require more: SGD's lr, as PyTorch 2 does not).
  for (const [i, p] of theirs.entries()) if (p.required) expect(ours.params[i].required).toBe(true);
}

const torchOwners = Object.keys(fixture.signatures);
const kerasOwners = Object.keys(fixture.keras.signatures);

describe("signatures match PyTorch's (fixtures/signatures.json: inspect.signature, or the builtins' docstrings)", () => {
  it(`declares all ${torchOwners.length} mirrored signatures`, () => {
    expect(torchOwners.filter((o) => !SIGNATURES.has(o))).toEqual([]);
  });
  it.each(torchOwners)('%s: same parameters, same order, same keyword-only ones', (owner) => {
    expectSameParameters(owner, fixture.signatures[owner]);
  });
});

describe("training callbacks match Keras's signatures (fixtures/signatures.json, keras)", () => {
  it(`declares all ${kerasOwners.length} mirrored callbacks`, () => {
    expect(kerasOwners.filter((o) => !SIGNATURES.has(o))).toEqual([]);
  });
  it.each(kerasOwners)('%s: same parameters, same order', (owner) => {
    expectSameParameters(owner, fixture.keras.signatures[owner]);
  });
});

// The count the closing note reports: every mirrored class and function, checked above.
it(`${torchOwners.length + kerasOwners.length} classes/functions checked against PyTorch's (and Keras's) signatures`, () => {
  expect([torchOwners.length, kerasOwners.length]).toEqual([310, 6]);
  expect([...torchOwners, ...kerasOwners].filter((o) => !SIGNATURES.has(o))).toEqual([]);
});

describe('the parser', () => {
  const sig = signature('Demo', [
    req('a', int),
    opt('b', int),
    opt('flag', bool),
    unsupported('device', 'no devices'),
    kw('k', int),
  ]);

  it('takes positionals in order, then one options object', () => {
    expect({ ...sig.parse([1, 2]) }).toEqual({ a: 1, b: 2 });
    expect({ ...sig.parse([1, { flag: true, k: 3 }]) }).toEqual({ a: 1, flag: true, k: 3 });
    expect({ ...sig.parse([{ a: 1, b: 2 }]) }).toEqual({ a: 1, b: 2 });
  });

  it('refuses unknown names (with a hint), duplicates, wrong types, extra positionals, missing ones', () => {
    expect(() => sig.parse([1, { falg: true }])).toThrow(
      "Demo: unknown option 'falg' (did you mean 'flag'?); accepted: a, b, flag, device, k",
    );
    expect(() => sig.parse([1, 2, { b: 3 }])).toThrow("Demo: got multiple values for 'b'");
    expect(() => sig.parse([1, '2'])).toThrow("Demo: b must be an integer, got '2' (a string)");
    expect(() => sig.parse([1, 2, true, 'cpu', 5])).toThrow(
      /Demo: takes at most 4 positional arguments \(a, b, flag, device\) but 5 were given/,
    );
    expect(() => sig.parse([{ b: 1 }])).toThrow(
      "Demo: missing required argument 'a' (signature: (a, b?, flag?, device?, *, k?))",
    );
    expect(() => sig.parse([1, { device: 'cuda' }])).toThrow("Demo: 'device' is not supported: no devices");
  });

  it('a leading optional parameter binds only when the required ones after it are given (arange(5))', () => {
    const range = signature('DemoRange', [
      lead('start', num),
      req('end', num),
      opt('step', num),
      kw('k', int),
    ]);
    expect({ ...range.parse([5]) }).toEqual({ end: 5 });
    expect({ ...range.parse([5, { k: 1 }]) }).toEqual({ end: 5, k: 1 });
    expect({ ...range.parse([1, 5]) }).toEqual({ start: 1, end: 5 });
    expect({ ...range.parse([1, 5, 2]) }).toEqual({ start: 1, end: 5, step: 2 });
    expect({ ...range.parse([{ start: 1, end: 5 }]) }).toEqual({ start: 1, end: 5 });
    expect(() => range.parse([{ start: 1 }])).toThrow(
      "DemoRange: missing required argument 'end' (signature: (start?, end, step?, *, k?))",
    );
    SIGNATURES.delete('DemoRange');
  });
});

describe("PyTorch's positional calls compute what PyTorch computes (issue 12's examples)", () => {
  it('nn.Conv2d(1, 32, 3, 1, 1) keeps its stride and padding', () => {
    tidy(() => {
      const conv = new nn.Conv2d(1, 32, 3, 1, 1);
      expect(conv.forward(zeros(1, 1, 8, 8)).shape).toEqual([1, 32, 8, 8]);
      expect(new nn.Conv2d(1, 4, 3, 2).forward(zeros(1, 1, 8, 8)).shape).toEqual([1, 4, 3, 3]);
      expect(() => new nn.Conv2d(1, 32, 3, { strides: 2 } as never)).toThrow(/did you mean 'stride'/);
    });
  });

  it('optim.Adam(params, 0.01) has lr 0.01; SGD(params, 0.1, 0.9) has momentum 0.9', () => {
    tidy(() => {
      const w = randn([2], { requiresGrad: true });
      expect(new optim.Adam([w], 0.01).paramGroups[0].lr).toBe(0.01);
      const sgd = new optim.SGD([w], 0.1, 0.9);
      expect([sgd.paramGroups[0].lr, sgd.paramGroups[0].momentum]).toEqual([0.1, 0.9]);
      expect(new optim.Adam([w], { foreach: true, lr: 0.5 }).paramGroups[0].lr).toBe(0.5);
      expect(() => new optim.Adam([w], { differentiable: true } as never)).toThrow(
        /'differentiable' is not supported/,
      );
    });
  });

  it('lrScheduler.StepLR(opt, 2, 0.5) keeps gamma; CosineAnnealingLR takes tMax', () => {
    tidy(() => {
      const opt = new optim.SGD([randn([2], { requiresGrad: true })], 1);
      const s = new optim.lrScheduler.StepLR(opt, 2, 0.5);
      expect(s.gamma).toBe(0.5);
      const c = new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.1 } as never);
      expect([c.TMax, c.etaMin]).toEqual([10, 0.1]);
    });
  });

  it('nn.LSTM(4, 8, 2) has two layers; nn.MaxPool2d(3, 2) strides by 2', () => {
    tidy(() => {
      expect(new nn.LSTM(4, 8, 2).numLayers).toBe(2);
      expect(new nn.GRU(4, 8, 1, true, true).batchFirst).toBe(true);
      expect(new nn.RNN(4, 8, 1, 'relu').nonlinearity).toBe('relu');
      expect(new nn.MaxPool2d(3, 2).forward(zeros(1, 1, 7, 7)).shape).toEqual([1, 1, 3, 3]);
      expect(new nn.Linear(3, 2, false).bias).toBeNull();
      // required parameters by name, as Python's keywords allow
      const conv = Reflect.construct(nn.Conv2d, [
        { inChannels: 1, outChannels: 2, kernelSize: 3, padding: 1 },
      ]) as nn.Conv2d;
      expect(conv.forward(zeros(1, 1, 5, 5)).shape).toEqual([1, 2, 5, 5]);
      expect(
        (Reflect.construct(nn.LSTM, [{ inputSize: 3, hiddenSize: 5, numLayers: 2 }]) as nn.LSTM).numLayers,
      ).toBe(2);
    });
  });
});
