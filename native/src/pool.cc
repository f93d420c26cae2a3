// 2-D max and average pooling on oneDNN, forward and backward, in whatever layout the input
// arrives (pooling reads the convolution's blocked output as it is).
//
// Max pooling's backward pass needs to know where each maximum was: a training forward pass
// returns oneDNN's workspace (a Uint8Array the JavaScript side keeps with the output), and
// the backward pass takes it back.
#include "cache.h"
#include "common.h"
#include "layouts.h"

namespace convnote {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;
using tag = memory::format_tag;
using dt = memory::data_type;

struct PoolGeometry {
  int64_t n, h, w, c;
  int64_t kh, kw, oh, ow;
  int64_t sh, sw, pt, pl, pb, pr;
  dims src() const { return {n, c, h, w}; }
  dims dst() const { return {n, c, oh, ow}; }
  void addTo(KeyBuilder& k) const {
    for (int64_t v : {n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl, pb, pr}) k.add(v);
  }
};

// geometry: [n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl, pb, pr]
PoolGeometry geometryArg(const Napi::Value& v) {
  dims g = intArray(v, "pooling geometry");
  if (g.size() != 14) throw Napi::Error::New(v.Env(), "ConvNote native: pooling geometry needs 14 numbers");
  PoolGeometry p{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13]};
  if (p.oh != (p.h + p.pt + p.pb - p.kh) / p.sh + 1 || p.ow != (p.w + p.pl + p.pr - p.kw) / p.sw + 1) {
    throw Napi::Error::New(v.Env(), "ConvNote native: pooling geometry is inconsistent");
  }
  return p;
}

algorithm algorithmArg(const Napi::Value& v) {
  std::string kind = v.As<Napi::String>().Utf8Value();
  if (kind == "max") return algorithm::pooling_max;
  // TensorFlow averages over the in-bounds part of a padded window.
  if (kind == "avg") return algorithm::pooling_avg_exclude_padding;
  throw Napi::Error::New(v.Env(), "ConvNote native: pooling kind must be 'max' or 'avg'");
}

dnnl::pooling_forward::primitive_desc forwardDesc(const PoolGeometry& g, algorithm alg, const memory::desc& src, prop_kind kind) {
  dnnl::pooling_forward::desc d(kind, alg, src, memory::desc(g.dst(), dt::f32, tag::any), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl}, {g.pb, g.pr});
  return dnnl::pooling_forward::primitive_desc(d, userScratchpad(), cpuEngine());
}

struct Forward {
  dnnl::pooling_forward::primitive_desc pd;
  dnnl::pooling_forward prim;
  int dstLayout;
};

struct Backward {
  dnnl::pooling_backward::primitive_desc pd;
  dnnl::pooling_backward prim;
  memory diffDstScratch;
  int diffSrcLayout;
};

PrimitiveCache<Forward>& forwardCache() {
  static PrimitiveCache<Forward> c;
  return c;
}
PrimitiveCache<Backward>& backwardCache() {
  static PrimitiveCache<Backward> c;
  return c;
}

Forward& forwardEntry(const PoolGeometry& g, algorithm alg, const memory::desc& src, int srcLayout, bool training) {
  KeyBuilder key;
  g.addTo(key);
  key.add(static_cast<int64_t>(alg)).add(srcLayout).add(training);
  return forwardCache().get(key.key, [&] {
    auto pd = forwardDesc(g, alg, src, training ? prop_kind::forward_training : prop_kind::forward_inference);
    return Forward{pd, dnnl::pooling_forward(pd), layoutIdFor(pd.dst_desc(), g.dst(), tag::nhwc)};
  });
}

