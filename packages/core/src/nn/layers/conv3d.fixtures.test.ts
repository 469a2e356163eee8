import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { functionalCases, layerCases, runFunctionalCase, runLayerCase } from '../spatial-more-fixture.js';

describe('Conv3d and transposed convolutions match PyTorch (fixtures/nn-spatial-more.json)', () => {
  for (const prefix of ['Conv3d/', 'ConvTranspose1d/', 'ConvTranspose2d/', 'ConvTranspose3d/']) {
    for (const c of layerCases(prefix)) it(c.name, () => runLayerCase(c));
  }
  for (const prefix of ['F.conv3d/', 'F.convTranspose1d/', 'F.convTranspose3d/']) {
    for (const c of functionalCases(prefix)) it(c.name, () => runFunctionalCase(c));
  }
});
