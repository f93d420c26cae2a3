// The kernelspec's logo, drawn at install time: three offset feature maps
// (a stack of convolution layers) on a dark rounded square.
import { PNG } from "pngjs";

type Rgba = [number, number, number, number];

const BACKGROUND: Rgba = [24, 38, 66, 255];
const LAYERS: Rgba[] = [
  [49, 120, 198, 255], // TypeScript blue
  [255, 167, 38, 255], // TensorFlow orange
  [238, 242, 247, 255],
];

export function drawLogo(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const radius = size * 0.18;
  const set = (x: number, y: number, [r, g, b, a]: Rgba): void => {
    const i = (y * size + x) * 4;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = a;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Rounded corners: outside the corner circles stays transparent.
      const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius * radius;
      set(x, y, inside ? BACKGROUND : [0, 0, 0, 0]);
    }
  }
  const square = Math.round(size * 0.42);
  const step = Math.round(size * 0.13);
  const start = Math.round(size * 0.16);
  LAYERS.forEach((colour, layer) => {
    const x0 = start + layer * step;
    const y0 = start + layer * step;
    const border = Math.max(1, Math.round(size / 32));
    for (let y = y0; y < y0 + square; y++) {
      for (let x = x0; x < x0 + square; x++) {
        const edge = x < x0 + border || x >= x0 + square - border || y < y0 + border || y >= y0 + square - border;
        set(x, y, edge ? BACKGROUND : colour);
      }
    }
  });
  return PNG.sync.write(png);
}
