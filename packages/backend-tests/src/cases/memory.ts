import { memory, ones, tensor, tidy, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import type { Tols } from '../checks.js';
import { deviceMemory } from '../run-case.js';
import { f32 } from './data.js';

// what the checks hold (copies awaiting an asynchronous read; none on a synchronous backend)
// is the harness's, not the case's
const live = (t: Tols) => memory().numTensors - t.held().numTensors;
const bytes = (t: Tols) => memory().numBytes - t.held().numBytes;

/** dispose, tidy and the counts memory() reports for this backend. */
export const memoryCases: ConformanceCase[] = [
  tcase('memory/dispose/counts', (t) => {
    const n0 = live(t);
    const b0 = bytes(t);
    const a = zeros([2, 3]);
    t.num(live(t), n0 + 1, 'numTensors after zeros([2,3])', true);
    t.num(bytes(t), b0 + 24, 'numBytes after a float32 [2,3]', true);
    a.dispose();
    t.num(live(t), n0, 'numTensors after dispose()', true);
    t.num(bytes(t), b0, 'numBytes after dispose()', true);
  }),
  tcase('memory/dispose/twice-is-harmless', (t) => {
    const n0 = live(t);
    const a = ones([2]);
    a.dispose();
    a.dispose();
    t.num(live(t), n0, 'numTensors after two dispose() calls', true);
  }),
  tcase('memory/dispose/use-after-dispose', (t) => {
    const a = ones([2]);
    a.dispose();
    t.throws(() => a.dataSync(), /dispose/i, 'reading a disposed tensor');
    t.throws(() => a.add(1), /dispose/i, 'computing with a disposed tensor');
  }),
  tcase('memory/counts/bytes-per-dtype', (t) => {
    const b0 = bytes(t);
    const i = f32([1, 2, 3, 4, 5], { dtype: 'int32' });
    t.num(bytes(t) - b0, 20, 'bytes of an int32 [5]', true);
    const b = tensor([true, false, true]);
    t.num(bytes(t) - b0, 23, 'plus a bool [3] (1 byte each)', true);
    i.dispose();
    b.dispose();
  }),
  tcase(
    'memory/counts/float64-bytes',
    (t) => {
      const b0 = bytes(t);
      f32([1, 2], { dtype: 'float64' });
      t.num(bytes(t) - b0, 16, 'bytes of a float64 [2]', true);
    },
    ['float64'],
  ),
  tcase('memory/counts/device-entry', (t) => {
    ones([2]);
    const entry = deviceMemory(t.backend);
    t.ok(entry !== undefined, `memory().devices has an entry for '${t.backend}'`);
    t.ok(
      typeof entry?.numTensors === 'number' && entry.numTensors >= 1,
      `memory().devices['${t.backend}'].numTensors counts live tensors`,
    );
  }),
  tcase('memory/dispose/frees-grad', (t) => {
    // disposing a leaf frees its gradient too (PyTorch: the grad is owned by its tensor)
    const n0 = live(t);
    const x = f32([1, 2], { requiresGrad: true });
    tidy(() => {
      x.mul(x).sum().backward();
    });
    t.ok(x.grad !== null, 'backward() set x.grad');
    x.dispose();
    t.num(live(t), n0, 'numTensors after disposing a leaf that has a grad', true);
  }),
  tcase('memory/tidy/frees-intermediates', (t) => {
    const n0 = live(t);
    tidy(() => {
      const a = ones([4]);
      const b = a.add(1).mul(2).exp();
      b.sum();
    });
    t.num(live(t), n0, 'numTensors after tidy', true);
  }),
  tcase('memory/tidy/returns-kept', (t) => {
    const n0 = live(t);
    const r = tidy(() => {
      const a = ones([3]);
      return a.add(a).mul(3);
    });
    t.num(live(t), n0 + 1, 'only the returned tensor survives tidy', true);
    t.equal(r, [6, 6, 6]);
    r.dispose();
    t.num(live(t), n0, 'numTensors after disposing the result', true);
  }),
  tcase('memory/tidy/returns-array', (t) => {
    const n0 = live(t);
    const [a, b] = tidy(() => {
      const x = ones([2]);
      return [x.add(1), x.mul(5)];
    });
    t.num(live(t), n0 + 2, 'both returned tensors survive tidy', true);
    t.equal(a, [2, 2]);
    t.equal(b, [5, 5]);
  }),
  tcase('memory/tidy/nested', (t) => {
    const n0 = live(t);
    tidy(() => {
      const inner = tidy(() => ones([2]).add(1));
      t.num(live(t), n0 + 1, 'inner tidy keeps its result', true);
      inner.mul(2);
    });
    t.num(live(t), n0, 'outer tidy frees what the inner one returned', true);
  }),
  tcase('memory/tidy/frees-on-throw', (t) => {
    const n0 = live(t);
    t.throws(
      () =>
        tidy(() => {
          ones([5]).add(1);
          throw new Error('boom');
        }),
      /boom/,
    );
    t.num(live(t), n0, 'numTensors after a tidy body threw', true);
  }),
  tcase('memory/views/outlive-source', (t) => {
    // a reshape/transpose result stays readable after its source is disposed
    const x = f32([
      [1, 2],
      [3, 4],
    ]);
    const r = x.reshape([4]);
    const tr = x.transpose(0, 1);
    x.dispose();
    t.equal(r, [1, 2, 3, 4]);
    t.equal(tr, [
      [1, 3],
      [2, 4],
    ]);
  }),
];
