// The CPU backend is imported by path: backend-cpu depends on this package, not the reverse.
import '../../backend-cpu/src/index.js';
import { currentBackendName, keep, ones, type Tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { tcase } from './case.js';
import { ConformanceError } from './checks.js';
import { runCase, selectedCases, skipReason } from './run-case.js';

const cpu = { backend: 'cpu' } as const;

describe('runCase', () => {
  it('passes a clean case and frees its intermediates', () => {
    runCase(
      tcase('self/clean/ok', (t) => t.equal(ones([2]).add(1), [2, 2])),
      cpu,
    );
  });
  it('fails a case that leaks a tensor past tidy', () => {
    let leaked: Tensor | undefined;
    const leaky = tcase('self/leak/kept', () => {
      leaked = keep(ones([2]));
    });
    expect(() => runCase(leaky, cpu)).toThrow(/self\/leak\/kept: leaked 1 tensor\(s\), 8 byte\(s\)/);
    leaked?.dispose();
  });
  it('propagates a failed check', () => {
    const wrong = tcase('self/check/wrong', (t) => t.equal(ones([1]), [2]));
    expect(() => runCase(wrong, cpu)).toThrow(ConformanceError);
  });
  it('applies the tolerance preset', () => {
    const near = tcase('self/tol/near', (t) => t.close(ones([1]).mul(1.0001), [1]));
    expect(() => runCase(near, { ...cpu, tolerance: 'strict' })).toThrow(/rtol 0.000001/);
    runCase(near, { ...cpu, tolerance: 'permissive' });
  });
  it('restores the backend that was current before', () => {
    const before = currentBackendName();
    runCase(
      tcase('self/restore/x', () => {}),
      cpu,
    );
    expect(currentBackendName()).toBe(before);
  });
});

describe('selectedCases', () => {
  it('keeps every case, or those `only` accepts', () => {
    const cases = [tcase('a/b/c', () => {}), tcase('a/d/e', () => {}), tcase('f/g/h', () => {})];
    expect(selectedCases(cpu, cases)).toBe(cases);
    expect(selectedCases({ ...cpu, only: (id) => id.startsWith('a/') }, cases).map((c) => c.id)).toEqual([
      'a/b/c',
      'a/d/e',
    ]);
  });
});

describe('value checks on a synchronous backend', () => {
  it('item(), read() and a tensor expectation judge at once', () => {
    let seen: unknown;
    runCase(
      tcase('self/sync/item-read', (t) => {
        const x = ones([2]);
        t.item(x.sum(), 2);
        t.read(x, (v) => {
          seen = v;
        });
        t.ok(seen instanceof Float32Array, 'read() called back before the next check');
        t.equal(x.add(0), x);
      }),
      cpu,
    );
    expect(() =>
      runCase(
        tcase('self/sync/item-type', (t) => t.item(ones([1]), true)),
        cpu,
      ),
    ).toThrow(/item\(\) is 1 \(number\), expected true \(boolean\)/);
    expect(() =>
      runCase(
        tcase('self/sync/tensor-want', (t) => t.close(ones([2]), ones([3]))),
        cpu,
      ),
    ).toThrow(/shape is \[2\], expected \[3\]/);
  });
});

describe('skipReason', () => {
  it('prefers the declared reason, then unmet requirements', () => {
    const needs2 = tcase('self/req/second', () => {}, ['second-backend']);
    expect(skipReason(needs2, cpu)).toBe('needs a second registered backend');
    expect(skipReason(needs2, { ...cpu, skip: { 'self/*': 'declared' } })).toBe('declared');
    expect(
      skipReason(
        tcase('self/req/f64', () => {}, ['float64']),
        cpu,
      ),
    ).toBeUndefined();
    // the CPU reads synchronously and stores the half dtypes
    expect(
      skipReason(
        tcase('self/req/sync', () => {}, ['readsSync', 'float16', 'bfloat16']),
        cpu,
      ),
    ).toBeUndefined();
  });
});
