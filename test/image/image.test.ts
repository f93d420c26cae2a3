import * as assert from "node:assert/strict";
import { PNG } from "pngjs";
import {
  blit,
  boxReduce,
  createImage,
  crop,
  encodePng,
  encodePngBase64,
  fillRect,
  fitFactor,
  fitTile,
  imageFromBytes,
  pixelRgb,
  scaleForTarget,
  upscaleNearest,
} from "../../src/image/index.js";
import { decodePng } from "../render/helpers.js";

describe("image: one type for pictures and model input", () => {
  it("encodes an RGB image that pngjs decodes to the same pixels", () => {
    const image = createImage(4, 3, [10, 20, 30]);
    fillRect(image, 1, 1, 2, 1, [255, 0, 128]);
    const decoded = decodePng(encodePngBase64(image));
    assert.equal(decoded.width, 4);
    assert.equal(decoded.height, 3);
    assert.deepEqual(decoded.pixel(0, 0), [10, 20, 30, 255]);
    assert.deepEqual(decoded.pixel(1, 1), [255, 0, 128, 255]);
    assert.deepEqual(decoded.pixel(2, 1), [255, 0, 128, 255]);
    assert.deepEqual(decoded.pixel(3, 1), [10, 20, 30, 255]);
  });

  it("writes greyscale, RGB and RGBA PNGs as the image's channels say", () => {
    const grey = PNG.sync.read(encodePng(imageFromBytes([0, 128, 255, 64], 2, 2, 1)));
    assert.equal(grey.colorType, 0);
    assert.deepEqual([...grey.data.subarray(4, 8)], [128, 128, 128, 255]);
    const rgba = PNG.sync.read(encodePng(imageFromBytes([1, 2, 3, 4, 5, 6, 7, 8], 2, 1, 4)));
    assert.equal(rgba.colorType, 6);
    assert.deepEqual([...rgba.data], [1, 2, 3, 4, 5, 6, 7, 8]);
    const rgb = PNG.sync.read(encodePng(imageFromBytes([9, 8, 7], 1, 1, 3)));
    assert.equal(rgb.colorType, 2);
    assert.deepEqual([...rgb.data], [9, 8, 7, 255]);
    assert.throws(() => imageFromBytes([1, 2, 3], 2, 2, 1), /do not fill 2x2x1/);
  });

  it("upscales by nearest neighbour so each value becomes a solid block", () => {
    const decoded = PNG.sync.read(encodePng(upscaleNearest(imageFromBytes([0, 255, 255, 0], 2, 2, 1), 16)));
    assert.equal(decoded.width, 32);
    assert.equal(decoded.height, 32);
    const at = (x: number, y: number): number => decoded.data[(y * 32 + x) * 4]!;
    assert.equal(at(0, 0), 0);
    assert.equal(at(15, 15), 0);
    assert.equal(at(16, 0), 255);
    assert.equal(at(31, 15), 255);
    assert.equal(at(0, 16), 255);
    assert.equal(at(16, 16), 0);
    assert.equal(upscaleNearest(createImage(3, 3), 1).width, 3);
    assert.throws(() => upscaleNearest(createImage(3, 3), 1.5), /positive integer/);
  });

  it("downscales large images by box averaging to fit a maximum tile size", () => {
    const image = createImage(300, 200, [0, 0, 0]);
    fillRect(image, 0, 0, 150, 200, [255, 255, 255]);
    fillRect(image, 151, 0, 1, 200, [200, 200, 200]);
    assert.equal(fitFactor(300, 200, 48, 128), -3);
    const small = fitTile(image, 48, 128);
    assert.equal(small.width, 100);
    assert.equal(small.height, 66);
    assert.deepEqual(pixelRgb(small, 0, 0), [255, 255, 255]);
    // Output column 50 averages source columns 150..152: (0 + 200 + 0) / 3.
    assert.deepEqual(pixelRgb(small, 50, 0), [67, 67, 67]);
    assert.deepEqual(pixelRgb(small, 99, 0), [0, 0, 0]);
    assert.equal(fitTile(createImage(3, 3), 48, 128).width, 48);
    assert.equal(boxReduce(image, 1), image);
    // A block that runs past the edge averages what there is.
    const edge = boxReduce(imageFromBytes([0, 90, 30, 60, 120, 150], 3, 2, 1), 4);
    assert.deepEqual([edge.width, edge.height, Math.round(edge.data[0]! * 255)], [1, 1, 75]);
  });

  it("copies greyscale onto RGB, clipped, and cuts rectangles out", () => {
    const canvas = createImage(4, 4, [0, 0, 255]);
    blit(canvas, imageFromBytes([100, 200, 50, 25], 2, 2, 1), 3, 3);
    assert.deepEqual(pixelRgb(canvas, 3, 3), [100, 100, 100]);
    assert.deepEqual(pixelRgb(canvas, 2, 2), [0, 0, 255]);
    const piece = crop(canvas, 2, 2, 2, 2);
    assert.deepEqual([piece.width, piece.height, ...pixelRgb(piece, 1, 1)], [2, 2, 100, 100, 100]);
    assert.throws(() => crop(canvas, 3, 3, 2, 2), /outside the 4x4 image/);
  });

  it("chooses scales that make 3x3 and 5x5 filters at least 48 px", () => {
    assert.equal(scaleForTarget(3, 3, 48), 16);
    assert.equal(scaleForTarget(5, 5, 48) * 5 >= 48, true);
    assert.equal(scaleForTarget(7, 7, 48) * 7 >= 48, true);
    assert.equal(scaleForTarget(224, 224, 48), 1);
  });
});
