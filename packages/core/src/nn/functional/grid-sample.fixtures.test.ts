import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { functionalCases, runFunctionalCase } from '../spatial-more-fixture.js';

describe('gridSample and affineGrid match PyTorch (fixtures/nn-spatial-more.json)', () => {
  for (const c of functionalCases('F.gridSample/')) it(c.name, () => runFunctionalCase(c));
  for (const c of functionalCases('F.affineGrid/')) it(c.name, () => runFunctionalCase(c));
});
