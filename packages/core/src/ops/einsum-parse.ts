// The einsum equation as PyTorch 1.13 reads it: subscripts [a-zA-Z] (spaces ignored), at most one
// '...' per operand, an optional '->' output; without one the output is the ellipsis dims then
// the subscripts that appear exactly once, in alphabetical order (uppercase first).
// Also the sublist form `einsum(op1, [0, 1], op2, [1, 2], [0, 2])`, turned into an equation.

/** A subscript as a dim id: 'A'..'Z' are 0..25, 'a'..'z' 26..51 (ids sort as PyTorch orders the implicit output). */
const LABELS = 52;

/** The dim id of ellipsis dim `j` (of the broadcast ellipsis, counted from its first dim). */
export const ellipsisId = (j: number): number => LABELS + j;

/** Each operand's dims and the output's, as ids (see {@link LABELS}, {@link ellipsisId}). */
export interface EinsumPlan {
  inputs: number[][];
  output: number[];
}

/** The subscript letter of a dim id, for messages. */
export function labelOf(id: number): string {
  if (id >= LABELS) return '...';
  return String.fromCharCode(id < 26 ? 65 + id : 97 + id - 26);
}

function labelId(ch: string): number | undefined {
  const c = ch.charCodeAt(0);
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97 + 26;
  return undefined;
}

/** One side's parsed subscripts: ids of the letters, and where '...' stands (-1: none). */
interface Term {
  labels: number[];
  ellipsisAt: number;
}

/**
 * Parses the subscripts of one term starting at `from` in `eq` (for error positions); `what`
 * names the term in messages ("operand 1", "output").
 */
function parseTerm(eq: string, from: number, to: number, what: string): Term {
  const labels: number[] = [];
  let ellipsisAt = -1;
  for (let i = from; i < to; i++) {
    const ch = eq[i];
    if (ch === ' ') continue;
    if (ch === '.') {
      if (ellipsisAt >= 0) {
        throw new Error(`einsum: found '.' for ${what} for which an ellipsis was already found`);
      }
      if (eq.slice(i, i + 3) !== '...' || i + 3 > to) {
        throw new Error(`einsum: found '.' for ${what} that is not part of any ellipsis (...)`);
      }
      ellipsisAt = labels.length;
      i += 2;
      continue;
    }
    const id = labelId(ch);
    if (id === undefined) {
      throw new Error(
        `einsum: invalid subscript '${ch}' at index ${i} of the equation '${eq}': subscripts must be in [a-zA-Z]`,
      );
    }
    labels.push(id);
  }
  return { labels, ellipsisAt };
}

/**
 * Parses `equation` for operands of `ndims` dims: checks the subscripts against the operands'
 * dims and expands every '...' into ellipsis dim ids, right-aligned to the longest one (they
 * broadcast as NumPy's trailing dims do).
 */
export function parseEquation(equation: string, ndims: readonly number[]): EinsumPlan {
  const arrow = equation.indexOf('->');
  const lhsEnd = arrow >= 0 ? arrow : equation.length;
  const terms: Term[] = [];
  let start = 0;
  for (let i = 0; i <= lhsEnd; i++) {
    if (i === lhsEnd || equation[i] === ',') {
      terms.push(parseTerm(equation, start, i, `operand ${terms.length}`));
      start = i + 1;
    }
  }
  if (terms.length > ndims.length) {
    throw new Error(
      `einsum: the equation '${equation}' has ${terms.length} operand terms but ${ndims.length} operand${ndims.length === 1 ? ' was' : 's were'} given`,
    );
  }
  if (terms.length < ndims.length) {
    throw new Error(
      `einsum: more operands (${ndims.length}) were given than the equation '${equation}' specifies (${terms.length})`,
    );
  }
  // The broadcast ellipsis spans the most dims any operand's '...' covers.
  let span = 0;
  const spans = terms.map((t, k) => {
    const n = ndims[k];
    if (t.ellipsisAt < 0) {
      if (t.labels.length !== n) {
        throw new Error(
          `einsum: the number of subscripts in the equation (${t.labels.length}) does not match the number of dimensions (${n}) for operand ${k} and no ellipsis was given`,
        );
      }
      return 0;
    }
    if (t.labels.length > n) {
      throw new Error(
        `einsum: the number of subscripts in the equation (${t.labels.length}) is more than the number of dimensions (${n}) for operand ${k}`,
      );
    }
    span = Math.max(span, n - t.labels.length);
    return n - t.labels.length;
  });
  const inputs = terms.map((t, k) => {
    if (t.ellipsisAt < 0) return [...t.labels];
    const e = spans[k];
    const dots = Array.from({ length: e }, (_, j) => ellipsisId(span - e + j));
    return [...t.labels.slice(0, t.ellipsisAt), ...dots, ...t.labels.slice(t.ellipsisAt)];
  });
  const allDots = Array.from({ length: span }, (_, j) => ellipsisId(j));
  let output: number[];
  if (arrow >= 0) {
    if (equation.indexOf('->', arrow + 2) >= 0) {
      throw new Error(`einsum: the equation '${equation}' has more than one '->'`);
    }
    const out = parseTerm(equation, arrow + 2, equation.length, 'output');
    const seen = new Set<number>();
    for (const id of out.labels) {
      if (seen.has(id)) {
        throw new Error(
          `einsum: output subscript ${labelOf(id)} appears more than once in the output of '${equation}'`,
        );
      }
      seen.add(id);
      if (!inputs.some((ids) => ids.includes(id))) {
        throw new Error(
          `einsum: output subscript ${labelOf(id)} does not appear in the equation '${equation}' for any input operand`,
        );
      }
    }
    output =
      out.ellipsisAt < 0
        ? out.labels
        : [...out.labels.slice(0, out.ellipsisAt), ...allDots, ...out.labels.slice(out.ellipsisAt)];
  } else {
    const count = new Map<number, number>();
    for (const ids of inputs) for (const id of ids) if (id < LABELS) count.set(id, (count.get(id) ?? 0) + 1);
    const once = [...count.entries()].filter(([, c]) => c === 1).map(([id]) => id);
    output = [...allDots, ...once.sort((a, b) => a - b)];
  }
  return { inputs, output };
}

/** A sublist entry: a subscript number 0..51 or the ellipsis ('...'). */
export type SublistEntry = number | '...';

/**
 * The equation of PyTorch's sublist form: `[op1, sub1, op2, sub2, ..., subOut?]` (subscripts
 * 0..25 are 'A'..'Z', 26..51 'a'..'z', '...' the ellipsis).
 */
export function sublistEquation(
  sublists: readonly (readonly SublistEntry[])[],
  output?: readonly SublistEntry[],
): string {
  const term = (s: readonly SublistEntry[]): string =>
    s
      .map((v) => {
        if (v === '...') return '...';
        if (!Number.isInteger(v) || v < 0 || v >= LABELS) {
          throw new Error(
            `einsum: subscript ${String(v)} in a sublist is not within the valid range [0, 52)`,
          );
        }
        return labelOf(v);
      })
      .join('');
  const lhs = sublists.map(term).join(',');
  return output === undefined ? lhs : `${lhs}->${term(output)}`;
}
