// The whole catalogue, in report order. Each family lives in its own file; a case is one entry.
import type { Case } from '../types.js';
import { compiledCases } from './compiled.js';
import { exportCases, type OnnxExportApi } from './export.js';
import { functionalCases } from './functional.js';
import { layerCases } from './layers.js';
import { modelCases } from './models.js';
import { opCases } from './ops.js';
import { optimCases } from './optim.js';
import { spatialMoreCases } from './spatial-more.js';

export { COMPILED_TARGETS } from './compiled.js';
export { EXPORT_TARGETS, type OnnxExportApi } from './export.js';

/** Every case; export cases call `onnxApi()` when they run. */
export function catalogue(onnxApi: () => OnnxExportApi | null): Case[] {
  return [
    ...opCases(),
    ...functionalCases(),
    ...layerCases(),
    ...spatialMoreCases(),
    ...optimCases(),
    ...modelCases(),
    ...exportCases(onnxApi),
    ...compiledCases(() => onnxApi()?.compile ?? null),
  ];
}

/** Cases whose family equals `filter` or whose id contains it. */
export function selectCases(cases: Case[], filter: string | undefined): Case[] {
  if (!filter) return cases;
  return cases.filter((c) => c.family === filter || c.id.includes(filter));
}
