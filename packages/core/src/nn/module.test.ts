import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, noGrad, ones, randn, type Tensor, tensor, tidy, zeros } from '../index.js';

class Block extends nn.Module {
  fc = new nn.Linear(3, 3);
  constructor() {
    super();
    this.registerBuffer('running_mean', zeros([3]));
    this.registerBuffer('scratch', ones([1]), false);
  }
  override forward(x: Tensor): Tensor {
    return this.fc.forward(x).relu();
  }
}

class Net extends nn.Module {
  scale = new nn.Parameter(ones([1]));
  inp = new nn.Linear(2, 3);
  blocks: nn.Module[] = [new Block(), new Block()];
  head = new nn.Sequential({ drop: new nn.Dropout(0.1), out: new nn.Linear(3, 1) });
  plain: Tensor = zeros([2]); // a plain tensor property is not registered
  override forward(x: Tensor): Tensor {
    let h = this.inp.forward(x).mul(this.scale);
    for (const b of this.blocks) h = b.forward(h);
    return this.head.forward(h);
  }
}

describe('Module registration', () => {
  it('registers parameters, submodules and arrays of modules in assignment order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([k]) => k)).toEqual([
      'scale',
      'inp.weight',
      'inp.bias',
      'blocks.0.fc.weight',
      'blocks.0.fc.bias',
      'blocks.1.fc.weight',
      'blocks.1.fc.bias',
      'head.out.weight',
      'head.out.bias',
    ]);
    expect([...net.namedChildren()].map(([k]) => k)).toEqual(['inp', 'blocks.0', 'blocks.1', 'head']);
    expect(net.namedModules().map(([k]) => k)).toEqual([
      '',
      'inp',
      'blocks.0',
      'blocks.0.fc',
      'blocks.1',
      'blocks.1.fc',
      'head',
      'head.drop',
      'head.out',
    ]);
    expect(net.namedBuffers().map(([k]) => k)).toEqual([
      'blocks.0.running_mean',
      'blocks.0.scratch',
      'blocks.1.running_mean',
      'blocks.1.scratch',
    ]);
    expect(net.parameters()[0]).toBeInstanceOf(nn.Parameter);
    expect(net.parameters(false)).toEqual([net.scale]);
    expect(net.getSubmodule('head.out')).toBe((net.head as nn.Sequential).get('out'));
  });

  it('keeps container order for numeric and string names, and shares parameters once', () => {
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(...Array.from({ length: 11 }, () => new nn.ReLU()), shared, shared);
    expect([...seq.namedChildren()].map(([k]) => k).slice(9)).toEqual(['9', '10', '11']);
    expect(seq.parameters()).toHaveLength(2);
    const dict = new nn.ModuleDict({ b: new nn.ReLU(), 1: new nn.Tanh(), a: new nn.Linear(1, 1) });
    dict.set('z0', new nn.Sigmoid());
    expect(dict.keys()).toEqual(['1', 'b', 'a', 'z0']); // JS orders integer-like object keys first
    const list = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
    list.insert(1, new nn.Linear(1, 1));
    expect([...list].map((m) => m.constructor.name)).toEqual(['ReLU', 'Linear', 'Tanh']);
    expect(Object.keys(list.stateDict())).toEqual(['1.weight', '1.bias']);
  });

  it('buffers: property access, persistence, registerParameter(null)', () => {
    const b = new Block();
    expect((b as any).running_mean.shape).toEqual([3]);
    (b as any).running_mean = ones([3]);
    expect(b.buffers()[0].toArray()).toEqual([1, 1, 1]);
    expect(Object.keys(b.stateDict())).toEqual(['running_mean', 'fc.weight', 'fc.bias']);
    b.registerParameter('extra', null);
    expect(b.parameters()).toHaveLength(2);
    expect(() => b.registerBuffer('fc', zeros([1]))).toThrow(/already exists/);
    expect(() => b.registerBuffer('a.b', zeros([1]))).toThrow(/without '\.'/);
  });

  it('train/eval, apply, requiresGrad_, zeroGrad', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    const seen: string[] = [];
    new nn.Sequential(new nn.ReLU(), new nn.Tanh()).apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['ReLU', 'Tanh', 'Sequential']);
    // Freeze all but the head (transfer learning).
    net.requiresGrad_(false);
    (net.head as nn.Module).requiresGrad_(true);
    tidy(() =>
      net
        .forward(randn([4, 2]))
        .sum()
        .backward(),
    );
    expect(net.inp.weight.grad).toBeNull();
    expect(
      net
        .namedParameters()
        .filter(([, p]) => p.grad !== null)
        .map(([k]) => k),
    ).toEqual(['head.out.weight', 'head.out.bias']);
    net.zeroGrad(false);
    expect(net.parameters()[7].grad!.toArray()).toEqual([[0, 0, 0]]);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('toAsync moves and converts in place and leaves no tensor behind', async () => {
    const lin = new nn.Linear(3, 2);
    tidy(() =>
      lin
        .forward(randn([1, 3]))
        .sum()
        .backward(),
    );
    const w = lin.weight;
    const want = Array.from(w.dataSync());
    const before = memory().numTensors;
    expect(await lin.toAsync('cpu')).toBe(lin); // same device: nothing to move
    expect(await lin.toAsync('cpu', 'float64')).toBe(lin);
    expect(lin.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    expect(w.grad!.dtype).toBe('float64');
    expect(Array.from(w.dataSync())).toEqual(want);
    expect(memory().numTensors).toBe(before);
    const x = tensor([1, 2]);
    const y = await x.toAsync('cpu', 'float64');
    expect(y.dtype).toBe('float64');
    x.dispose();
    y.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('parameters survive tidy and to(dtype) keeps the Parameter objects', () => {
    const before = memory().numTensors;
    const lin = tidy(() => new nn.Linear(3, 2));
    expect(lin.weight.isDisposed).toBe(false);
    const w = lin.weight;
    tidy(() =>
      lin
        .forward(randn([1, 3]))
        .sum()
        .backward(),
    );
    lin.to('float64');
    expect(lin.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    expect(w.grad!.dtype).toBe('float64');
    expect(tidy(() => lin.forward(randn([2, 3], { dtype: 'float64' })).dtype)).toBe('float64');
    lin.to('cpu');
    lin.float().zeroGrad();
    for (const p of lin.parameters()) p.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips nested modules, arrays and buffers into the same tensor objects', () => {
    manualSeed(1);
    const a = new Net();
    noGrad(() => (a.blocks[0] as any).running_mean.add_(5));
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual([
      'scale',
      'inp.weight',
      'inp.bias',
      'blocks.0.running_mean',
      'blocks.0.fc.weight',
      'blocks.0.fc.bias',
      'blocks.1.running_mean',
      'blocks.1.fc.weight',
      'blocks.1.fc.bias',
      'head.out.weight',
      'head.out.bias',
    ]);
    expect(sd.scale.requiresGrad).toBe(false);
    const b = new Net();
    const w = b.inp.weight;
    const res = b.loadStateDict(sd);
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.inp.weight).toBe(w);
    for (const [k, v] of Object.entries(b.stateDict())) expect(v.toArray()).toEqual(sd[k].toArray());
    const x = randn([2, 2]);
    a.eval();
    b.eval();
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
  });

  it('strict mode reports missing and unexpected keys; non-strict returns them', () => {
    const m = new nn.Sequential({ fc1: new nn.Linear(2, 2), fc2: new nn.Linear(2, 2) });
    const sd = m.stateDict();
    const partial: Record<string, Tensor> = {
      'fc1.weight': sd['fc1.weight'],
      'fc1.bias': sd['fc1.bias'],
      'fc3.bias': zeros([2]),
    };
    partial['fc2.bias'] = sd['fc2.bias'];
    expect(() => m.loadStateDict(partial)).toThrow(
      'loadStateDict: missing keys: fc2.weight; unexpected keys: fc3.bias',
    );
    expect(m.loadStateDict(partial, { strict: false })).toEqual({
      missingKeys: ['fc2.weight'],
      unexpectedKeys: ['fc3.bias'],
    });
  });

  it('a shape mismatch always throws, naming the key and both shapes, and changes nothing', () => {
    const m = new nn.Linear(3, 2);
    const before = m.weight.toArray();
    const bad = { weight: zeros([2, 4]), bias: zeros([2]) };
    const msg =
      'size mismatch for weight: copying a param with shape [2,4] from checkpoint, the shape in current model is [2,3]';
    expect(() => m.loadStateDict(bad, { strict: false })).toThrow(msg);
    expect(m.weight.toArray()).toEqual(before);
  });
});

describe('toString and summary', () => {
  it('prints like PyTorch', () => {
    const m = new nn.Sequential(
      new nn.Linear(784, 128),
      new nn.ReLU(),
      new nn.Dropout(0.2),
      new nn.Linear(128, 10),
    );
    expect(m.toString()).toBe(
      [
        'Sequential(',
        '  (0): Linear(in_features=784, out_features=128, bias=True)',
        '  (1): ReLU()',
        '  (2): Dropout(p=0.2, inplace=False)',
        '  (3): Linear(in_features=128, out_features=10, bias=True)',
        ')',
      ].join('\n'),
    );
    const net = new Net();
    expect(net.toString()).toContain(
      '  (blocks.0): Block(\n    (fc): Linear(in_features=3, out_features=3, bias=True)\n  )',
    );
    expect(new nn.Embedding(10, 3, { paddingIdx: 0 }).toString()).toBe('Embedding(10, 3, padding_idx=0)');
  });

  it('summary: output shapes, parameter counts, trainable vs frozen, no side effects', () => {
    const m = new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(784, 128),
      new nn.ReLU(),
      new nn.Linear(128, 10),
    );
    (m.get(1) as nn.Module).requiresGrad_(false);
    const before = memory().numTensors;
    const s = m.summary([2, 1, 28, 28]);
    expect(memory().numTensors).toBe(before);
    expect(m.training).toBe(true);
    const lines = s.split('\n');
    expect(lines.find((l) => l.startsWith('1 (Linear)'))).toMatch(/^1 \(Linear\)\s+\[2, 128\]\s+100,480$/);
    expect(lines.find((l) => l.startsWith('0 (Flatten)'))).toMatch(/\[2, 784\]\s+0$/);
    expect(s).toContain('Total params: 101,770');
    expect(s).toContain('Trainable params: 1,290');
    expect(s).toContain('Non-trainable params: 100,480');
    // forward hooks are removed afterwards
    expect(Object.hasOwn(m.get(1), 'forward')).toBe(false);
  });

  it('forward hooks see inputs and may replace the output', () => {
    const lin = new nn.Linear(2, 2);
    const h = lin.registerForwardHook((_m, _inp, out) => out.mul(0));
    expect(tidy(() => lin.forward(tensor([[1, 2]])).toArray())).toEqual([[0, 0]]);
    h.remove();
    expect(
      tidy(() =>
        lin
          .forward(tensor([[1, 2]]))
          .abs()
          .sum()
          .item(),
      ),
    ).toBeGreaterThan(0);
  });
});

