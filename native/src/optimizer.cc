// Optimizer updates on the native backend. TensorFlow.js's Adam runs a dozen element-wise
// operations per variable per step, each a kernel call with its own bookkeeping; for a small
// network that bookkeeping, not arithmetic, is the step. Here one call updates a variable
// and both of its moments.
#include <cmath>

#include "common.h"

namespace convnote {
namespace {

// adam(value, m, v, gradient, learningRate, beta1, beta2, epsilon, oneMinusAccBeta1, oneMinusAccBeta2)
//   -> [newValue, newM, newV] (plain Float32Arrays), exactly tfjs's AdamOptimizer update:
//   m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;
//   value' = value − lr · (m'/(1−β1ᵗ)) / (√(v'/(1−β2ᵗ)) + ε)
Napi::Value Adam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg value = plainArg(info, 0, "adam value");
  TensorArg m = plainArg(info, 1, "adam m");
  TensorArg v = plainArg(info, 2, "adam v");
  TensorArg g = plainArg(info, 3, "adam gradient");
  const size_t n = value.length;
  if (m.length != n || v.length != n || g.length != n) fail(env, "adam: value, moments and gradient need one size");
  const float lr = info[4].As<Napi::Number>().FloatValue(), beta1 = info[5].As<Napi::Number>().FloatValue();
  const float beta2 = info[6].As<Napi::Number>().FloatValue(), epsilon = info[7].As<Napi::Number>().FloatValue();
  const float correction1 = info[8].As<Napi::Number>().FloatValue(), correction2 = info[9].As<Napi::Number>().FloatValue();
  Napi::Float32Array newValue = newFloatArray(env, n), newM = newFloatArray(env, n), newV = newFloatArray(env, n);
  float *pw = newValue.Data(), *pm = newM.Data(), *pv = newV.Data();
  const float *w = value.data, *m0 = m.data, *v0 = v.data, *gr = g.data;
  const int64_t count = static_cast<int64_t>(n);
#pragma omp parallel for simd schedule(static) if (count > 262144)
  for (int64_t i = 0; i < count; i++) {
    const float mi = beta1 * m0[i] + (1.f - beta1) * gr[i];
    const float vi = beta2 * v0[i] + (1.f - beta2) * (gr[i] * gr[i]);
    pm[i] = mi;
    pv[i] = vi;
    pw[i] = w[i] - lr * ((mi / correction1) / (std::sqrt(vi / correction2) + epsilon));
  }
  Napi::Array out = Napi::Array::New(env, 3);
  out.Set(0u, newValue);
  out.Set(1u, newM);
  out.Set(2u, newV);
  return out;
}

}  // namespace

void registerOptimizerExports(Napi::Env env, Napi::Object exports) {
  exports.Set("adam", Napi::Function::New(env, Adam, "adam"));
}

}  // namespace convnote
