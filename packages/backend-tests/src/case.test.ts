import { describe, expect, it } from 'vitest';
import { declaredSkip, familyOf, groupOf, unknownSkips } from './case.js';
import { ALL_CASES } from './cases/index.js';

describe('case ids', () => {
  it('are unique and shaped family/op/variant', () => {
    const ids = ALL_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_.-]+$/);
    expect(familyOf('binary/add/broadcast-row')).toBe('binary');
    expect(groupOf('binary/add/broadcast-row')).toBe('binary/add');
  });
  it('cover every family the suite promises', () => {
    const families = new Set(ALL_CASES.map((c) => familyOf(c.id)));
    for (const f of [
      'creation',
      'dtypes',
      'unary',
      'binary',
      'compare',
      'reduce',
      'movement',
      'indexing',
      'join',
    ]) {
      expect(families).toContain(f);
    }
    for (const f of ['matmul', 'softmax', 'autograd', 'memory', 'errors']) expect(families).toContain(f);
  });
});

describe('skip maps', () => {
  const skip = {
    'matmul/*': 'no matmul yet',
    'binary/pow/special': 'pow of negative bases',
    'nope/x/y': 'stale',
  };
  it('match exact ids and prefix/* groups', () => {
    expect(declaredSkip('matmul/vector/dot', skip)).toBe('no matmul yet');
    expect(declaredSkip('binary/pow/special', skip)).toBe('pow of negative bases');
    expect(declaredSkip('binary/pow/same-shape', skip)).toBeUndefined();
  });
  it('report keys that match no case', () => {
    expect(
      unknownSkips(
        ALL_CASES.map((c) => c.id),
        skip,
      ),
    ).toEqual(['nope/x/y']);
  });
});
