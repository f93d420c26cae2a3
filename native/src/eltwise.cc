// Element-wise kernels and reductions that work on plain data and on the blocked layouts the
// convolutions produce, so that a ReLU, a bias add or a bias gradient between two native
// layers does not force a conversion to NHWC.
//
// Shapes arrive as TensorFlow.js shapes; a rank-4 [N,H,W,C] tensor is oneDNN's {N,C,H,W} in
// nhwc order (or in its registered layout). A broadcast operand is padded with leading 1s to
// the other's rank, which is how both libraries align shapes.
#include <algorithm>
#include <cmath>
#include <vector>

#include "cache.h"
#include "channels.h"
#include "common.h"
#include "layouts.h"

namespace convnote {
namespace {

using dnnl::algorithm;
using dnnl::prop_kind;
using tag = memory::format_tag;
using dt = memory::data_type;

/** oneDNN's logical dims (channels second) of a tfjs shape, padded to `rank` with leading 1s. */
dims logicalDims(const dims& shape, size_t rank) {
  dims padded(rank - shape.size(), 1);
  padded.insert(padded.end(), shape.begin(), shape.end());
  if (rank < 3) return padded.empty() ? dims{1} : padded;
  dims logical{padded[0], padded[rank - 1]};
  logical.insert(logical.end(), padded.begin() + 1, padded.end() - 1);
  return logical;
}

memory::desc tensorDesc(const TensorArg& t, const dims& shape, size_t rank, Napi::Env env, const char* what) {
  dims logical = logicalDims(shape, rank);
  memory::desc d = descOf(t, logical, plainActivationTag(static_cast<int>(std::max<size_t>(logical.size(), 1))), env, what);
  // Without spatial extent NHWC and NCHW are the same bytes; oneDNN's fast broadcasting kernels
  // want a per-channel or scalar operand described the NCHW way.
  if (t.layout == 0 && logical.size() > 2) {
    int64_t spatial = 1;
    for (size_t i = 2; i < logical.size(); i++) spatial *= logical[i];
    if (spatial == 1) d = memory::desc(logical, dt::f32, logical.size() == 4 ? tag::abcd : logical.size() == 3 ? tag::abc : tag::abcde);
  }
  return d;
}

struct Unary {
  dnnl::eltwise_forward prim;
};

struct Binary {
  dnnl::binary prim;
};

algorithm unaryAlgorithm(const std::string& op, float& alpha, float& beta, Napi::Env env) {
  if (op == "relu") return alpha = 0, algorithm::eltwise_relu;
  if (op == "leakyrelu") return algorithm::eltwise_relu;  // alpha: the negative slope
  if (op == "relu6") return alpha = 0, beta = 6, algorithm::eltwise_clip;
  if (op == "elu") return alpha = 1, algorithm::eltwise_elu;
  if (op == "sigmoid") return algorithm::eltwise_logistic;
  if (op == "tanh") return algorithm::eltwise_tanh;
  if (op == "exp") return algorithm::eltwise_exp;
  if (op == "log") return algorithm::eltwise_log;
  if (op == "sqrt") return algorithm::eltwise_sqrt;
  if (op == "square") return algorithm::eltwise_square;
  if (op == "abs") return algorithm::eltwise_abs;
  if (op == "neg") return alpha = -1, beta = 0, algorithm::eltwise_linear;
  fail(env, "unary: unknown operation '" + op + "'");
}

// unary(op, x, xLayout, shape, alpha) -> { data, layout } in x's layout
Napi::Value UnaryOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string op = info[0].As<Napi::String>().Utf8Value();
  TensorArg x = tensorArg(info, 1, "unary x");
  dims shape = intArray(info[3], "unary shape");
  float alpha = info[4].As<Napi::Number>().FloatValue(), beta = 0;
  memory::desc src = tensorDesc(x, shape, std::max<size_t>(shape.size(), 1), env, "unary x");
  if (op == "step" && alpha != 0 && x.layout != 0) {
    // A blocked layout's padding holds zeros, which stay zeros only when alpha is 0.
    fail(env, "unary: step with a non-zero alpha needs plain data");
  }
  algorithm alg = op == "step" ? algorithm::undef : unaryAlgorithm(op, alpha, beta, env);
  Napi::Float32Array out = newTensorArray(env, src.get_size() / sizeof(float));

  if (op == "step") {
    // tfjs's Step: 1 above zero, alpha elsewhere, NaN stays NaN.
    const float* in = x.data;
    float* o = out.Data();
    const int64_t n = static_cast<int64_t>(src.get_size() / sizeof(float));
#pragma omp parallel for simd schedule(static) if (n > 65536)
    for (int64_t i = 0; i < n; i++) o[i] = in[i] > 0 ? 1.f : (std::isnan(in[i]) ? in[i] : alpha);
    return tensorResult(env, out, x.layout);
  }

