// Tensor shapes without the batch axis: [height, width, channels] for images, [length, channels]
// for sequences (text, audio), [units] for vectors.
export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return shape.join("x");
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
