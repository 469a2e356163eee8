import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { runSpatialCase, spatialCases } from './conv-fixture.js';

describe('conv layers match PyTorch (fixtures/nn-spatial.json)', () => {
  for (const prefix of ['conv2d/', 'conv1d/', 'convTranspose2d/']) {
    for (const c of spatialCases(prefix)) {
      it(c.name, () => runSpatialCase(c, c.name.includes('large') ? 1e-4 : 1e-5));
    }
  }
});
