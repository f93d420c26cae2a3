// Tensor shapes without the batch axis: [height, width, channels] for images, [length, channels]
// for sequences (text, audio), [units] for vectors.
// A size known only when the network runs (INPUT ?x?x3) is NaN: arithmetic on it stays NaN, and
// tables print it as ?.
export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return shape.map((v) => (Number.isFinite(v) ? String(v) : "?")).join("x");
}

export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function channelsOf(shape: Shape): number {
  return shape[shape.length - 1]!;
}

/** The spatial axes: [h, w] of an image, [length] of a sequence, [] of a vector. */
export function spatialOf(shape: Shape): number[] {
  return shape.slice(0, -1);
}

export function describeRank(shape: Shape): string {
  if (shape.length === 3) return `an image volume [${formatShape(shape)}]`;
  if (shape.length === 2) return `a sequence [${formatShape(shape)}] (length x channels)`;
  return `a vector [${formatShape(shape)}]`;
}

/** The error where a layer needs the size that INPUT left as `?`: FC and FLATTEN have one weight or value per input value. */
export function sizeNeeded(keyword: string, input: Shape): { code: "wrong-rank"; message: string; hint: string } {
  return {
    code: "wrong-rank",
    message: `${keyword} needs to know how many values come in, but the size is [${formatShape(input)}] here (? is known only when the network runs)`,
    hint: "put GAP or GMP before it (one value per channel at any size), or give INPUT a size",
  };
}
