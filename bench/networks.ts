/**
 * The two benchmark networks, built with tf.layers directly (the same shapes as
 * bench/pytorch/throughput.py builds in PyTorch):
 *  - LeNet-5: INPUT 28x28x1, CONV5-6 'same', POOL2, CONV5-16 'valid', POOL2, FC-120, FC-84, FC-10
 *  - small VGG: INPUT 32x32x3, 2x CONV3-32, POOL2, 2x CONV3-64, POOL2, FC-10 (convs 'same')
 * ReLU after every conv and hidden FC, max pooling, softmax cross-entropy, Adam(1e-3).
 */
import { tf } from "../src/backend/index.js";

export interface BenchNetwork {
  name: "lenet" | "vgg";
  title: string;
  inputShape: [number, number, number];
  classes: number;
  /** The same network in ConvNote's language: its checked multiply-adds give the FLOP counts. */
  text: string;
  build(): tf.Sequential;
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

export const NETWORKS: readonly BenchNetwork[] = [LENET, SMALL_VGG];