  KeyBuilder key;
  key.add(static_cast<int64_t>(alg)).add(internLayout(src)).add(static_cast<int64_t>(alpha * 1e6)).add(static_cast<int64_t>(beta * 1e6));
  static PrimitiveCache<Unary> cache;
  Unary& e = cache.get(key.key, [&] {
    dnnl::eltwise_forward::desc d(prop_kind::forward_inference, alg, src, alpha, beta);
    return Unary{dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(d, userScratchpad(), cpuEngine()))};
  });
  run(e.prim, {{DNNL_ARG_SRC, memory(src, cpuEngine(), x.data)}, {DNNL_ARG_DST, memory(src, cpuEngine(), out.Data())}});
  return tensorResult(env, out, x.layout);
}

algorithm binaryAlgorithm(const std::string& op, Napi::Env env) {
  if (op == "add") return algorithm::binary_add;
  if (op == "sub") return algorithm::binary_sub;
  if (op == "mul") return algorithm::binary_mul;
  if (op == "div") return algorithm::binary_div;
  if (op == "max") return algorithm::binary_max;
  if (op == "min") return algorithm::binary_min;
  fail(env, "binary: unknown operation '" + op + "'");
}

// binary(op, a, aLayout, aShape, b, bLayout, bShape) -> { data, layout } in a's layout and
// shape; b has a's shape or broadcasts to it (size-1 dimensions).
Napi::Value BinaryOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  algorithm alg = binaryAlgorithm(info[0].As<Napi::String>().Utf8Value(), env);
  TensorArg a = tensorArg(info, 1, "binary a");
  dims aShape = intArray(info[3], "binary a shape");
  TensorArg b = tensorArg(info, 4, "binary b");
  dims bShape = intArray(info[6], "binary b shape");
  if (bShape.size() > aShape.size()) fail(env, "binary: b has more dimensions than a");
  size_t rank = std::max<size_t>(aShape.size(), 1);
  memory::desc src0 = tensorDesc(a, aShape, rank, env, "binary a");
  memory::desc src1 = tensorDesc(b, bShape, rank, env, "binary b");
  dims d0 = src0.dims(), d1 = src1.dims();
  for (size_t i = 0; i < d0.size(); i++) {
    if (d1[i] != d0[i] && d1[i] != 1) fail(env, "binary: b does not broadcast to a's shape");
  }
  // A per-channel vector or a scalar against a 4-D tensor: oneDNN 2.6 broadcasts those with its
  // reference kernel when the tensor is blocked.
  bool perChannel = d0.size() == 4 && d1[0] == 1 && d1[2] == 1 && d1[3] == 1 && d1[1] == d0[1];
  bool scalar = d0.size() == 4 && std::all_of(d1.begin(), d1.end(), [](int64_t d) { return d == 1; });
  if (perChannel || scalar) {
    std::vector<float> vec(static_cast<size_t>(d0[1]), b.data[0]);
    if (perChannel) std::copy(b.data, b.data + d0[1], vec.begin());
    Napi::Float32Array out = newTensorArray(env, src0.get_size() / sizeof(float));
    if (channelBroadcast(alg, a.data, src0, vec.data(), out.Data())) return tensorResult(env, out, a.layout);
    releaseArray(out.ArrayBuffer());
  }
  // Operands of one shape in two layouts: oneDNN has only a reference kernel for that mix, so
  // bring the second into the first's layout.
  memory src1Memory(src1, cpuEngine(), b.data);
  static memory converted;
  if (d1 == d0 && src1 != src0) {
    if (!converted || converted.get_desc() != src0) converted = memory(src0, cpuEngine());
    reorder(src1Memory, converted);
    src1Memory = converted;
    src1 = src0;
  }
  KeyBuilder key;
  key.add(static_cast<int64_t>(alg)).add(internLayout(src0)).add(internLayout(src1));
  static PrimitiveCache<Binary> cache;
  Binary& e = cache.get(key.key, [&] {
    dnnl::binary::desc d(alg, src0, src1, src0);
    return Binary{dnnl::binary(dnnl::binary::primitive_desc(d, userScratchpad(), cpuEngine()))};
  });
  Napi::Float32Array out = newTensorArray(env, src0.get_size() / sizeof(float));
  run(e.prim, {{DNNL_ARG_SRC_0, memory(src0, cpuEngine(), a.data)},
               {DNNL_ARG_SRC_1, src1Memory},
               {DNNL_ARG_DST, memory(src0, cpuEngine(), out.Data())}});
  return tensorResult(env, out, a.layout);
}

