import type { ConformanceCase } from '../case.js';
import { autogradCases } from './autograd.js';
import { binaryCases, inplaceCases } from './binary.js';
import { compareCases } from './compare.js';
import { creationCases } from './creation.js';
import { dtypeCases } from './dtypes.js';
import { errorCases } from './errors.js';
import { halfCases } from './half.js';
import { higherOrderCases } from './higher-order.js';
import { indexingCases } from './indexing.js';
import { joinCases } from './join.js';
import { linalgCases } from './linalg.js';
import { matmulCases } from './matmul.js';
import { memoryCases } from './memory.js';
import { movementCases } from './movement.js';
import { nnLayerCases } from './nn-layers.js';
import { nnSequenceLossCases } from './nn-sequence-losses.js';
import { nnSpatialCases } from './nn-spatial.js';
import { reduceCases } from './reduce.js';
import { sizeCases } from './size.js';
import { sizeTableCases } from './size-table.js';
import { softmaxCases } from './softmax.js';
import { sortingCases } from './sorting.js';
import { stridedCases } from './strided.js';
import { tableCases } from './table.js';
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
  ...nnLayerCases,
  ...nnSpatialCases,
  ...nnSequenceLossCases,
  ...sortingCases,
  ...linalgCases,
  ...tableCases,
  ...sizeCases,
  ...sizeTableCases,
  ...autogradCases,
  ...higherOrderCases,
  ...memoryCases,
  ...errorCases,
];
