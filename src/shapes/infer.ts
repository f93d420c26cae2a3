// Shape inference over the elaborated network: output shapes, parameters, memory, multiply-adds
// and receptive fields, layer by layer, with the slides' names (CONV1, POOL1, NORM1, FC6 ...).
import { diagnostic, type Diagnostic } from "../dsl/diagnostics.js";
import type { Span } from "../dsl/span.js";
import type { ActivationSettings } from "../layers/activation.js";
import type { ConvSettings } from "../layers/conv.js";
import type { Inference } from "../layers/kind.js";
import { kindDefinition, type LayerSettings } from "../layers/registry.js";
import { channelsOf, formatShape, shapeSize, spatialOf, type Shape } from "../layers/shape.js";
import type { ElabAux, ElabNode, ElabSkip } from "./elaborate.js";
import type { CheckedAux, CheckedBranches, CheckedLayer, CheckedNode, CheckedSkip, LayerStats, ReceptiveField } from "./network.js";

interface Flow {
  shape: Shape;
  rf: ReceptiveField;
}

/** Two sizes along an axis are the same: equal, or both unknown (?) after the same total stride. */
function sameSize(a: number, b: number, jumpA: number, jumpB: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b) && jumpA === jumpB);
}

/**
 * The most values one tensor may hold: 2^30, 4 GiB at float32. That is all the memory the WASM
 * backend has (wasm32) and more than a GPU buffer takes; beyond it no backend can allocate the
 * layer, so the checker says so at its token instead of the backend failing minutes later.
 */
export const MAX_TENSOR_VALUES = 2 ** 30;

function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "more than 1e308";
  return n >= 1e15 ? `about ${n.toExponential(1).replace("e+", "e")}` : Math.round(n).toLocaleString("en-US");
}

function formatBytes(values: number): string {
  const bytes = values * 4;
  if (!Number.isFinite(bytes)) return "unbounded memory";
  const units = ["GB", "TB", "PB"];
  let v = bytes / 1e9;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return v >= 1e6 ? `${bytes.toExponential(1).replace("e+", "e")} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** A "too-large" diagnostic when the layer's parameters or its output cannot be one tensor (unknown `?` sizes pass). */
function tooLarge(layer: CheckedLayer): { message: string; hint: string } | null {
  const limit = `more than one tensor can hold (${MAX_TENSOR_VALUES.toLocaleString("en-US")} values, 4.3 GB)`;
  if (layer.params > MAX_TENSOR_VALUES) {
    return {
      message: Number.isFinite(layer.params)
        ? `${layer.label} needs ${formatCount(layer.params)} parameters (${formatBytes(layer.params)} at float32; training with Adam needs about 4 times that): ${limit}`
        : `${layer.label} needs more parameters than a number can hold: ${limit}`,
      hint: "use fewer units or filters, or make the input smaller first (POOL, a stride)",
    };
  }
  if (layer.memory > MAX_TENSOR_VALUES) {
    return {
      message: `${layer.label}'s output ${formatShape(layer.outputShape)} is ${formatCount(layer.memory)} values per example (${formatBytes(layer.memory)} at float32): ${limit}`,
      hint: "use a smaller input or fewer filters, or downsample earlier (POOL, a stride)",
    };
  }
  return null;
}

function mergeStats(inputShape: Shape, outputShape: Shape, rf: ReceptiveField): LayerStats {
  return { inputShape, outputShape, weights: 0, biases: 0, trainable: 0, nonTrainable: 0, params: 0, memory: shapeSize(outputShape), macs: 0, receptiveField: rf };
}

export class ShapeInference {
  readonly diagnostics: Diagnostic[] = [];
  private readonly counters = new Map<string, number>();
  private weightLayers = 0;

  constructor(private readonly inputSpatial: number[]) {}

  /** Names inside an AUX head start with the head's name (AUX1_CONV1), so the main chain's numbering is that of the network without it. */
  private scope = "";
  private heads = 0;

