// Which cases a backend that reads only asynchronously cannot run, and why: core computes some
// ops on the host from a synchronous read of a tensor's values (a sort order, a histogram, the
// positions of an index or mask tensor, a boolean answer). On such a backend core refuses them
// with an error naming the op; the case is sound, the backend cannot serve the op. The map is
// shared so every asynchronous backend (onnx-web, WebGPU) declares the same skips with the same
// reasons; backend-onnx's web conformance test checks that each listed case really does read
// synchronously, so an op that learns to run asynchronously cannot stay hidden here.
import { ALL_CASES } from './cases/index.js';

const SORT =
  'core orders on the host: sort/argsort/topk/kthvalue/median/mode/cummax read the input synchronously';
const SAMPLE = 'core samples on the host: multinomial/bernoulli read the probabilities synchronously';
const INDEX =
  'core reads index tensors on the host (advanced and mask indexing, nonzero, indexAdd/indexCopy/indexFill, scatter, take)';
const TARGETS =
  'core reads integer targets, lengths or offsets on the host (ctcLoss, multiMarginLoss, embeddingBag, packed sequences)';
const BOOL = 'allclose/equal return a JS boolean, read synchronously';
const HISTOGRAM = 'core computes bincount/histc/unique on the host from a synchronous read';
const REPEATS = 'repeatInterleave reads tensor repeats on the host';

/**
 * One entry per case of `group` (`table/bincount`) except `refused`: the cases whose arguments
 * core refuses before it reads anything (a wrong dtype or shape), which run everywhere.
 */
function allBut(group: string, refused: readonly string[], reason: string): Record<string, string> {
  const ids = ALL_CASES.map((c) => c.id).filter(
    (id) => id.startsWith(`${group}/`) && !refused.includes(id.slice(group.length + 1)),
  );
  return Object.fromEntries(ids.map((id) => [id, reason]));
}

/**
 * Skip-map entries (case id or `prefix/*` → reason) for the cases whose ops core computes from a
 * synchronous host read. A backend with `readsSync: false` spreads it into its skip map.
 *
 * @example
 * ```ts
 * runConformance({ backend: 'webgpu', skip: { ...HOST_READ_SKIPS, ...webgpuSkips } });
 * ```
 */
export const HOST_READ_SKIPS: Readonly<Record<string, string>> = {
  'sorting/sort/*': SORT,
  'sorting/argsort/*': SORT,
  'sorting/topk/*': SORT,
  'sorting/kthvalue/*': SORT,
  'sorting/median/*': SORT,
  'sorting/mode/*': SORT,
  'sorting/cummax/*': SORT,
  'linalg/random/multinomial-bernoulli-exact': SAMPLE,
  'linalg/random/seeded-samples': SAMPLE,
  'table/multinomial/negative-weight': SAMPLE,
  'table/bernoulli/probability-above-1': SAMPLE,
  'indexing/index/advanced-shapes': INDEX,
  'indexing/index/mask': INDEX,
  'indexing/index/mask-select-2-17': INDEX,
  'indexing/index/mask-grad-2-17': INDEX,
  'indexing/indexPut/basic-and-mask': INDEX,
  'indexing/masked/*': INDEX,
  'indexing/nonzero/*': INDEX,
  'indexing/indexAdd/*': INDEX,
  'indexing/indexCopy/*': INDEX,
  'indexing/scatter/*': INDEX,
  'indexing/scatterReduce/*': INDEX,
  'indexing/take/*': INDEX,
  'nnspatial/adaptiveMaxPool2d/windows-indices-unpool': `${INDEX}: maxUnpool2d scatters by its indices`,
  'nnseqloss/ctcLoss/*': TARGETS,
  'nnseqloss/margin/multi-class-closed-form': TARGETS,
  'nnseqloss/embeddingBag/*': TARGETS,
  'nnseqloss/packed/*': TARGETS,
  ...allBut('table/allclose', ['mixed_dtypes'], BOOL),
  ...allBut('table/equal', ['shapes'], BOOL),
  ...allBut('table/bincount', ['float', '2d'], HISTOGRAM),
  ...allBut('table/histc', ['int'], HISTOGRAM),
  ...allBut('table/unique', ['dim'], HISTOGRAM),
  'size/bincount/*': HISTOGRAM,
  'size/histc/*': HISTOGRAM,
  'size/unique/*': HISTOGRAM,
  'table/repeatInterleave/tensor_dim': REPEATS,
  'table/repeatInterleave/tensor_one': REPEATS,
  'table/repeatInterleave/tensor_flat': REPEATS,
  'table/repeatInterleave/output_size': REPEATS,
  'table/repeatInterleave/counts_only': REPEATS,
  'table/repeatInterleave/bad_counts': REPEATS,
};
