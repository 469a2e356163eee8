// nn.utils: gradient clipping and parameter/vector conversion.
export { clipGradNorm_, clipGradValue_ } from './clip-grad.js';
export * as parametrizations from './parametrizations.js';
export * as parametrize from './parametrize.js';
export * as rnn from './rnn.js';
export { parametersToVector, vectorToParameters } from './vector.js';
