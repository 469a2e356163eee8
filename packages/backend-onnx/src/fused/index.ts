// Fused training steps: forward, loss, backward and optimizer update as one ONNX graph.
export { CompiledTrainStep, compileTrainStep, type TrainStepOptions } from './compile-train-step.js';
