// The declared signatures (src/signature/) of the op table's functions against PyTorch's own
// (recorded in fixtures/op-table.json by tools/fixtures/op_table.py: inspect.signature, or the
// first line of a builtin's docstring): same parameters, same order, same keyword-only ones.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { SIGNATURES } from '../signature/signature.js';
import { opTableFixture } from '../testing/op-table.js';

interface TorchParam {
  name: string;
  kind: 'positional' | 'keyword';
  required: boolean;
}

/** PyTorch's snake_case name in our camelCase. */
const camel = (name: string): string => name.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

/**
 * Where ours knowingly differs from the signature PyTorch's docstring gives first: that line is
 * one overload of several, and ours takes the union (the other overloads' parameters too).
 */
const OVERLOADS: Readonly<Record<string, string>> = {
  all: 'all(input) is the first overload; all(input, dim, keepdim=False, *, out=None) is the other',
  any: 'any(input) is the first overload; any(input, dim, keepdim=False, *, out=None) is the other',
  nansum:
    'nansum(input, *, dtype=None) is the first overload; nansum(input, dim, keepdim=False, *, dtype=None) the other',
  stdMean: 'std_mean(input, dim, unbiased, keepdim) plus the overload with keyword `correction`',
  varMean: 'var_mean(input, dim, unbiased, keepdim) plus the overload with keyword `correction`',
  unique: 'torch.unique is (*args, **kwargs) in Python; ours follows its docstring',
  repeatInterleave: 'repeats is optional here for the repeat_interleave(repeats) overload',
  // not an overload: 1.13's docstring says dot(input, other), its parser binds `tensor`
  // (torch.dot(a, other=b) is a TypeError), which ours follows
  dot: 'the docstring names `other`; the parser (and ours) `tensor`',
};

const torchSignatures = new Map<string, TorchParam[]>();
for (const c of opTableFixture().cases) {
  const sig = (c as unknown as { torchSignature?: TorchParam[] }).torchSignature;
  if (sig) torchSignatures.set(c.op, sig);
}
const checked = [...torchSignatures.keys()].filter((op) => SIGNATURES.has(op) && !(op in OVERLOADS));

describe("op-table signatures match PyTorch's", () => {
  it('checks the table ops that declare a signature', () => {
    expect(checked.length).toBeGreaterThan(20);
  });
  it.each(checked)('%s', (op) => {
    const ours = SIGNATURES.get(op)!.params.filter((p) => !p.extension);
    const theirs = torchSignatures.get(op)!;
    expect(ours.map((p) => p.name)).toEqual(theirs.map((p) => camel(p.name)));
    expect(ours.map((p) => p.keywordOnly)).toEqual(theirs.map((p) => p.kind === 'keyword'));
    for (const [i, p] of theirs.entries()) if (p.required) expect(ours[i].required, p.name).toBe(true);
  });
});
