// 2-D convolution on oneDNN: forward (bias and activation fused as post-ops), the gradient
// with respect to the input, and the gradient with respect to the filter.
//
// TensorFlow.js passes NHWC images and HWIO filters. Primitives are created with format `any`,
// so oneDNN picks its fastest layouts (blocked, e.g. nChw16c and OIhw16i16o); inputs are
// reordered only when they arrive in another layout, and outputs stay in the chosen layout
// (the caller keeps the layout id with the data) so that the next native kernel reads them
// without a reorder.
#include "cache.h"
#include "common.h"
#include "layouts.h"

namespace convnote {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;
using tag = memory::format_tag;
using dt = memory::data_type;

/** One convolution's geometry, from tfjs's computeConv2DInfo. */
struct ConvGeometry {
  int64_t n, h, w, c;      // input, NHWC
  int64_t kh, kw, oc;      // filter
  int64_t oh, ow;          // output
  int64_t sh, sw, dh, dw;  // strides, dilations (tfjs: 1 = none)
  int64_t pt, pl, pb, pr;  // padding

  dims src() const { return {n, c, h, w}; }
  dims weights() const { return {oc, c, kh, kw}; }
  dims dst() const { return {n, oc, oh, ow}; }
  dims strides() const { return {sh, sw}; }
  dims dilates() const { return {dh - 1, dw - 1}; }  // oneDNN counts the gaps
  dims padL() const { return {pt, pl}; }
  dims padR() const { return {pb, pr}; }
  void addTo(KeyBuilder& k) const {
    for (int64_t v : {n, h, w, c, kh, kw, oc, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr}) k.add(v);
  }
};

// geometry: [n, h, w, c, kh, kw, oc, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr]
ConvGeometry geometryArg(const Napi::Value& v) {
  dims g = intArray(v, "convolution geometry");
  if (g.size() != 17) throw Napi::Error::New(v.Env(), "ConvNote native: convolution geometry needs 17 numbers");
  ConvGeometry c{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15], g[16]};
  int64_t effH = (c.kh - 1) * c.dh + 1, effW = (c.kw - 1) * c.dw + 1;
  if (c.oh != (c.h + c.pt + c.pb - effH) / c.sh + 1 || c.ow != (c.w + c.pl + c.pr - effW) / c.sw + 1) {
    throw Napi::Error::New(v.Env(), "ConvNote native: convolution geometry is inconsistent");
  }
  return c;
}

memory::desc anyDesc(const dims& d) { return memory::desc(d, dt::f32, tag::any); }

/** Activations a convolution can apply as a oneDNN post-op (tfjs's fused activation names). */
enum class Activation { linear = 0, relu = 1, relu6 = 2, elu = 3, leakyrelu = 4, sigmoid = 5 };

dnnl::primitive_attr activationAttr(Activation a, float alpha) {
  dnnl::post_ops ops;
  switch (a) {
    case Activation::linear: break;
    case Activation::relu: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case Activation::relu6: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case Activation::elu: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case Activation::leakyrelu: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
    case Activation::sigmoid: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
  }
  dnnl::primitive_attr attr = userScratchpad();
  attr.set_post_ops(ops);
  return attr;
}

dnnl::convolution_forward::primitive_desc forwardDesc(const ConvGeometry& g, bool bias, prop_kind kind, const dnnl::primitive_attr& attr) {
  auto biasDesc = bias ? memory::desc({g.oc}, dt::f32, tag::x) : memory::desc();
  dnnl::convolution_forward::desc d(kind, algorithm::convolution_direct, anyDesc(g.src()), anyDesc(g.weights()), biasDesc,
                                    anyDesc(g.dst()), g.strides(), g.dilates(), g.padL(), g.padR());
  return dnnl::convolution_forward::primitive_desc(d, attr, cpuEngine());
}

struct Forward {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward prim;
  memory srcScratch, weightsScratch;
  int dstLayout;
  int weightsLayout;  // the layout the primitive reads filters in (0: HWIO as given)
};