describe('layers', () => {
  it('Linear validates input, Flatten/Unflatten/Identity reshape', () => {
    const lin = new nn.Linear(3, 2);
    expect(() => lin.forward(zeros([4, 5]))).toThrow('linear: input [4,5] does not end in in_features=3');
    tidy(() => {
      const x = randn([2, 3, 4, 5]);
      expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
      expect(new nn.Flatten(0, 1).forward(x).shape).toEqual([6, 4, 5]);
      expect(new nn.Unflatten(1, [3, 1]).forward(randn([2, 3])).shape).toEqual([2, 3, 1]);
      expect(new nn.Identity(5, { a: 1 }).forward(x)).toBe(x);
    });
  });

  it('Dropout: seeded, inverted scaling, identity in eval', () => {
    const d = new nn.Dropout(0.25);
    tidy(() => {
      const x = ones([1000]);
      manualSeed(3);
      const a = d.forward(x).dataSync();
      manualSeed(3);
      const b = d.forward(x).dataSync();
      expect(Array.from(a)).toEqual(Array.from(b));
      const zerosCount = a.filter((v) => v === 0).length;
      expect(zerosCount).toBeGreaterThan(200);
      expect(zerosCount).toBeLessThan(300);
      expect(a.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
      d.eval();
      expect(d.forward(x)).toBe(x);
    });
  });

  it('Embedding: int indices of any shape; the padding row starts at zero', () => {
    const e = new nn.Embedding(5, 2, { paddingIdx: -1 });
    expect(e.paddingIdx).toBe(4);
    expect((e.weight.toArray() as number[][])[4]).toEqual([0, 0]);
    expect(() => e.forward(zeros([2]))).toThrow(/int32/);
    expect(tidy(() => e.forward(tensor([[0, 1, 4]], { dtype: 'int32' })).shape)).toEqual([1, 3, 2]);
  });

  it('oneHot', () => {
    tidy(() => {
      const idx = tensor([2, 0], { dtype: 'int32' });
      expect(nn.functional.oneHot(idx).toArray()).toEqual([
        [0, 0, 1],
        [1, 0, 0],
      ]);
      expect(nn.functional.oneHot(idx, 4).shape).toEqual([2, 4]);
      expect(() => nn.functional.oneHot(idx, 2)).toThrow('oneHot: class values must be in [0, 2), got 2');
    });
  });

  it('Step is the Heaviside function with a zero gradient', () => {
    tidy(() => {
      const x = tensor([-1, 0, 2], { requiresGrad: true });
      const y = new nn.Step().forward(x);
      expect(y.toArray()).toEqual([0, 0, 1]);
      y.sum().backward();
      expect(x.grad!.toArray()).toEqual([0, 0, 0]);
    });
  });

  it('BCEWithLogits stays finite for huge logits; losses check shapes', () => {
    tidy(() => {
      const l = nn.functional.binaryCrossEntropyWithLogits(tensor([1000, -1000]), tensor([0, 1]));
      expect(l.item()).toBeCloseTo(1000, 3);
      expect(() => nn.functional.mseLoss(zeros([2, 3]), zeros([3]))).toThrow(
        'mseLoss: target shape [3] must match input shape [2,3]',
      );
      expect(() => new nn.MSELoss({ reduction: 'avg' as 'mean' })).toThrow(/reduction must be/);
    });
  });

  it('nn.utils: clipGradNorm_, clipGradValue_, parameters <-> vector', () => {
    tidy(() => {
      const lin = new nn.Linear(2, 1);
      noGrad(() => {
        lin.weight.copy_(tensor([[3, 0]]));
        lin.bias!.copy_(tensor([0]));
      });
      lin
        .forward(tensor([[1, 0]]))
        .sum()
        .backward(); // weight grad [[1, 0]], bias grad [1]
      noGrad(() => lin.weight.grad!.mul_(3).add_(tensor([[0, 4]]))); // [[3, 4]]
      lin.bias!.grad!.zero_();
      const n = nn.utils.clipGradNorm_(lin.parameters(), 1);
      expect(n.item()).toBeCloseTo(5, 5);
      expect(lin.weight.grad!.toArray()).toEqual([[expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]]);
      nn.utils.clipGradValue_(lin.parameters(), 0.7);
      expect(lin.weight.grad!.toArray()).toEqual([[expect.closeTo(0.6, 5), expect.closeTo(0.7, 5)]]);
      const v = nn.utils.parametersToVector(lin.parameters());
      expect(v.toArray()).toEqual([3, 0, 0]);
      nn.utils.vectorToParameters(tensor([1, 2, 3]), lin.parameters());
      expect(lin.weight.toArray()).toEqual([[1, 2]]);
      expect(lin.bias!.toArray()).toEqual([3]);
    });
  });
});
