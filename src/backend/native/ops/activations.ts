/** The addon's codes for tfjs's fused activations (native/src/conv.cc, matmul.cc). */
export const FUSED_ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, elu: 3, leakyrelu: 4, sigmoid: 5 };