struct BackwardData {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data prim;
  memory diffDstScratch, weightsScratch;
  int diffSrcLayout;
};

struct BackwardWeights {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights prim;
  memory srcScratch, diffDstScratch, diffWeights;
};

PrimitiveCache<Forward>& forwardCache() {
  static PrimitiveCache<Forward> c;
  return c;
}
PrimitiveCache<BackwardData>& backwardDataCache() {
  static PrimitiveCache<BackwardData> c;
  return c;
}
PrimitiveCache<BackwardWeights>& backwardWeightsCache() {
  static PrimitiveCache<BackwardWeights> c;
  return c;
}

// conv2d(x, xLayout, filter, filterLayout, bias | null, geometry, activation, alpha, training)
//   -> { data, layout, weightsLayout }
// filterLayout 0 is HWIO; weightsLayout tells the caller the layout to keep a filter in (see
// reorderFilter) so that later calls with the same filter skip its reorder.
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg x = tensorArg(info, 0, "conv2d x");
  TensorArg filter = tensorArg(info, 2, "conv2d filter");
  bool hasBias = !info[4].IsNull() && !info[4].IsUndefined();
  TensorArg bias = hasBias ? plainArg(info, 4, "conv2d bias") : TensorArg{};
  ConvGeometry g = geometryArg(info[5]);
  int activation = info[6].As<Napi::Number>().Int32Value();
  float alpha = info[7].As<Napi::Number>().FloatValue();
  bool training = info[8].As<Napi::Boolean>().Value();
  if (activation < 0 || activation > 5) fail(env, "conv2d: unknown activation code");
  if (hasBias && bias.length < static_cast<size_t>(g.oc)) fail(env, "conv2d: the bias is shorter than the filter count");

  KeyBuilder key;
  g.addTo(key);
  key.add(activation).add(static_cast<int64_t>(alpha * 1e6)).add(hasBias).add(training);
  Forward& e = forwardCache().get(key.key, [&] {
    auto kind = training ? prop_kind::forward_training : prop_kind::forward_inference;
    auto pd = forwardDesc(g, hasBias, kind, activationAttr(static_cast<Activation>(activation), alpha));
    return Forward{pd, dnnl::convolution_forward(pd), memory(), memory(), layoutIdFor(pd.dst_desc(), g.dst(), tag::nhwc),
                   layoutIdFor(pd.weights_desc(), g.weights(), tag::hwio)};
  });

  memory::desc xHave = descOf(x, g.src(), tag::nhwc, env, "conv2d x");
  memory src = viewAs(x, xHave, e.pd.src_desc(), e.srcScratch);
  memory weights = viewAs(filter, descOf(filter, g.weights(), tag::hwio, env, "conv2d filter"), e.pd.weights_desc(), e.weightsScratch);
  Napi::Float32Array out = newTensorArray(env, e.pd.dst_desc().get_size() / sizeof(float));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, memory(e.pd.dst_desc(), cpuEngine(), out.Data())}};
  if (hasBias) args.emplace(DNNL_ARG_BIAS, memory(e.pd.bias_desc(), cpuEngine(), bias.data));
  run(e.prim, args);
  Napi::Object result = tensorResult(env, out, e.dstLayout);
  result.Set("weightsLayout", Napi::Number::New(env, e.weightsLayout));
  return result;
}

// reorderFilter(filter, layout) -> Float32Array: an HWIO filter in a convolution's weights layout.
Napi::Value ReorderFilter(const Napi::CallbackInfo& info) {
  TensorArg filter = plainArg(info, 0, "reorderFilter filter");
  const memory::desc& want = layoutDesc(info[1].As<Napi::Number>().Int32Value());
  memory::desc have = plainDesc(want.dims(), tag::hwio);
  if (filter.length * sizeof(float) < have.get_size()) fail(info.Env(), "reorderFilter: the filter is shorter than the layout's shape");
  Napi::Float32Array out = newFloatArray(info.Env(), want.get_size() / sizeof(float));
  reorder(memory(have, cpuEngine(), filter.data), memory(want, cpuEngine(), out.Data()));
  return out;
}

