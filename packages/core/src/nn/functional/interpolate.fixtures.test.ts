import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { functionalCases, layerCases, runFunctionalCase, runLayerCase } from '../spatial-more-fixture.js';

describe('interpolate (bicubic, area, trilinear, 5-D nearest) and Upsample match PyTorch (fixtures/nn-spatial-more.json)', () => {
  for (const c of functionalCases('F.interpolate/')) it(c.name, () => runFunctionalCase(c));
  for (const c of layerCases('Upsample/')) it(c.name, () => runLayerCase(c));
});
