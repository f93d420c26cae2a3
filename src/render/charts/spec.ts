/**
 * Declarative chart specs: plain data describing what to draw. The static SVG renderer and the
 * plotly translation both read the same spec, so tests can check a chart as data.
 */

export type Dash = "solid" | "dash" | "dot";

export interface LineTrace {
  type: "line";
  name: string;
  x: number[];
  /** `null` (or a non-finite number) leaves a gap. */
  y: (number | null)[];
  color?: string;
  dash?: Dash;
  /** Stroke width in pixels. */
  width?: number;
  /** Dots at the data points; by default shown when a trace has few points (so one epoch is visible). */
  markers?: boolean;
  /** 0..1, e.g. to keep noisy per-batch losses in the background. */
  opacity?: number;
  /** Leave this trace out of the legend. */
  hideInLegend?: boolean;
}

export interface BarTrace {
  type: "bar";
  name: string;
  values: (number | null)[];
  color?: string;
}

export interface AxisSpec {
  title?: string;
  /** Fixed [min, max]; otherwise chosen from the data (y extended to nice numbers). */
  range?: [number, number];
  /** `log` places powers of ten evenly; values <= 0 are left out. */
  scale?: "linear" | "log";
  /** Stretch the automatic range to include zero (bars always do). */
  includeZero?: boolean;
}

export interface LineChartSpec {
  kind: "line";
  title?: string;
  traces: LineTrace[];
  x: AxisSpec;
  y: AxisSpec;
}

export interface BarChartSpec {
  kind: "bar";
  title?: string;
  /** One group of bars per category along x. */
  categories: string[];
  traces: BarTrace[];
  /** Print the value above each bar (only when there are few bars). */
  valueLabels?: boolean;
  x: AxisSpec;
  y: AxisSpec;
}

export type ChartSpec = LineChartSpec | BarChartSpec;

/** One or more charts side by side, e.g. loss next to accuracy. */
export interface FigureSpec {
  title?: string;
  panels: ChartSpec[];
  /** Pixel size of each panel. */
  panelWidth: number;
  panelHeight: number;
}

/** Plotly's default colour sequence, so the static and the interactive chart match. */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export const FIGURE_DEFAULTS = { panelWidth: 480, panelHeight: 300 };

/** A chart or a figure, as every chart function accepts. */
export type ChartLike = ChartSpec | FigureSpec;

export function toFigure(chart: ChartLike): FigureSpec {
  return "panels" in chart ? chart : { panels: [chart], ...FIGURE_DEFAULTS };
}

/**
 * Gives each trace a colour: explicit colours stay, and a name keeps the same colour in every
 * panel (training loss and training accuracy share "train"'s colour).
 */
export function assignColors(figure: FigureSpec): FigureSpec {
  const byName = new Map<string, string>();
  const next = (): string => PALETTE[byName.size % PALETTE.length]!;
  for (const panel of figure.panels) {
    for (const trace of panel.traces) {
      if (trace.color && !byName.has(trace.name)) byName.set(trace.name, trace.color);
    }
  }
  const colorFor = (name: string): string => {
    let c = byName.get(name);
    if (!c) {
      c = next();
      byName.set(name, c);
    }
    return c;
  };
  const panels = figure.panels.map((panel): ChartSpec =>
    panel.kind === "line"
      ? { ...panel, traces: panel.traces.map((t) => ({ ...t, color: t.color ?? colorFor(t.name) })) }
      : { ...panel, traces: panel.traces.map((t) => ({ ...t, color: t.color ?? colorFor(t.name) })) },
  );
  return { ...figure, panels };
}

/** Whether markers are drawn for a line trace (explicit choice, else when there are at most 30 points). */
export function showMarkers(trace: LineTrace): boolean {
  if (trace.markers !== undefined) return trace.markers;
  return trace.y.filter((v) => v !== null && Number.isFinite(v)).length <= 30;
}

export function isFiniteValue(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Whether a bar chart prints values above its bars: asked for (the default) and at most 24 bars. */
export function barLabels(chart: BarChartSpec): boolean {
  return (chart.valueLabels ?? true) && chart.categories.length * chart.traces.length <= 24;
}
