import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { eye, full, memory, ones, rand, randint, randn, randperm, tensor, zeros } from '../index.js';

/** Calls `f` with arguments the types forbid, as plain JavaScript callers can. */
const loose =
  (f: (...a: never[]) => unknown, ...args: unknown[]) =>
  () =>
    (f as (...a: unknown[]) => unknown)(...args);

describe('size arguments of the creation functions', () => {
  it("zeros('3') is an error, not a 0-d tensor", () => {
    const before = memory().numTensors;
    expect(loose(zeros, '3')).toThrow("zeros: size must be non-negative integers, got '3' (string)");
    expect(memory().numTensors).toBe(before);
  });

  it('refuses negative, fractional and non-finite sizes, in both forms', () => {
    expect(loose(ones, 2, -1)).toThrow('ones: size must be non-negative integers, got -1 (number)');
    expect(loose(rand, 2.5)).toThrow('rand: size must be non-negative integers, got 2.5 (number)');
    expect(loose(randn, Number.NaN)).toThrow('randn: size must be non-negative integers, got NaN (number)');
    expect(loose(zeros, [2, Number.POSITIVE_INFINITY])).toThrow(
      'zeros: size must be non-negative integers, got Infinity (number) at index 1 of [2, Infinity]',
    );
    expect(loose(zeros, [2, '3'])).toThrow(
      "zeros: size must be non-negative integers, got '3' (string) at index 1 of [2, '3']",
    );
    expect(loose(randint, 0, 5, [2, -3])).toThrow(
      'randint: size must be non-negative integers, got -3 (number) at index 1 of [2, -3]',
    );
  });

  it('refuses a stray argument where the options belong, and arguments after them', () => {
    expect(loose(zeros, 2, 'float32')).toThrow(
      "zeros: size must be non-negative integers, got 'float32' (string)",
    );
    expect(loose(zeros, 2, true)).toThrow('zeros: size must be non-negative integers, got true (boolean)');
    expect(loose(zeros, [2], [3])).toThrow('zeros: size must be non-negative integers, got [3] (array)');
    const t = tensor([2, 3]);
    expect(loose(zeros, t)).toThrow(
      'zeros: size must be non-negative integers, got a Tensor (Tensor of shape [2])',
    );
    t.dispose();
    expect(loose(zeros, [2], { dtype: 'int32' }, 4)).toThrow(
      'zeros: unexpected argument 4 after the options',
    );
  });

  it('full, eye and randperm check their sizes too', () => {
    expect(loose(full, '3', 1)).toThrow("full: size must be non-negative integers, got '3' (string)");
    expect(loose(full, 3, 1)).toThrow('full: size must be non-negative integers, got 3 (number)');
    expect(loose(full, [1, -2], 1)).toThrow(
      'full: size must be non-negative integers, got -2 (number) at index 1',
    );
    expect(loose(eye, 2, 1.5)).toThrow(
      'eye: size must be non-negative integers, got 1.5 (number) at index 1',
    );
    expect(loose(randperm, -1)).toThrow('randperm: size must be non-negative integers, got -1 (number)');
  });

  it('still accepts every valid form', () => {
    const made = [
      zeros(),
      zeros(2, 3),
      zeros([2, 3]),
      zeros([0], { dtype: 'int32' }),
      ones(2, { dtype: 'float64' }),
      ones([], undefined),
      rand(0),
      randn([1, 2], {}),
    ];
    expect(made.map((t) => t.shape)).toEqual([[], [2, 3], [2, 3], [0], [2], [], [0], [1, 2]]);
    expect(made[3].dtype).toBe('int32');
    expect(made[4].dtype).toBe('float64');
    for (const t of made) t.dispose();
  });
});
