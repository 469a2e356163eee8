// The composite (primitives-only) paths of conv and pooling against the CPU backend's fused
// kernels: a test-local backend delegates to the CPU backend but hides every fused kernel.
import '@proj/backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  backendByName,
  manualSeed,
  memory,
  randn,
  registerBackend,
  removeBackend,
  setBackend,
  type Tensor,
  tidy,
} from '../../index.js';
import { runSpatialCase, spatialCases } from '../layers/conv-fixture.js';
import { conv2d } from './conv.js';
import { convTranspose2d } from './conv-transpose.js';
import { avgPool2d, maxPool2d, maxPool2dWithIndices } from './pool.js';
import { adaptiveAvgPool2d } from './pool-adaptive.js';

const HIDDEN = new Set([
  'matmul',
  'concat',
  'conv2d',
  'conv2dBackwardInput',
  'conv2dBackwardFilter',
  'maxPool2d',
  'avgPool2d',
  'destroy',
]);

function primitivesOnly(inner: Backend): Backend {
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'name') return 'cpu-primitives';
      if (typeof key === 'string' && HIDDEN.has(key)) return undefined;
      const v = Reflect.get(target, key);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

beforeAll(() => registerBackend('cpu-primitives', () => primitivesOnly(backendByName('cpu'))));
afterAll(() => removeBackend('cpu-primitives'));

/** Runs `fn` on the CPU backend and on the primitives-only one and compares outputs and input grads. */
function both(shapes: number[][], fn: (...xs: Tensor[]) => Tensor): void {
  manualSeed(7);
  const data = shapes.map((s) => randn(s, { dtype: 'float64' }));
  const run = (device: string) =>
    tidy(() => {
      const xs = data.map((d) => d.to(device).detach().requiresGrad_(true));
      const y = fn(...xs);
      expect(y.device).toBe(device);
      y.mul(y).sum().backward();
      return { y: y.toArray(), grads: xs.map((x) => x.grad!.toArray()) };
    });
  const a = run('cpu');
  const before = memory().numTensors;
  const b = run('cpu-primitives');
  expect(memory().numTensors).toBe(before);
  expectClose(b.y, a.y);
  for (let i = 0; i < a.grads.length; i++) expectClose(b.grads[i], a.grads[i]);
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v as number];
}

function expectClose(actual: unknown, expected: unknown): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i] - e[i]) > 1e-9 * (1 + Math.abs(e[i]))) {
      throw new Error(`entry ${i}: ${a[i]} != ${e[i]}`);
    }
  }
}

describe('composite conv/pool paths match the fused kernels', () => {
  it('conv2d with stride, padding, dilation and groups', () => {
    both([[2, 4, 7, 6], [6, 2, 3, 2], [6]], (x, w, b) =>
      conv2d(x, w, b, { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }),
    );
    both(
      [
        [1, 3, 5, 5],
        [4, 3, 1, 1],
      ],
      (x, w) => conv2d(x, w, null),
    );
    both(
      [
        [1, 2, 5, 4],
        [3, 2, 2, 3],
      ],
      (x, w) => conv2d(x, w, null, { padding: 'same' }),
    );
  });

  it('convTranspose2d with outputPadding and groups', () => {
    both([[2, 4, 3, 4], [4, 3, 3, 2], [6]], (x, w, b) =>
      convTranspose2d(x, w, b, { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 2 }),
    );
    both(
      [
        [1, 2, 3, 3],
        [2, 2, 2, 2],
      ],
      (x, w) => convTranspose2d(x, w, null, { dilation: 2, padding: 1 }),
    );
  });

  it('maxPool2d (indices too), avgPool2d and adaptiveAvgPool2d', () => {
    both([[2, 3, 7, 6]], (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }));
    both([[1, 2, 8, 7]], (x) => maxPool2d(x, [2, 3], { stride: [2, 1], dilation: [2, 1] }));
    both([[2, 3, 7, 6]], (x) =>
      avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    );
    both([[1, 2, 5, 5]], (x) => avgPool2d(x, 2, { ceilMode: true }));
    both([[1, 2, 5, 5]], (x) => avgPool2d(x, 3, { stride: 2, divisorOverride: 4 }));
    both([[2, 2, 7, 5]], (x) => adaptiveAvgPool2d(x, [3, 2]));
    const x = randn([1, 1, 4, 4]);
    const [fusedV, fusedI] = maxPool2dWithIndices(x, 2);
    const [compV, compI] = maxPool2dWithIndices(x.to('cpu-primitives'), 2);
    expect(compV.toArray()).toEqual(fusedV.toArray());
    expect(compI.toArray()).toEqual(fusedI.toArray());
  });
});

describe('every spatial layer matches PyTorch on a backend with only the required primitives', () => {
  const cases = [
    'conv',
    'maxPool2d/',
    'avgPool2d/',
    'adaptiveAvgPool2d/',
    'upsample/',
    'batchNorm',
    'layerNorm/',
  ].flatMap(spatialCases);
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    setBackend('cpu-primitives');
    try {
      runSpatialCase(c, 1e-4);
    } finally {
      setBackend('cpu');
    }
  });
});
