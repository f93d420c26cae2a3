// Batched matrix products on oneDNN for TensorFlow.js's BatchMatMul and _FusedMatMul: the
// dense layers and their gradients. Transposed operands are read in place through strides;
// bias and activation are post-ops.
#include "cache.h"
#include "common.h"
#include "layouts.h"

namespace convnote {
namespace {

using dnnl::algorithm;
using tag = memory::format_tag;
using dt = memory::data_type;

struct MatMul {
  dnnl::matmul prim;
  memory::desc a, b, bias, dst;
};

/** A [batch, rows, cols] operand stored row-major, or transposed (stored as [batch, cols, rows]). */
memory::desc operand(int64_t batch, int64_t rows, int64_t cols, bool transposed) {
  return memory::desc({batch, rows, cols}, dt::f32, transposed ? tag::acb : tag::abc);
}

dnnl::primitive_attr activationAttr(int activation, float alpha) {
  dnnl::post_ops ops;
  switch (activation) {
    case 0: break;
    case 1: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case 2: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case 3: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case 4: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
    case 5: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    default: throw std::invalid_argument("unknown activation code");
  }
  dnnl::primitive_attr attr = userScratchpad();
  attr.set_post_ops(ops);
  return attr;
}

// matmul(a, b, batch, m, k, n, transposeA, transposeB, bias | null, activation, alpha) -> Float32Array [batch, m, n]
Napi::Value MatMulOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg a = plainArg(info, 0, "matmul a");
  TensorArg b = plainArg(info, 1, "matmul b");
  int64_t batch = info[2].As<Napi::Number>().Int64Value(), m = info[3].As<Napi::Number>().Int64Value();
  int64_t k = info[4].As<Napi::Number>().Int64Value(), n = info[5].As<Napi::Number>().Int64Value();
  bool transposeA = info[6].As<Napi::Boolean>().Value(), transposeB = info[7].As<Napi::Boolean>().Value();
  bool hasBias = !info[8].IsNull() && !info[8].IsUndefined();
  TensorArg bias = hasBias ? plainArg(info, 8, "matmul bias") : TensorArg{};
  int activation = info[9].As<Napi::Number>().Int32Value();
  float alpha = info[10].As<Napi::Number>().FloatValue();
  if (a.length < static_cast<size_t>(batch * m * k) || b.length < static_cast<size_t>(batch * k * n)) fail(env, "matmul: an operand is shorter than its shape");
  if (hasBias && bias.length < static_cast<size_t>(n)) fail(env, "matmul: the bias is shorter than the output's columns");

  KeyBuilder key;
  key.add(batch).add(m).add(k).add(n).add(transposeA).add(transposeB).add(hasBias).add(activation).add(static_cast<int64_t>(alpha * 1e6));
  static PrimitiveCache<MatMul> cache;
  MatMul& e = cache.get(key.key, [&] {
    memory::desc ad = operand(batch, m, k, transposeA), bd = operand(batch, k, n, transposeB);
    memory::desc biasd = hasBias ? memory::desc({1, 1, n}, dt::f32, tag::abc) : memory::desc();
    memory::desc dstd({batch, m, n}, dt::f32, tag::abc);
    dnnl::matmul::desc d(ad, bd, biasd, dstd);
    dnnl::matmul::primitive_desc pd(d, activationAttr(activation, alpha), cpuEngine());
    return MatMul{dnnl::matmul(pd), ad, bd, biasd, dstd};
  });
  Napi::Float32Array out = newFloatArray(env, static_cast<size_t>(batch * m * n));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(e.a, cpuEngine(), a.data)},
                                       {DNNL_ARG_WEIGHTS, memory(e.b, cpuEngine(), b.data)},
                                       {DNNL_ARG_DST, memory(e.dst, cpuEngine(), out.Data())}};
  if (hasBias) args.emplace(DNNL_ARG_BIAS, memory(e.bias, cpuEngine(), bias.data));
  run(e.prim, args);
  return out;
}

}  // namespace

void registerMatMulExports(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, MatMulOp, "matmul"));
}

}  // namespace convnote
