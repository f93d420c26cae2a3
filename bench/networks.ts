/**
 * The benchmark networks, built with tf.layers directly (the same shapes as
 * bench/pytorch/throughput.py builds in PyTorch):
 *  - LeNet-5: INPUT 28x28x1, CONV5-6 'same', POOL2, CONV5-16 'valid', POOL2, FC-120, FC-84, FC-10
 *  - small VGG: INPUT 32x32x3, 2x CONV3-32, POOL2, 2x CONV3-64, POOL2, FC-10 (convs 'same')
 *  - ResNet-8: INPUT 32x32x3, CONV3-16 BN ReLU, three residual blocks (16, 32/s2, 64/s2
 *    channels; two CONV3 with batch norm each, a 1x1/s2 projection with batch norm where the
 *    shape changes), global average pooling, FC-10 — batch norm and residual adds.
 *  - VGG-6: INPUT 64x64x3, 2x CONV3-32, POOL2, 2x CONV3-64, POOL2, 2x CONV3-128, POOL2, FC-256,
 *    DROPOUT 0.5, FC-10 — added after the engine work, as a check that the speed is the
 *    engine's and not tuned to the other three (bigger images, 128 channels, dropout).
 * ReLU after every conv and hidden FC, max pooling, softmax cross-entropy, Adam(1e-3).
 */
import { tf } from "../src/backend/index.js";

export interface BenchNetwork {
  name: "lenet" | "vgg" | "resnet" | "vgg6";
  title: string;
  inputShape: [number, number, number];
  classes: number;
  /** The same network in ConvNote's language: its checked multiply-adds give the FLOP counts. */
  text: string;
  build(): tf.LayersModel;
}

export const LENET: BenchNetwork = {
  name: "lenet",
  title: "LeNet-5 (28x28x1)",
  inputShape: [28, 28, 1],
  classes: 10,
  text: "INPUT 28x28x1 CONV5-6 POOL2 CONV5-16/valid POOL2 FC-120 FC-84 FC-10 SOFTMAX",
  build() {
    const L = tf.layers;
    const m = tf.sequential();
    m.add(L.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: "same", activation: "relu" }));
    m.add(L.maxPooling2d({ poolSize: 2 }));
    m.add(L.conv2d({ filters: 16, kernelSize: 5, padding: "valid", activation: "relu" }));
    m.add(L.maxPooling2d({ poolSize: 2 }));
    m.add(L.flatten());
    m.add(L.dense({ units: 120, activation: "relu" }));
    m.add(L.dense({ units: 84, activation: "relu" }));
    m.add(L.dense({ units: 10, activation: "softmax" }));
    return m;
  },
};

export const SMALL_VGG: BenchNetwork = {
  name: "vgg",
  title: "small VGG (32x32x3)",
  inputShape: [32, 32, 3],
  classes: 10,
  text: "INPUT 32x32x3 [CONV3-32]x2 POOL2 [CONV3-64]x2 POOL2 FC-10 SOFTMAX",
  build() {
    const L = tf.layers;
    const m = tf.sequential();
    m.add(L.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, padding: "same", activation: "relu" }));
    m.add(L.conv2d({ filters: 32, kernelSize: 3, padding: "same", activation: "relu" }));
    m.add(L.maxPooling2d({ poolSize: 2 }));
    m.add(L.conv2d({ filters: 64, kernelSize: 3, padding: "same", activation: "relu" }));
    m.add(L.conv2d({ filters: 64, kernelSize: 3, padding: "same", activation: "relu" }));
    m.add(L.maxPooling2d({ poolSize: 2 }));
    m.add(L.flatten());
    m.add(L.dense({ units: 10, activation: "softmax" }));
    return m;
  },
};

/** conv (no bias: batch norm follows) -> batch norm, as ResNet writes it. */
function convBn(x: tf.SymbolicTensor, filters: number, size: number, stride: number): tf.SymbolicTensor {
  const L = tf.layers;
  const conv = L.conv2d({ filters, kernelSize: size, strides: stride, padding: "same", useBias: false }).apply(x) as tf.SymbolicTensor;
  return L.batchNormalization().apply(conv) as tf.SymbolicTensor;
}

function residualBlock(x: tf.SymbolicTensor, filters: number, stride: number): tf.SymbolicTensor {
  const L = tf.layers;
  const relu = (t: tf.SymbolicTensor) => L.activation({ activation: "relu" }).apply(t) as tf.SymbolicTensor;
  const body = convBn(relu(convBn(x, filters, 3, stride)), filters, 3, 1);
  const inChannels = x.shape[x.shape.length - 1];
  const shortcut = stride !== 1 || inChannels !== filters ? convBn(x, filters, 1, stride) : x;
  return relu(L.add().apply([body, shortcut]) as tf.SymbolicTensor);
}

export const RESNET8: BenchNetwork = {
  name: "resnet",
  title: "ResNet-8 (32x32x3)",
  inputShape: [32, 32, 3],
  classes: 10,
  text: "INPUT 32x32x3 CONV3-16 BN RES[CONV3-16 BN CONV3-16 BN] RES[CONV3-32/s2 BN CONV3-32 BN] RES[CONV3-64/s2 BN CONV3-64 BN] GAP FC-10 SOFTMAX",
  build() {
    const L = tf.layers;
    const input = tf.input({ shape: [32, 32, 3] });
    let x = L.activation({ activation: "relu" }).apply(convBn(input, 16, 3, 1)) as tf.SymbolicTensor;
    x = residualBlock(x, 16, 1);
    x = residualBlock(x, 32, 2);
    x = residualBlock(x, 64, 2);
    const pooled = L.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    const out = L.dense({ units: 10, activation: "softmax" }).apply(pooled) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  },
};

export const VGG6: BenchNetwork = {
  name: "vgg6",
  title: "VGG-6 (64x64x3)",
  inputShape: [64, 64, 3],
  classes: 10,
  text: "INPUT 64x64x3 [CONV3-32]x2 POOL2 [CONV3-64]x2 POOL2 [CONV3-128]x2 POOL2 FC-256 DROPOUT0.5 FC-10 SOFTMAX",
  build() {
    const L = tf.layers;
    const m = tf.sequential();
    m.add(L.inputLayer({ inputShape: [64, 64, 3] }));
    for (const filters of [32, 32, 0, 64, 64, 0, 128, 128, 0]) {
      m.add(filters === 0 ? L.maxPooling2d({ poolSize: 2 }) : L.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu" }));
    }
    m.add(L.flatten());
    m.add(L.dense({ units: 256, activation: "relu" }));
    m.add(L.dropout({ rate: 0.5 }));
    m.add(L.dense({ units: 10, activation: "softmax" }));
    return m;
  },
};

export const NETWORKS: readonly BenchNetwork[] = [LENET, SMALL_VGG, RESNET8, VGG6];
