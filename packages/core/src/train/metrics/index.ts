// Metrics: pure functions of prediction and target tensors, returning plain numbers.
export { accuracy, topKAccuracy } from './classification.js';
export type { Average, AverageOptions, ClassScores } from './confusion.js';
export { confusionMatrix, f1, precision, precisionRecallFscoreSupport, recall } from './confusion.js';
export type { LabelOptions } from './labels.js';
export type { MetricFn, MetricName, MetricSpec } from './registry.js';
export { resolveMetric } from './registry.js';
export { mae, mse, r2, rmse } from './regression.js';
export type { ClassificationReportOptions } from './report.js';
export { classificationReport } from './report.js';
