import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { functionalCases, layerCases, runFunctionalCase, runLayerCase } from '../spatial-more-fixture.js';

describe('1-D/3-D, adaptive max, unpooling and LP pooling match PyTorch (fixtures/nn-spatial-more.json)', () => {
  const layers = ['MaxPool1d/', 'MaxPool2d/', 'MaxPool3d/', 'AvgPool1d/', 'AvgPool3d/', 'AdaptiveAvgPool1d/'];
  layers.push('AdaptiveMaxPool1d/', 'AdaptiveMaxPool2d/', 'MaxUnpool1d/', 'MaxUnpool2d/', 'MaxUnpool3d/');
  layers.push('LPPool1d/', 'LPPool2d/');
  for (const prefix of layers) {
    for (const c of layerCases(prefix)) it(c.name, () => runLayerCase(c));
  }
  const fns = ['maxPool1d', 'maxPool1dWithIndices', 'maxPool2d', 'maxPool3d', 'maxPool3dWithIndices'];
  fns.push('avgPool1d', 'avgPool3d', 'adaptiveAvgPool1d', 'adaptiveMaxPool1d', 'adaptiveMaxPool2d');
  fns.push(
    'adaptiveMaxPool2dWithIndices',
    'maxUnpool1d',
    'maxUnpool2d',
    'maxUnpool3d',
    'lpPool1d',
    'lpPool2d',
  );
  for (const fn of fns) {
    for (const c of functionalCases(`F.${fn}/`)) it(c.name, () => runFunctionalCase(c));
  }
});
