// Counting, architectures and training: the seeds' counts worked out here by hand and compared
// with the cells' tables, and the direction of every measured result the prose states.
import assert from "node:assert/strict";
import { byTag, parseMarkup, tableCells } from "../render/markup.js";
import { cellById, htmlText, lineStarting, plainText, readable, type IdentifiedCell } from "./cells.js";
import { checkPngs, executeNotebook } from "./run-notebook.js";

const NAME = "11-counting-architectures-training.ipynb";
const n = (v: number) => v.toLocaleString("en-US");
const percent = (text: string) => Number(/([\d.]+)%/.exec(text)![1]);

describe("notebook 11-counting-architectures-training", function () {
  this.timeout(1_200_000);
  let cells: IdentifiedCell[];
  before(async () => {
    cells = (await executeNotebook(NAME)).cells;
  });
  const cell = (id: string) => cellById(cells, id);
  const table = (id: string, which = 0) => tableCells(byTag(parseMarkup(htmlText(cell(id))), "table")[which]!);

  it("counts the weights of FC neurons and of convolution filters as the slides do", () => {
    assert.deepEqual(table("fc-neurons").map((r) => r[2]), [
      `(32*32*3)*1 = ${n(32 * 32 * 3)}`,
      `(200*200*3)*1 = ${n(200 * 200 * 3)}`,
      `(200*200*3)*5 = ${n(200 * 200 * 3 * 5)}`,
      `(5*5*1)*100 = ${n(5 * 5 * 100)}`,
      `(5*5*3)*100 = ${n(5 * 5 * 3 * 100)}`,
    ]);
    assert.match(plainText(cell("fiber-count")), /connections of each neuron: \(3\*3\*20\)\*1 = 180/);
    assert.match(plainText(cell("fiber-count")), /16x16x1 = 256 neurons share those 180 weights/);
  });

  it("AlexNet's CONV1: 105,705,600 parameters without sharing, 34,944 with, 105.4M multiply-adds either way", () => {
    const neurons = 55 * 55 * 96;
    assert.equal((227 - 11) / 4 + 1, 55);
    assert.deepEqual(table("sharing"), [
      ["output size per side", "(227 - 11)/4 + 1 = 55", "(227 - 11)/4 + 1 = 55"],
      ["neurons", `55*55*96 = ${n(neurons)}`, `55*55*96 = ${n(neurons)}`],
      ["weights", `${n(neurons)} * 363 = ${n(neurons * 363)}`, `96 * 11*11*3 = ${n(96 * 363)}`],
      ["biases", n(neurons), "96"],
      ["parameters", `${n(neurons)} * 364 = ${n(105_705_600)}`, `${n(34_848)} + 96 = ${n(34_944)}`],
      ["multiply-adds per image", `${n(neurons * 363)} (105.4M)`, `${n(neurons * 363)} (105.4M)`],
    ]);
    assert.equal(neurons * 364, 105_705_600);
    assert.match(readable(cell("unshared")), /= 105,705,600/);
  });

  it("2x2 pooling keeps a quarter; unpadded 5x5 layers shrink 32 -> 28 -> 24; data of other grids", () => {
    const pool = plainText(cell("pool-75"));
    assert.match(pool, /-> \[6 8; 3 4\]/);
    assert.match(pool, /3,211,264 values -> 802,816, 25% kept, 75% discarded/);
    assert.match(readable(cell("shrinking")), /\[28x28x6\][\s\S]*\[24x24x10\][\s\S]*\[20x20x10\]/);
    assert.match(readable(cell("padded")), /\[32x32x10\]/);
    assert.deepEqual(table("data-types").map((r) => [r[3], r[4]]), [
      ["4000x16", `(9*1)*16 + 16 = ${9 * 16 + 16}`],
      ["120x32", `(5*30)*32 + 32 = ${n(5 * 30 * 32 + 32)}`],
      ["10x32", `(3*100)*32 + 32 = ${n(3 * 100 * 32 + 32)}`],
      ["128x64x16", `(3*3*1)*16 + 16 = ${9 * 16 + 16}`],
      ["224x224x64", `(3*3*3)*64 + 64 = ${n(27 * 64 + 64)}`],
      ["-", "no 3-D convolution in ConvNote"],
    ]);
  });

  it("AlexNet's augmentation: a 227x227 crop with no parameters, pictures of it, and it helps on moved digits", () => {
    assert.match(readable(cell("augment-net")), /AUGMENT\(flip, crop=227\)\s+\[227x227x3\][\s\S]*\[55x55x96\]/);
    assert.equal(checkPngs(cell("augment-photo").outputs ?? []), 1);
    const text = plainText(cell("augment-experiment"));
    const plain = lineStarting(text, "no augmentation").split(/\s{2,}/);
    const augmented = lineStarting(text, "AUGMENT(translate=0.15)").split(/\s{2,}/);
    assert.ok(percent(augmented[2]!) > percent(plain[2]!) + 5, text);
  });

  it("the ensemble of seven makes fewer errors than its members on average", () => {
    const text = plainText(cell("ensemble"));
    assert.ok(percent(lineStarting(text, "ensemble")) < percent(lineStarting(text, "mean of the seven")), text);
    assert.equal(text.split("\n").filter((l) => l.startsWith("network ")).length, 7);
  });

  it("GoogLeNet's auxiliary heads: AvgPool-1x1Conv-FC-FC, 6,379,728 parameters dropped at inference", () => {
    assert.deepEqual(table("aux").map((r) => r.slice(1, 3)), [
      ["AVGPOOL5/s3", "4x4x512"], ["CONV1-128", "4x4x128"], ["FC-1024", "1024"], ["DROPOUT0.7", "1024"], ["FC-1000", "1000"],
    ]);
    const text = plainText(cell("aux"));
    assert.match(text, /in training: 13,378,280 parameters/);
    assert.match(text, /in the two heads: 6,379,728/);
    assert.match(text, /at inference: 6,998,552 parameters/);
  });

  it("degradation: the deeper plain network trains worse than the shallow one, the residual one best", () => {
    const text = plainText(cell("degradation-table"));
    const row = (name: string) => lineStarting(text, name).split(/\s{2,}/);
    const [shallow, deep, residual] = [row("plain, 4"), row("plain, 16"), row("residual, 16")];
    const loss = (r: string[]) => Number(r[1]);
    assert.ok(loss(deep) > loss(shallow) && percent(deep[2]!) < percent(shallow[2]!), text);
    assert.ok(loss(residual) < loss(shallow) && loss(residual) < loss(deep), text);
    // CONV3-16/s2 on 1 channel 160, each CONV3-16 2,320, FC-10 on 7x7x16 7,850; RES adds no parameters.
    assert.deepEqual(table("degradation-nets").map((r) => r[2]), [160 + 2 * 2320 + 7850, 160 + 14 * 2320 + 7850, 160 + 14 * 2320 + 7850].map(n));
  });

  it("ResNet-152: 152 weight layers, torchvision's 60,192,808 parameters", () => {
    const text = plainText(cell("resnet152"));
    assert.match(text, /ResNet-152: 152 weight layers on the main path/);
    assert.match(text, /60,192,808 trainable parameters \(torchvision: 60,192,808\)/);
    assert.match(text, /50 residual additions/);
  });

  it("ReLU reaches 80% training accuracy; sigmoid, at the same rate, hardly leaves chance", () => {
    const text = plainText(cell("relu-sigmoid-table"));
    const relu = lineStarting(text, "relu").split(/\s{2,}/);
    const sigmoid = lineStarting(text, "sigmoid").split(/\s{2,}/);
    assert.match(relu[1]!, /^\d+$/, text);
    const sigmoidBatches = /^not in (\d+)$/.exec(sigmoid[1]!) ? Infinity : Number(sigmoid[1]);
    assert.ok(sigmoidBatches > Number(relu[1]), text);
    assert.ok(Number(sigmoid[2]) > 2.2 && percent(sigmoid[3]!) < 30, text);
    assert.match(plainText(cell("relu-speed")), /sigmoid takes [\d.]+x as long/);
  });

  it("softmax, parameters against hyper-parameters, and momentum across a plateau", () => {
    assert.match(plainText(cell("softmax")), /probabilities \[0\.659, 0\.242, 0\.099\], all positive: yes, sum 1\.000/);
    const hyper = plainText(cell("hyper"));
    assert.match(hyper, new RegExp(`parameters \\(learned\\): ${n(208 + 1168 + (7 * 7 * 16 * 32 + 32) + 330)}`));
    assert.match(hyper, /optimizer sgd, momentum 0\.9, learning rate 0\.01, batch size 32, epochs 5/);
    assert.match(hyper, /32 iterations \(batches\) per epoch, 160 in all/);

    const plateau = plainText(cell("plateau-table"));
    assert.match(lineStarting(plateau, "SGD"), /1\.05\s+1\.00\s+yes$/);
    const [theta, loss, same] = lineStarting(plateau, "momentum").split(/\s{2,}/).slice(1);
    assert.ok(Math.abs(Number(theta) - 4) < 0.5 && Number(loss) < 0.5 && same === "yes", plateau);
    const [onSgd, onMomentum, off] = /SGD at step (\d+), momentum at step (\d+); momentum leaves it at step (\d+)/.exec(plateau)!.slice(1).map(Number);
    assert.ok(onMomentum! < onSgd! && off! > onMomentum!, plateau);
  });
});