  private nextName(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${this.scope}${prefix}${n}`;
  }

  /**
   * A receptive field capped at the input's size on every axis, on every row alike (a padded layer
   * can reach past the picture, but it sees no more of it than the whole), marked when it is whole.
   */
  private field(size: number[], jump: number[]): ReceptiveField {
    const capped = size.map((s, i) => (Number.isFinite(this.inputSpatial[i]) ? Math.min(s, this.inputSpatial[i]!) : s));
    const whole = capped.length > 0 && capped.every((s, i) => s === this.inputSpatial[i]);
    return whole ? { size: capped, jump, whole } : { size: capped, jump };
  }

  private advance(rf: ReceptiveField, inference: Inference): ReceptiveField {
    const reach = inference.reach;
    if (reach.type === "pointwise") return rf;
    if (reach.type === "global") return this.field([...this.inputSpatial], rf.jump);
    const axis = (values: number[], i: number) => values[i] ?? values[0]!;
    if (reach.type === "upsample") {
      return this.field(
        rf.size.map((size, i) => size + (Math.ceil(axis(reach.kernel, i) / axis(reach.factor, i)) - 1) * rf.jump[i]!),
        rf.jump.map((jump, i) => jump / axis(reach.factor, i)),
      );
    }
    return this.field(
      rf.size.map((size, i) => size + (axis(reach.dilation, i) * (axis(reach.kernel, i) - 1)) * rf.jump[i]!),
      rf.jump.map((jump, i) => jump * axis(reach.stride, i)),
    );
  }

  layer(settings: LayerSettings, span: Span, flow: Flow, activation?: ActivationSettings, name?: string): { layer: CheckedLayer; flow: Flow } | undefined {
    const definition = kindDefinition(settings.kind);
    const result = definition.infer(settings, flow.shape);
    if (!result.ok) {
      this.diagnostics.push(diagnostic(result.code, span, result.message, result.hint));
      return undefined;
    }
    const inference = result.value;
    const prefix = definition.naming.prefix(settings);
    const layerName = name ?? (definition.naming.count === "weight-layers" ? `${this.scope}${prefix}${++this.weightLayers}` : this.nextName(prefix));
    const rf = this.advance(flow.rf, inference);
    // A PReLU fused into this layer brings one learned slope per output channel.
    const slopes = activation?.fn === "prelu" && settings.kind !== "activation" ? channelsOf(inference.output) : 0;
    if (slopes > 0) {
      inference.weights += slopes;
      inference.formula = { ...inference.formula, weights: `${inference.formula?.weights ?? "0"} + ${slopes} (PReLU)` };
    }
    const trainable = inference.weights + inference.biases;
    const layer: CheckedLayer = {
      type: "layer",
      name: layerName,
      kind: settings.kind,
      label: definition.label(settings),
      settings,
      inputShape: flow.shape,
      outputShape: inference.output,
      weights: inference.weights,
      biases: inference.biases,
      trainable,
      nonTrainable: inference.nonTrainable,
      params: trainable + inference.nonTrainable,
      memory: shapeSize(inference.output),
      macs: inference.macs,
      receptiveField: rf,
      flattensInput: inference.flattensInput === true,
      span,
    };
    if (activation) layer.activation = activation;
    if (inference.formula) layer.formula = inference.formula;
    const huge = tooLarge(layer);
    if (huge) {
      this.diagnostics.push(diagnostic("too-large", span, huge.message, huge.hint));
      return undefined;
    }
    return { layer, flow: { shape: inference.output, rf } };
  }

  sequence(nodes: readonly ElabNode[], flow: Flow): { nodes: CheckedNode[]; flow: Flow } | undefined {
    const out: CheckedNode[] = [];
    let current = flow;
    for (const node of nodes) {
      const step = this.node(node, current);
      if (!step) return undefined;
      out.push(step.node);
      current = step.flow;
    }
    return { nodes: out, flow: current };
  }

  private node(node: ElabNode, flow: Flow): { node: CheckedNode; flow: Flow } | undefined {
    if (node.type === "layer") {
      const step = this.layer(node.settings, node.span, flow, node.activation);
      return step && { node: step.layer, flow: step.flow };
    }
    if (node.type === "branches") return this.branches(node.branches, node.span, flow);
    if (node.type === "aux") return this.aux(node, flow);
    return this.skip(node, flow);
  }

  /** A side head: its body on the flow here, numbered in a scope of its own; the main chain goes on from the same flow. */
  private aux(node: ElabAux, flow: Flow): { node: CheckedNode; flow: Flow } | undefined {
    const name = `AUX${++this.heads}`;
    const saved = { counters: new Map(this.counters), weightLayers: this.weightLayers, scope: this.scope };
    this.counters.clear();
    this.weightLayers = 0;
    this.scope = `${name}_`;
    const body = this.sequence(node.body, flow);
    this.counters.clear();
    for (const [k, v] of saved.counters) this.counters.set(k, v);
    this.weightLayers = saved.weightLayers;
    this.scope = saved.scope;
    if (!body) return undefined;
    const head: CheckedAux = { type: "aux", name, kind: "aux", weight: node.weight, body: body.nodes, span: node.span, ...mergeStats(flow.shape, body.flow.shape, body.flow.rf) };
    return { node: head, flow };
  }

  private branches(branches: ElabNode[][], span: Span, flow: Flow): { node: CheckedNode; flow: Flow } | undefined {
    const results: { nodes: CheckedNode[]; flow: Flow }[] = [];
    for (const branch of branches) {
      const result = this.sequence(branch, flow);
      if (!result) return undefined;
      results.push(result);
    }
    const shapes = results.map((r) => r.flow.shape);
    const spatial = spatialOf(shapes[0]!);
    const jump = (k: number, i: number) => results[k]!.flow.rf.jump[i]!;
    const fits = shapes.every((s, k) => s.length === shapes[0]!.length && spatialOf(s).every((v, i) => sameSize(v, spatial[i]!, jump(k, i), jump(0, i))));
    if (!fits) {
      this.diagnostics.push(
        diagnostic(
          "shape-mismatch",
          span,
          `branches must end at the same size to be concatenated, but give ${shapes.map((s) => `[${formatShape(s)}]`).join(", ")}${shapes.some((s) => s.some(Number.isNaN)) ? ` (after total strides ${results.map((_, k) => jump(k, 0)).join(", ")})` : ""}`,
          "give every branch the same stride and padding (/same keeps the size)",
        ),
      );
      return undefined;
    }
    const outputShape = [...spatial, shapes.reduce((sum, s) => sum + channelsOf(s), 0)];
    const rf = this.field(
      flow.rf.size.map((_, i) => Math.max(...results.map((r) => r.flow.rf.size[i]!))),
      flow.rf.jump.map((_, i) => Math.max(...results.map((r) => r.flow.rf.jump[i]!))),
    );
    const merged: CheckedBranches = { type: "branches", name: this.nextName("CONCAT"), kind: "concat", branches: results.map((r) => r.nodes), span, ...mergeStats(flow.shape, outputShape, rf) };
    return { node: merged, flow: { shape: outputShape, rf } };
  }

  private skip(node: ElabSkip, flow: Flow): { node: CheckedNode; flow: Flow } | undefined {
    const body = this.sequence(node.body, flow);
    if (!body) return undefined;
    const inShape = flow.shape;
    const outShape = body.flow.shape;
    const projection: CheckedLayer[] = [];
    let outputShape: Shape;
    const sameSpatial = inShape.length === outShape.length && spatialOf(inShape).every((v, i) => sameSize(v, spatialOf(outShape)[i]!, flow.rf.jump[i]!, body.flow.rf.jump[i]!));
    if (node.merge === "concat") {
      if (!sameSpatial) {
        this.diagnostics.push(diagnostic("shape-mismatch", node.span, `CAT joins its input [${formatShape(inShape)}] and its body's output [${formatShape(outShape)}], which must have the same size`, "keep the size inside CAT[...] (stride 1, /same)"));
        return undefined;
      }
      outputShape = [...spatialOf(inShape), channelsOf(inShape) + channelsOf(outShape)];
    } else {
      outputShape = outShape;
      if (inShape.length !== outShape.length || inShape.length < 2 && inShape[0] !== outShape[0]) {
        this.diagnostics.push(diagnostic("shape-mismatch", node.span, `RES adds its input [${formatShape(inShape)}] to its body's output [${formatShape(outShape)}], which cannot be matched`, "keep volumes inside RES[...]"));
        return undefined;
      }
      if (!(sameSpatial && channelsOf(inShape) === channelsOf(outShape))) {
        const inSpatial = spatialOf(inShape);
        const outSpatial = spatialOf(outShape);
        // Unknown sizes (?): the body's stride is the ratio of the jumps.
        const stride = inSpatial.map((n, i) => Math.max(1, Math.round(Number.isFinite(n) ? n / outSpatial[i]! : body.flow.rf.jump[i]! / flow.rf.jump[i]!)));
        if (inSpatial.some((n, i) => Number.isFinite(n) && Math.ceil(n / stride[i]!) !== outSpatial[i])) {
          this.diagnostics.push(diagnostic("shape-mismatch", node.span, `RES cannot project its input [${formatShape(inShape)}] to its body's output [${formatShape(outShape)}] with a strided 1x1 convolution`, "make the body shrink the size by a whole factor (e.g. /s2)"));
          return undefined;
        }
        const hasBatchNorm = node.body.some((n) => n.type === "layer" && n.settings.kind === "batch-norm");
        // One stride when every axis has the same one, so that the label reads CONV1-128/s2, as written by hand.
        const projectionStride = stride.length > 1 && stride.every((s) => s === stride[0]) ? [stride[0]!] : stride;
        const projectionConv: ConvSettings = { kind: "conv", filters: channelsOf(outShape), kernel: [1], stride: projectionStride, dilation: [1], groups: 1, padding: { mode: "same" }, bias: !hasBatchNorm, init: undefined };
        const conv = this.layer(projectionConv, node.span, flow, undefined, this.nextName("PROJ"));
        if (!conv) return undefined;
        projection.push(conv.layer);
        if (hasBatchNorm) {
          const norm = this.layer({ kind: "batch-norm", momentum: 0.99, epsilon: 1e-3 }, node.span, conv.flow);
          if (!norm) return undefined;
          projection.push(norm.layer);
        }
      }
    }
    const lastProjection = projection[projection.length - 1];
    const shortcutRf = lastProjection ? lastProjection.receptiveField : flow.rf;
    const rf = this.field(body.flow.rf.size.map((s, i) => Math.max(s, shortcutRf.size[i]!)), body.flow.rf.jump);
    const skip: CheckedSkip = {
      type: "skip",
      name: this.nextName(node.merge === "add" ? "ADD" : "CAT"),
      kind: node.merge,
      body: body.nodes,
      projection,
      span: node.span,
      ...mergeStats(inShape, outputShape, rf),
    };
    if (node.activation) skip.activation = node.activation;
    // A PReLU after the sum learns one slope per channel, as the compiled model does.
    const slopes = node.activation?.fn === "prelu" ? channelsOf(outputShape) : 0;
    if (slopes > 0) Object.assign(skip, { weights: slopes, trainable: slopes, params: slopes });
    return { node: skip, flow: { shape: outputShape, rf } };
  }
}
