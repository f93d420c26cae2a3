/**
 * ConvNote renders: pure functions from plain data (Float32Array / nested arrays plus shapes) to
 * Jupyter MIME bundles that display with no network. Every render is `(data, options = {})`
 * with defaults from one exported constant.
 */

export * from "./mime.js";
export { escapeHtml, uniqueElementId } from "./html.js";
export { htmlTable, textTable, type CellInput, type TableCell, type HtmlTableOptions, type TextTableOptions } from "./table.js";
export { colorOf, displayRange, valueRange, type ColorMapName } from "./colormap.js";
export { composeImageGrid, imageBundle, IMAGE_GRID_DEFAULTS, type GridTile, type ImageGridOptions, type GridLayout, type ComposedGrid } from "./image-grid.js";
export { renderFilters, filterGrid, FILTER_DEFAULTS, type FilterOptions, type FilterShape, type FilterGrid } from "./filters.js";
export { renderActivationMaps, activationGrid, ACTIVATION_DEFAULTS, type ActivationOptions } from "./activations.js";
export { renderImages, renderImageComparison, imagesGrid, comparisonGrid, IMAGES_DEFAULTS, IMAGE_COMPARISON_DEFAULTS, type ImagesOptions, type ImageComparisonOptions, type ComparisonItem } from "./images.js";
export type { ImageInput, ImageBatch } from "./image-input.js";
export * from "./charts/spec.js";
export { renderSvg, type SvgOptions } from "./charts/svg.js";
export { toPlotlyFigure, interactiveChartHtml } from "./charts/plotly.js";
export { renderChart, chartText, CHART_RENDER_DEFAULTS, type ChartRenderOptions } from "./charts/render.js";
export * from "./charts/builders.js";
export { linearTicks, niceDomain, tickStep, formatTick, logTicks } from "./charts/ticks.js";
export {
  renderTrainingView,
  renderTrainingCurves,
  trainingCurvesSpec,
  progressLine,
  progressSummary,
  currentMetrics,
  createThrottle,
  TRAINING_VIEW_DEFAULTS,
  type MetricRecord,
  type TrainingProgress,
  type TrainingViewOptions,
} from "./training-view.js";
export { renderConfusionMatrix, confusionMatrix, confusionSummary, CONFUSION_DEFAULTS, type ConfusionOptions, type ConfusionSummary } from "./confusion.js";
export { renderConvDemo, convolveDemo, stepSum, type ConvDemoData, type ConvDemoOptions, type ConvStep } from "./conv-demo.js";
export {
  plotlyLibraryBundle,
  plotlyLibraryScript,
  plotlyLibraryScriptTag,
  plotlyLibraryInfo,
  minifiedPlotly,
  standaloneChartPage,
  type PlotlyLibraryInfo,
} from "./assets.js";
export { renderDiagnostics, DIAGNOSTICS_DEFAULTS, type DiagnosticsOptions } from "./diagnostics.js";
export { renderFilterCard, FILTER_CARD_DEFAULTS, type FilterCardData, type FilterCardOptions } from "./filter-card.js";
export { quantileRange, type QuantileRangeOptions } from "./quantile-range.js";
