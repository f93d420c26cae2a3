// ConvNote's public API: what notebooks and scripts import from "convnote".
// text -> AST (dsl) -> checked network (shapes) -> tf model (compile) -> training (train) -> renders.
export { ConvNoteError, formatDiagnostic, type Diagnostic, type DiagnosticCode } from "./dsl/diagnostics.js";
export { parseNetwork, type ParseResult } from "./dsl/parse.js";
export type { Span } from "./dsl/span.js";
export type { NetworkAst } from "./dsl/ast.js";
export { layerKinds, matchKeyword, type LayerSettings } from "./layers/registry.js";
export { activationFunctions, type ActivationName, type ActivationSettings } from "./layers/activation.js";
export type { Shape } from "./layers/shape.js";
export { checkNetwork, checkOrThrow, type CheckOptions, type CheckResult } from "./shapes/check.js";
export type { CheckedBranches, CheckedLayer, CheckedNetwork, CheckedNode, CheckedSkip, ReceptiveField, TableRow, Totals } from "./shapes/network.js";
export type { NetworkDefaults } from "./shapes/defaults.js";
export { optimizer, trainingSettings, type LearningRateSchedule, type OptimizerSettings, type TrainingSettings } from "./train/settings.js";
export { summaryJson, type SummaryJson } from "./render/summary-json.js";
export { summaryText } from "./render/summary-text.js";
export { compileNetwork, compiledParamsByLayer, type CompiledNetwork, type CompileOptions } from "./compile/index.js";
export { describeBackend, initBackend, type BackendReport } from "./backend/index.js";
export { tf } from "./backend/tf.js";
export * from "./train/index.js";
export * as data from "./data/index.js";
export * as image from "./image/index.js";
export { net, network, Network } from "./notebook-api/network.js";
export { ensurePlotly, fitLive, historyRecords, type LiveFitOptions } from "./notebook-api/live-training.js";
export { registerDisplayFormatter, type DisplayFormatter } from "./notebook-api/formatters.js";
export { historyBundle, modelBundle, registerTfDisplayFormatters, tensorBundle } from "./notebook-api/tf-formatters.js";
export { clearOutput, display, interruptSignal, updateDisplay, type DisplayHandle, type MimeBundle } from "./notebook-api/display.js";
export { diagramSvg, renderDiagram } from "./render/diagram.js";
export { renderShapeTable, shapeTableHtml } from "./render/shape-table.js";
export { showActivations, showFilters } from "./notebook-api/model-views.js";
export { classScoreFunction, saliencyMap, showSaliency, type SaliencyMap, type SaliencyMapOptions } from "./notebook-api/saliency.js";
export { showTopImages, topActivations, type TopActivationOptions, type TopActivations, type UnitResponse } from "./notebook-api/top-images.js";
export * as render from "./render/index.js";
export * as naive from "./naive/index.js";
export { findZooEntry, zoo, zooNames, type ZooEntry } from "./zoo/index.js";

// Tensors, models and histories show rich as a cell's last value once "convnote" is imported.
import { registerTfDisplayFormatters as registerFormatters } from "./notebook-api/tf-formatters.js";
registerFormatters();
