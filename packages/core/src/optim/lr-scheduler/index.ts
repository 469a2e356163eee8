// The optim.lrScheduler namespace: learning-rate schedules, one per file.

export type { CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { CosineAnnealingLR } from './cosine-annealing-lr.js';
export { ExponentialLR } from './exponential-lr.js';
export type { LrLambda } from './lambda-lr.js';
export { LambdaLR } from './lambda-lr.js';
export type { LinearLROptions } from './linear-lr.js';
export { LinearLR } from './linear-lr.js';
export type { AnyOptimizer, SchedulerOptions, SchedulerStateDict } from './lr-scheduler.js';
export { LRScheduler } from './lr-scheduler.js';
export type { MultiStepLROptions } from './multi-step-lr.js';
export { MultiStepLR } from './multi-step-lr.js';
export type { OneCycleLROptions } from './one-cycle-lr.js';
export { OneCycleLR } from './one-cycle-lr.js';
export type { ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export { SequentialLR } from './sequential-lr.js';
export type { StepLROptions } from './step-lr.js';
export { StepLR } from './step-lr.js';
