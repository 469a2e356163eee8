// nn.functional: every layer's operation as a function.
export * from './basic.js';
export * from './more-losses.js';
export * from './sequence.js';
export * from './spatial.js';
