// The `linalg` namespace of @proj/core (`import { linalg } from '@proj/core'`), as torch.linalg:
// the norms live in norms.ts.
export type { MatrixNormOptions, MatrixOrd, NormDims, NormOptions, VectorNormOptions } from './norms.js';
export { matrixNorm, norm, vectorNorm } from './norms.js';