// conv2dBackpropInput(dy, dyLayout, filter, geometry) -> { data, layout } (the input's shape)
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg dy = tensorArg(info, 0, "conv2dBackpropInput dy");
  TensorArg filter = plainArg(info, 2, "conv2dBackpropInput filter");
  ConvGeometry g = geometryArg(info[3]);

  KeyBuilder key;
  g.addTo(key);
  BackwardData& e = backwardDataCache().get(key.key, [&] {
    auto hint = forwardDesc(g, false, prop_kind::forward_training, userScratchpad());
    dnnl::convolution_backward_data::desc d(algorithm::convolution_direct, anyDesc(g.src()), anyDesc(g.weights()), anyDesc(g.dst()),
                                            g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_data::primitive_desc pd(d, userScratchpad(), cpuEngine(), hint);
    return BackwardData{pd, dnnl::convolution_backward_data(pd), memory(), memory(), layoutIdFor(pd.diff_src_desc(), g.src(), tag::nhwc)};
  });

  memory diffDst = viewAs(dy, descOf(dy, g.dst(), tag::nhwc, env, "conv2dBackpropInput dy"), e.pd.diff_dst_desc(), e.diffDstScratch);
  memory weights = viewAs(TensorArg{filter.data, filter.length, 0}, plainDesc(g.weights(), tag::hwio), e.pd.weights_desc(), e.weightsScratch);
  Napi::Float32Array out = newTensorArray(env, e.pd.diff_src_desc().get_size() / sizeof(float));
  run(e.prim, {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, memory(e.pd.diff_src_desc(), cpuEngine(), out.Data())}});
  return tensorResult(env, out, e.diffSrcLayout);
}

// conv2dBackpropFilter(x, xLayout, dy, dyLayout, geometry) -> Float32Array (HWIO)
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg x = tensorArg(info, 0, "conv2dBackpropFilter x");
  TensorArg dy = tensorArg(info, 2, "conv2dBackpropFilter dy");
  ConvGeometry g = geometryArg(info[4]);

  KeyBuilder key;
  g.addTo(key);
  BackwardWeights& e = backwardWeightsCache().get(key.key, [&] {
    auto hint = forwardDesc(g, false, prop_kind::forward_training, userScratchpad());
    dnnl::convolution_backward_weights::desc d(algorithm::convolution_direct, anyDesc(g.src()), anyDesc(g.weights()), anyDesc(g.dst()),
                                               g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, userScratchpad(), cpuEngine(), hint);
    return BackwardWeights{pd, dnnl::convolution_backward_weights(pd), memory(), memory(), memory(pd.diff_weights_desc(), cpuEngine())};
  });

  memory src = viewAs(x, descOf(x, g.src(), tag::nhwc, env, "conv2dBackpropFilter x"), e.pd.src_desc(), e.srcScratch);
  memory diffDst = viewAs(dy, descOf(dy, g.dst(), tag::nhwc, env, "conv2dBackpropFilter dy"), e.pd.diff_dst_desc(), e.diffDstScratch);
  memory::desc plainWeights = plainDesc(g.weights(), tag::hwio);
  Napi::Float32Array out = newFloatArray(env, plainWeights.get_size() / sizeof(float));
  memory outMemory(plainWeights, cpuEngine(), out.Data());
  bool direct = e.pd.diff_weights_desc() == plainWeights;
  run(e.prim, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, direct ? outMemory : e.diffWeights}});
  if (!direct) reorder(e.diffWeights, outMemory);
  return out;
}

}  // namespace

void registerConvExports(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2d, "conv2d"));
  exports.Set("reorderFilter", Napi::Function::New(env, ReorderFilter, "reorderFilter"));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput, "conv2dBackpropInput"));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter, "conv2dBackpropFilter"));
}

}  // namespace convnote