// reduce(op, x, xLayout, shape, keptShape) -> Float32Array (plain) of keptShape: x reduced over
// the dimensions where keptShape has 1 and shape does not; null for the reductions it does not
// cover (it covers sums and means over everything, and over height and width with or without
// the batch).
Napi::Value ReduceOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string op = info[0].As<Napi::String>().Utf8Value();
  if (op != "sum" && op != "mean") fail(env, "reduce: unknown operation '" + op + "'");
  TensorArg x = tensorArg(info, 1, "reduce x");
  dims shape = intArray(info[3], "reduce shape");
  dims kept = intArray(info[4], "reduce kept shape");
  if (kept.size() != shape.size()) fail(env, "reduce: the kept shape needs the input's rank");
  size_t rank = std::max<size_t>(shape.size(), 1);
  memory::desc src = tensorDesc(x, shape, rank, env, "reduce x");
  bool overAll = std::all_of(kept.begin(), kept.end(), [](int64_t d) { return d == 1; });
  if (overAll) {
    // A layout's padding holds zeros, so the sum over the whole buffer is the sum of the values.
    const int64_t physical = static_cast<int64_t>(src.get_size() / sizeof(float));
    const float* v = x.data;
    const double total = sumsInThreadOrder(1, [&](double* mine) {
      double s = 0;
#pragma omp for simd schedule(static)
      for (int64_t i = 0; i < physical; i++) s += v[i];
      *mine = s;
    })[0];
    int64_t count = 1;
    for (auto d : shape) count *= d;
    Napi::Float32Array out = newFloatArray(env, 1);
    out[0] = static_cast<float>(op == "mean" ? total / static_cast<double>(count) : total);
    return out;
  }
  bool overHW = shape.size() == 4 && kept[1] == 1 && kept[2] == 1 && kept[3] == shape[3] && (kept[0] == 1 || kept[0] == shape[0]);
  if (overHW) {
    bool perImage = kept[0] == shape[0] && shape[0] != 1;
    std::vector<double> sums(static_cast<size_t>((perImage ? shape[0] : 1) * shape[3]));
    if (channelSums(x.data, src, sums.data(), perImage)) {
      double count = static_cast<double>((perImage ? 1 : shape[0]) * shape[1] * shape[2]);
      double scale = op == "mean" ? 1.0 / count : 1.0;
      Napi::Float32Array out = newFloatArray(env, sums.size());
      for (size_t k = 0; k < sums.size(); k++) out[k] = static_cast<float>(sums[k] * scale);
      return out;
    }
  }
  // Other reductions: oneDNN 2.6 has only its reference kernel for most of them, slower than
  // converting to plain data and reducing in JavaScript, which the caller does on null.
  return env.Null();
}

struct ReluBackward {
  dnnl::eltwise_backward prim;
  memory diffDstScratch;
};

// reluBackward(dy, dyLayout, y, yLayout, shape) -> { data, layout } in y's layout:
// dy where y > 0, else 0 (y is the ReLU's output or its input: both are positive at the same places).
Napi::Value ReluBackwardOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg dy = tensorArg(info, 0, "reluBackward dy");
  TensorArg y = tensorArg(info, 2, "reluBackward y");
  dims shape = intArray(info[4], "reluBackward shape");
  size_t rank = std::max<size_t>(shape.size(), 1);
  memory::desc yDesc = tensorDesc(y, shape, rank, env, "reluBackward y");
  memory::desc dyDesc = tensorDesc(dy, shape, rank, env, "reluBackward dy");
  static PrimitiveCache<ReluBackward> cache;
  ReluBackward& e = cache.get(KeyBuilder().add(internLayout(yDesc)).key, [&] {
    dnnl::eltwise_forward::desc fd(prop_kind::forward_training, algorithm::eltwise_relu_use_dst_for_bwd, yDesc, 0.f, 0.f);
    dnnl::eltwise_forward::primitive_desc hint(fd, userScratchpad(), cpuEngine());
    dnnl::eltwise_backward::desc bd(algorithm::eltwise_relu_use_dst_for_bwd, yDesc, yDesc, 0.f, 0.f);
    return ReluBackward{dnnl::eltwise_backward(dnnl::eltwise_backward::primitive_desc(bd, userScratchpad(), cpuEngine(), hint)), memory()};
  });
  memory diffDst = viewAs(dy, dyDesc, yDesc, e.diffDstScratch);
  Napi::Float32Array out = newTensorArray(env, yDesc.get_size() / sizeof(float));
  run(e.prim, {{DNNL_ARG_DST, memory(yDesc, cpuEngine(), y.data)}, {DNNL_ARG_DIFF_DST, diffDst},
               {DNNL_ARG_DIFF_SRC, memory(yDesc, cpuEngine(), out.Data())}});
  return tensorResult(env, out, y.layout);
}

}  // namespace

void registerEltwiseExports(Napi::Env env, Napi::Object exports) {
  exports.Set("reluBackward", Napi::Function::New(env, ReluBackwardOp, "reluBackward"));
  exports.Set("unary", Napi::Function::New(env, UnaryOp, "unary"));
  exports.Set("binary", Napi::Function::New(env, BinaryOp, "binary"));
  exports.Set("reduce", Napi::Function::New(env, ReduceOp, "reduce"));
}

}  // namespace convnote
