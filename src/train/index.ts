export { evaluate, predictProbabilities, type Evaluation } from "./evaluate.js";
export { exampleCount, toTensors, type Examples } from "./examples.js";
export { classificationLoss, compileForTraining, endsInSoftmax, fit, type BatchProgress, type EpochLog, type FitOptions, type History, type StopReason } from "./fit.js";
export { createOptimizer, getLearningRate, setLearningRate } from "./optimizers.js";
export { EarlyStoppingState, linearDecay, PlateauSchedule } from "./schedules.js";
export { withSeededRandom } from "./seeded-random.js";
export { interruptTraining, trainingStopSignal } from "./stop.js";
export { checkSaveTarget, INFO_FILE, loadModel, MODEL_FILE, modelJsonPath, readModelInfo, readWeights, saveModel, WEIGHTS_FILE, type LoadedModel, type ModelInfo, type ModelInfoInput, type SavedModelFiles } from "./save.js";
export { checkHead, findCutLayer, freezeBase, HEAD_PREFIX, inputStatement, keepFrozenBatchNormsInInference, outputShapeOf, slideNames, transfer, type FreezeMode, type TransferOptions } from "./transfer.js";