// pool2d(kind, x, xLayout, geometry, training) -> { data, layout, workspace? }
Napi::Value Pool2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  algorithm alg = algorithmArg(info[0]);
  TensorArg x = tensorArg(info, 1, "pool2d x");
  PoolGeometry g = geometryArg(info[3]);
  bool training = info[4].As<Napi::Boolean>().Value();
  memory::desc src = descOf(x, g.src(), tag::nhwc, env, "pool2d x");
  Forward& e = forwardEntry(g, alg, src, x.layout, training);

  Napi::Float32Array out = newTensorArray(env, e.pd.dst_desc().get_size() / sizeof(float));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(src, cpuEngine(), x.data)}, {DNNL_ARG_DST, memory(e.pd.dst_desc(), cpuEngine(), out.Data())}};
  Napi::Object result = tensorResult(env, out, e.dstLayout);
  size_t workspaceBytes = e.pd.workspace_desc().get_size();
  if (workspaceBytes > 0) {
    auto workspace = Napi::ArrayBuffer::New(env, workspaceBytes);
    args.emplace(DNNL_ARG_WORKSPACE, memory(e.pd.workspace_desc(), cpuEngine(), workspace.Data()));
    result.Set("workspace", Napi::Uint8Array::New(env, workspaceBytes, workspace, 0));
  }
  run(e.prim, args);
  return result;
}

// pool2dBackward(kind, dy, dyLayout, xLayout, geometry, workspace | null) -> { data, layout }
// xLayout is the layout the forward pass read its input in; dx comes back in that layout.
Napi::Value Pool2dBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  algorithm alg = algorithmArg(info[0]);
  TensorArg dy = tensorArg(info, 1, "pool2dBackward dy");
  int xLayout = info[3].As<Napi::Number>().Int32Value();
  PoolGeometry g = geometryArg(info[4]);
  bool max = alg == algorithm::pooling_max;
  if (max && !info[5].IsTypedArray()) fail(env, "pool2dBackward: max pooling needs the forward pass's workspace");

  memory::desc src = xLayout == 0 ? plainDesc(g.src(), tag::nhwc) : layoutDesc(xLayout);
  if (src.dims() != g.src()) fail(env, "pool2dBackward: the input layout does not match the geometry");
  Forward& fwd = forwardEntry(g, alg, src, xLayout, true);
  KeyBuilder key;
  g.addTo(key);
  key.add(static_cast<int64_t>(alg)).add(xLayout);
  Backward& e = backwardCache().get(key.key, [&] {
    dnnl::pooling_backward::desc d(alg, src, fwd.pd.dst_desc(), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl}, {g.pb, g.pr});
    dnnl::pooling_backward::primitive_desc pd(d, userScratchpad(), cpuEngine(), fwd.pd);
    return Backward{pd, dnnl::pooling_backward(pd), memory(), layoutIdFor(pd.diff_src_desc(), g.src(), tag::nhwc)};
  });

  memory diffDst = viewAs(dy, descOf(dy, g.dst(), tag::nhwc, env, "pool2dBackward dy"), e.pd.diff_dst_desc(), e.diffDstScratch);
  Napi::Float32Array out = newTensorArray(env, e.pd.diff_src_desc().get_size() / sizeof(float));
  std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_SRC, memory(e.pd.diff_src_desc(), cpuEngine(), out.Data())}};
  if (max) {
    auto workspace = info[5].As<Napi::Uint8Array>();
    if (workspace.ByteLength() < e.pd.workspace_desc().get_size()) fail(env, "pool2dBackward: the workspace is too small");
    args.emplace(DNNL_ARG_WORKSPACE, memory(e.pd.workspace_desc(), cpuEngine(), workspace.Data()));
  }
  run(e.prim, args);
  return tensorResult(env, out, e.diffSrcLayout);
}

}  // namespace

void registerPoolExports(Napi::Env env, Napi::Object exports) {
  exports.Set("pool2d", Napi::Function::New(env, Pool2d, "pool2d"));
  exports.Set("pool2dBackward", Napi::Function::New(env, Pool2dBackward, "pool2dBackward"));
}

}  // namespace convnote
