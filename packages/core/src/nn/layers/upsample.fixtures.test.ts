import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { runSpatialCase, spatialCases } from './conv-fixture.js';

describe('upsample layers match PyTorch (fixtures/nn-spatial.json)', () => {
  for (const prefix of ['upsample/']) {
    for (const c of spatialCases(prefix)) {
      it(c.name, () => runSpatialCase(c, c.name.includes('large') ? 1e-4 : 1e-5));
    }
  }
});
