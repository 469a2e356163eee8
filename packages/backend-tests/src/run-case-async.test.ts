// runCaseAsync and the deferred checks of Tols, on the CPU backend made to read only
// asynchronously ('cpu-async': readSync throws, value checks deferred to the next read), so the
// harness is tested apart from any real asynchronous backend.

import {
  type DataArray,
  keep,
  memory,
  nn,
  ones,
  registerBackend,
  setBackend,
  type Tensor,
  type TensorInfo,
  tensor,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backend-cpu/src/index.js';
import { type ConformanceCase, tcase } from './case.js';
import { ALL_CASES } from './cases/index.js';
import { HOST_READ_SKIPS } from './host-reads.js';
import { runCase, runCaseAsync, skipReason } from './run-case.js';

/** The CPU backend, readable only with `await data()`, holding core's value checks until then. */
class AsyncCpu extends CpuBackend {
  readonly readsSync = false;
  reads = 0;
  private failed: (() => string)[] = [];

  override readSync(_x: TensorInfo): never {
    throw new Error('cpu-async reads only asynchronously: use await t.data()');
  }

  // judged at once (the CPU has the value), thrown from the next read, as a device would
  deferCheck(cond: TensorInfo, message: () => string): void {
    if (super.readSync(cond)[0] === 0) this.failed.push(message);
  }

  override async read(x: TensorInfo): Promise<DataArray> {
    this.reads++;
    // what is pending is taken at the call, and the value too: the check's copy never changes
    const failed = this.failed;
    this.failed = [];
    const values = super.readSync(x);
    await Promise.resolve();
    if (failed.length > 0) throw new Error(failed[0]());
    return values;
  }
}

let backend: AsyncCpu | undefined;
registerBackend('cpu-async', () => (backend = new AsyncCpu()), { priority: -5 });
const opts = { backend: 'cpu-async' } as const;

/** The error `run` fails with, or undefined. */
async function failure(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return undefined;
}

describe('runCaseAsync on a backend that reads only asynchronously', () => {
  it('skips, with the reason, cases that check a synchronous reader or use a half dtype', () => {
    expect(
      skipReason(
        tcase('self/req/sync', () => {}, ['readsSync']),
        opts,
      ),
    ).toMatch(/reads only asynchronously; the case checks a synchronous reader/);
    // core rounds half results on the host, so it offers no half dtype here
    expect(
      skipReason(
        tcase('self/req/half', () => {}, ['float16']),
        opts,
      ),
    ).toMatch(/does not support float16/);
    expect(
      skipReason(
        tcase('self/req/f32', () => {}),
        opts,
      ),
    ).toBeUndefined();
  });

  it('refuses the synchronous runCase by name', () => {
    expect(() =>
      runCase(
        tcase('self/x/y', () => {}),
        opts,
      ),
    ).toThrow(/runCaseAsync/);
  });

  it('judges value checks after the body, on the value each tensor had at its check', async () => {
    const reads = backend?.reads ?? 0;
    let checked = false;
    await runCaseAsync(
      tcase('self/deferred/mutated', (t) => {
        const x = ones([3]);
        t.equal(x, [1, 1, 1], 'before the write');
        x.add_(1);
        t.close(x, [2, 2, 2], 'after the write');
        t.item(x.sum(), 6, 'sum');
        t.read(x, (v) => {
          checked = true;
          t.ok(v instanceof Float32Array, 'float32 storage');
        });
        // a check keeps a copy: disposing (or tidy freeing) the original does not matter
        x.dispose();
        t.ok(!checked, 'read callbacks wait for the body to end');
      }),
      opts,
    );
    expect(checked).toBe(true);
    expect((backend?.reads ?? 0) - reads).toBeGreaterThanOrEqual(4);
  });

  it('fails a wrong value with the message the synchronous backend gives', async () => {
    const wrong = tcase('self/deferred/wrong', (t) => t.close(tensor([1, 2.5]), [1, 2], 'v'));
    const sync = await failure(() => runCase(wrong, { backend: 'cpu' }));
    const deferred = await failure(() => runCaseAsync(wrong, opts));
    expect(sync).toMatch(/v: element 1 is 2.5, expected 2/);
    expect(deferred).toBe(sync);
    const exact = tcase('self/deferred/item', (t) => t.item(tensor(true), 1, 'item()'));
    expect(await failure(() => runCaseAsync(exact, opts))).toMatch(
      /item\(\) is true \(boolean\), expected 1/,
    );
  });

  it('compares with another tensor, as equal/close with a tensor expectation', async () => {
    await runCaseAsync(
      tcase('self/deferred/tensor-want', (t) => {
        const a = tensor([1, 2, 3]);
        t.equal(a.mul(1), a);
        t.close(a.add(1e-9), a);
      }),
      opts,
    );
    const off = tcase('self/deferred/tensor-want-off', (t) =>
      t.equal(tensor([1, 2]), tensor([1, 3]), 'copy'),
    );
    expect(await failure(() => runCaseAsync(off, opts))).toMatch(/copy: element 1 is 2, expected 3/);
  });

  it('surfaces a value-dependent error in throws() from the read of the result', async () => {
    // a probability outside [0, 1]: core's value check (checkOnDevice), deferred here
    const bad = () => nn.functional.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([1, 0]));
    const c = tcase('self/deferred/throws', (t) => {
      t.throws(bad, [/binaryCrossEntropy/, /between 0 and 1/]);
    });
    await runCase(c, { backend: 'cpu' }); // thrown by the op on a synchronous backend
    await runCaseAsync(c, opts); // thrown by the next read here
    const quiet = tcase('self/deferred/no-error', (t) => t.throws(() => ones([2]).add(1), /never/));
    expect(await failure(() => runCaseAsync(quiet, opts))).toMatch(
      /expected an error, but the call returned normally and reading its result on 'cpu-async' raised nothing/,
    );
  });

  it('fails a case whose op check failed after its last read, and attributes errors to the check after them', async () => {
    const unread = tcase('self/deferred/unread-check', (t) => {
      t.equal(ones([1]), [1]);
      nn.functional.binaryCrossEntropy(tensor([2]), tensor([1]));
    });
    expect(await failure(() => runCaseAsync(unread, opts))).toMatch(
      /value check failed after the last checked read.*binaryCrossEntropy/,
    );
    const before = tcase('self/deferred/check-after', (t) => {
      t.equal(ones([1]), [1], 'first');
      nn.functional.binaryCrossEntropy(tensor([2]), tensor([1]));
      t.equal(ones([1]), [1], 'second');
    });
    expect(await failure(() => runCaseAsync(before, opts))).toMatch(
      /^second: reading it raised: binaryCrossEntropy/,
    );
    // nothing is left pending for the next case
    await runCaseAsync(
      tcase('self/deferred/clean', (t) => t.equal(ones([1]), [1])),
      opts,
    );
  });

  it('still catches leaks, and frees what the checks held', async () => {
    const n0 = memory().numTensors;
    let leaked: Tensor | undefined;
    const leaky = tcase('self/deferred/leak', (t) => {
      leaked = ones([2]);
      t.equal(leaked, [1, 1]);
      leaked = keep(leaked.add(0));
    });
    expect(await failure(() => runCaseAsync(leaky, opts))).toMatch(/leaked 1 tensor\(s\), 8 byte\(s\)/);
    leaked?.dispose();
    expect(memory().numTensors).toBe(n0);
    setBackend('cpu');
  });

  it('runs the memory, creation, dtype, strided and autograd families as on the CPU', async () => {
    const families = ['memory/', 'creation/', 'dtypes/', 'strided/', 'autograd/', 'linalg/random/'];
    const picked: ConformanceCase[] = ALL_CASES.filter((c) => families.some((f) => c.id.startsWith(f)));
    const run = { ...opts, skip: HOST_READ_SKIPS, tolerance: 'strict' as const };
    const failed: string[] = [];
    let ran = 0;
    for (const c of picked) {
      if (skipReason(c, run) !== undefined) continue;
      ran++;
      const e = await failure(() => runCaseAsync(c, run));
      if (e !== undefined) failed.push(`${c.id}: ${e.split('\n')[0]}`);
    }
    expect(failed).toEqual([]);
    expect(ran).toBeGreaterThan(60);
  });
});
