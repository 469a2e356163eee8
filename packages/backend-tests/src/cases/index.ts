import type { ConformanceCase } from '../case.js';
import { autogradCases } from './autograd.js';
import { binaryCases, inplaceCases } from './binary.js';
import { compareCases } from './compare.js';
import { creationCases } from './creation.js';
import { dtypeCases } from './dtypes.js';
import { errorCases } from './errors.js';
import { halfCases } from './half.js';
import { indexingCases } from './indexing.js';
import { joinCases } from './join.js';
import { matmulCases } from './matmul.js';
import { memoryCases } from './memory.js';
import { movementCases } from './movement.js';
import { reduceCases } from './reduce.js';
import { sizeCases } from './size.js';
import { softmaxCases } from './softmax.js';
import { sortingCases } from './sorting.js';
import { stridedCases } from './strided.js';
import { unaryCases } from './unary.js';
import { viewCases } from './views.js';

/** Every conformance case, in report order; a family is the first segment of the id. */
export const ALL_CASES: readonly ConformanceCase[] = [
  ...creationCases,
  ...dtypeCases,
  ...halfCases,
  ...unaryCases,
  ...binaryCases,
  ...inplaceCases,
  ...compareCases,
  ...reduceCases,
  ...movementCases,
  ...indexingCases,
  ...stridedCases,
  ...viewCases,
  ...joinCases,
  ...matmulCases,
  ...softmaxCases,
  ...sortingCases,
  ...sizeCases,
  ...autogradCases,
  ...memoryCases,
  ...errorCases,
];
