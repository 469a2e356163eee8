import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, nn, type Tensor, tensor } from '../index.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { ASGD } from './asgd.js';
import { LBFGS } from './lbfgs.js';
import { NAdam } from './nadam.js';
import type { Optimizer, OptimizerStateDict } from './optimizer.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { Rprop } from './rprop.js';
import { SGD } from './sgd.js';

type Ctor = new (params: unknown, options?: unknown) => Optimizer<any>;
const ALL: [string, Ctor][] = [
  ['SGD', SGD as unknown as Ctor],
  ['Adam', Adam as unknown as Ctor],
  ['AdamW', AdamW as unknown as Ctor],
  ['RMSprop', RMSprop as unknown as Ctor],
  ['Adagrad', Adagrad as unknown as Ctor],
  ['Adadelta', Adadelta as unknown as Ctor],
  ['Adamax', Adamax as unknown as Ctor],
  ['NAdam', NAdam as unknown as Ctor],
  ['RAdam', RAdam as unknown as Ctor],
  ['Rprop', Rprop as unknown as Ctor],
  ['ASGD', ASGD as unknown as Ctor],
  ['LBFGS', LBFGS as unknown as Ctor],
];

describe('optimizer params: one check for every optimizer', () => {
  it('new SGD(module) names the mistake instead of "params is not iterable"', () => {
    const model = new nn.Linear(3, 2);
    for (const [name, C] of ALL) {
      expect(() => new C(model, { lr: 0.1 })).toThrow(
        `${name}: params must be an iterable of Parameters or parameter groups (got a Module: pass model.parameters())`,
      );
    }
  });

  it("an empty list is PyTorch's 'optimizer got an empty parameter list'", () => {
    for (const [name, C] of ALL) {
      expect(() => new C([], { lr: 0.1 })).toThrow(`${name}: optimizer got an empty parameter list`);
      expect(() => new C(new nn.ReLU().parameters(), { lr: 0.1 })).toThrow(
        `${name}: optimizer got an empty parameter list`,
      );
    }
  });

  it('refuses params that are not an iterable of tensors or groups', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const sgd = (params: unknown) => () => new SGD(params as Tensor[], { lr: 0.1 });
    const head = 'SGD: params must be an iterable of Parameters or parameter groups';
    expect(sgd(undefined)).toThrow(`${head} (got undefined)`);
    expect(sgd(null)).toThrow(`${head} (got null)`);
    expect(sgd('w')).toThrow(`${head} (got a string ('w'))`);
    expect(sgd(w)).toThrow(`${head} (got a Tensor: pass [tensor])`);
    expect(sgd({ params: [w] })).toThrow(`${head} (got a single parameter group: pass [group])`);
    expect(sgd([w, 3])).toThrow('SGD: params[1] must be a Tensor (Parameter), got a number (3)');
    expect(sgd([null])).toThrow('SGD: params[0] must be a Tensor (Parameter) or a parameter group');
    expect(sgd([w, { params: [] }])).toThrow(
      'SGD: params mixes Tensors and parameter groups (params[0] is a Tensor, params[1] is a group)',
    );
    expect(sgd([new nn.Linear(1, 1)])).toThrow(
      'SGD: params[0] is a Module (Linear): pass its parameters() instead',
    );
    expect(sgd(new nn.Linear(1, 1).namedParameters())).toThrow(
      'SGD: params[0] is a [name, Parameter] pair: pass model.parameters(), not namedParameters()',
    );
    expect(sgd([{ params: new nn.Linear(1, 1) }])).toThrow(
      'SGD: param group 0: params must be an iterable of Parameters or parameter groups (got a Module: pass model.parameters())',
    );
    expect(sgd([{ params: [w] }, { params: [1] }])).toThrow(
      'SGD: param group 1, params[0] must be a Tensor (Parameter), got a number (1)',
    );
    expect(sgd([{ lr: 1 }])).toThrow('SGD: params[0] must be a Tensor (Parameter) or a parameter group');
    w.dispose();
  });

  it('refuses duplicates, disposed and non-leaf tensors, naming where', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([2], { requiresGrad: true });
    expect(() => new Adam([a, b, a])).toThrow(
      'Adam: a param group contains the same parameter more than once (param group 0, params[2] is params[0])',
    );
    expect(() => new Adam([{ params: [a] }, { params: [b, a] }])).toThrow(
      'Adam: some parameters appear in more than one parameter group',
    );
    const c = tensor([3], { requiresGrad: true });
    c.dispose();
    expect(() => new Adam([a, c])).toThrow('Adam: param group 0, params[1] was disposed');
    const nonLeaf = a.mul(2);
    expect(() => new Adam([nonLeaf])).toThrow(
      "Adam: can't optimize a non-leaf Tensor (param group 0, params[0])",
    );
    for (const t of [a, b, nonLeaf]) t.dispose();
  });

  it('takes PyTorch positionals; refuses unknown option names and wrong types (one parser, signature.ts)', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    // PyTorch's positional lr: once dropped silently for the default 1e-3.
    expect(new Adam([w], 0.01).paramGroups[0].lr).toBe(0.01);
    expect(() => new SGD([w], { lr: 0.1, momentun: 0.9 } as never)).toThrow(
      "SGD: unknown option 'momentun' (did you mean 'momentum'?); accepted: params, lr, momentum, dampening, weightDecay, nesterov, maximize, foreach, differentiable",
    );
    expect(() => new SGD([w], { lr: '0.1' } as never)).toThrow(
      "SGD: lr must be a number, got '0.1' (a string)",
    );
    expect(() => new SGD([w], { lr: 0.1, momentum: '0.9' } as never)).toThrow(
      "SGD: momentum must be a number, got '0.9' (a string)",
    );
    expect(() => new Adam([w], { betas: [0.9] } as never)).toThrow(
      "Adam: option 'betas' must be a pair of numbers, got [0.9]",
    );
    expect(() => new RMSprop([w], { centered: 'yes' } as never)).toThrow(
      "RMSprop: centered must be a boolean, got 'yes' (a string)",
    );
    expect(() => new SGD([{ params: [w], momentum: '0.5' }] as never, { lr: 0.1 })).toThrow(
      "SGD: option 'momentum' of param group 0 must be a number, got a string ('0.5')",
    );
    // Extra keys in a param group are the user's (PyTorch keeps them).
    const opt = new SGD([{ params: [w], name: 'head' }], { lr: 0.1 });
    expect(opt.paramGroups[0].name).toBe('head');
    w.dispose();
  });
});

