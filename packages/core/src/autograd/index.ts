// The `autograd` namespace, as torch.autograd.
export { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from './anomaly.js';
export type { BackwardOptions } from './backward.js';
export { backward } from './backward.js';
export type { Grads } from './function.js';
export { Function, FunctionCtx } from './function.js';
export * as functional from './functional.js';
export type { GradOptions } from './grad.js';
export { grad } from './grad.js';
export type { GradcheckOptions, GradcheckOutputs } from './gradcheck.js';
export { gradcheck } from './gradcheck.js';
export type { GradgradcheckOptions } from './gradgradcheck.js';
export { gradgradcheck } from './gradgradcheck.js';
export type { GradHook, RemovableHandle } from './hooks.js';