describe('Optimizer.loadStateDict checks what it is given', () => {
  function setup() {
    const w = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const opt = new SGD([w, b], { lr: 0.1, momentum: 0.9 });
    return {
      w,
      b,
      opt,
      dispose: () => {
        for (const t of [w, b]) t.dispose();
      },
    };
  }

  it('loadStateDict(null) and other non-state-dicts are clear errors', () => {
    const { opt, dispose } = setup();
    expect(() => opt.loadStateDict(null as never)).toThrow(
      'SGD.loadStateDict: expected an optimizer state dict object ({ state, paramGroups }), got null',
    );
    expect(() => opt.loadStateDict(new nn.Linear(1, 1).stateDict() as never)).toThrow(
      'SGD.loadStateDict: expected {state, paramGroups}: paramGroups is undefined',
    );
    expect(() => opt.loadStateDict({ state: [], paramGroups: [] } as never)).toThrow(
      'SGD.loadStateDict: expected {state, paramGroups}: state is an array',
    );
    dispose();
  });

  it('refuses bad indices, state values and group options, and changes nothing when it does', () => {
    const { w, opt, dispose } = setup();
    const before = memory().numTensors;
    const group = { lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
    const sd = (state: unknown, params: unknown[] = [0, 1], g: object = group) =>
      ({ state, paramGroups: [{ ...g, params }] }) as unknown as OptimizerStateDict;
    const refuse = (bad: OptimizerStateDict, message: string) => {
      expect(() => opt.loadStateDict(bad)).toThrow(`SGD.loadStateDict: ${message}`);
      expect(opt.paramGroups[0].lr).toBe(0.1);
      expect(opt.state.size).toBe(0);
      expect(memory().numTensors).toBe(before + 1); // only `buf` below
    };
    const buf = tensor([0, 0]);
    refuse(
      sd({}, ['0', 1]),
      "parameter group 0: params[0] must be a non-negative integer index, got a string ('0')",
    );
    refuse(sd({}, [0, 0]), 'parameter index 0 appears more than once in paramGroups');
    refuse(
      sd({}, [-1, 1]),
      'parameter group 0: params[0] must be a non-negative integer index, got a number (-1)',
    );
    refuse(
      sd({ __proto__: null, constructor: { step: 1 } }),
      'state for unknown parameter index constructor',
    );
    refuse(
      sd(JSON.parse('{"__proto__":{"momentumBuffer":1}}')),
      'state for unknown parameter index __proto__',
    );
    refuse(sd({ '00': { momentumBuffer: buf } }), 'state for unknown parameter index 00');
    refuse(sd({ 0: { momentumBuffer: buf }, 1: 'x' }), 'state of parameter 1 is a string');
    refuse(
      sd({ 0: { step: 'three' } }),
      "state 'step' of parameter 0 must be a Tensor or a finite number, got a string ('three')",
    );
    // An object under '__proto__' would have become the prototype of the state: step 5 from nowhere.
    refuse(
      sd(JSON.parse('{"0":{"__proto__":{"step":5}}}')),
      "state '__proto__' of parameter 0 must be a Tensor or a finite number, got an object",
    );
    refuse(
      sd({ 0: { step: Number.NaN } }),
      "state 'step' of parameter 0 must be a Tensor or a finite number, got a number (NaN)",
    );
    refuse(
      sd({ 0: { momentumBuffer: buf } }, [0, 1], { ...group, lr: '0.5' }),
      "option 'lr' of parameter group 0 must be a number",
    );
    refuse(
      sd({ 0: { momentumBuffer: buf } }, [0, 1], { ...group, lr: -1 }),
      'parameter group 0: invalid learning rate -1',
    );
    // A bad entry after a good one: the good one's copy is not leaked.
    refuse(
      sd({ 0: { momentumBuffer: buf }, 1: { momentumBuffer: buf } }),
      "state 'momentumBuffer' of parameter 1 has shape [2]",
    );
    expect(opt.state.get(w)).toBeUndefined();
    buf.dispose();
    dispose();
  });

  it('a saved group without an option keeps the current value instead of training with undefined', () => {
    const { w, b, opt, dispose } = setup();
    opt.loadStateDict({ state: {}, paramGroups: [{ lr: 0.5, params: [0, 1] }] });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false });
    w.grad = tensor([1, 1]);
    b.grad = tensor([1]);
    opt.step();
    expect(Array.from(w.dataSync())).toEqual([0.5, 1.5]);
    opt.disposeState();
    opt.zeroGrad();
    dispose();
  });

  it("round-trips through a checkpoint file; a hostile '__proto__' option stays a plain key", () => {
    const { w, b, opt, dispose } = setup();
    w.grad = tensor([1, 1]);
    b.grad = tensor([1]);
    opt.step();
    const saved = opt.stateDict();
    (saved.paramGroups[0] as Record<string, unknown>).extra = JSON.parse('{"__proto__":{"lr":-5}}');
    Object.defineProperty(saved.paramGroups[0], '__proto__', { value: { polluted: true }, enumerable: true });
    const bytes = encodeCheckpoint({ optimizer: saved });
    for (const s of Object.values(saved.state))
      for (const v of Object.values(s)) if (typeof v !== 'number') v.dispose();
    const back = decodeCheckpoint<{ optimizer: OptimizerStateDict }>(bytes);
    const opt2 = new SGD([w, b], { lr: 0.2, momentum: 0.9 });
    opt2.loadStateDict(back.optimizer);
    for (const s of Object.values(back.optimizer.state))
      for (const v of Object.values(s)) if (typeof v !== 'number') v.dispose();
    const g = opt2.paramGroups[0] as Record<string, unknown>;
    expect(g.lr).toBe(0.1);
    expect(g.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(g)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Array.from((opt2.state.get(w)!.momentumBuffer as Tensor).dataSync())).toEqual([1, 1]);
    for (const o of [opt, opt2]) {
      o.disposeState();
      o.zeroGrad();
    }
    dispose();
  });
});
