// Batch normalization per channel, in the layout the activation arrives in: the moments of a
// batch, the normalization itself (x·a + b), and the two gradients that training needs —
// through the normalization (to x, mean, variance, scale and offset, in one reading pass and one
// writing pass) and through the moments back to x (one pass). TensorFlow.js writes each of these
// as half a dozen element-wise operations over the whole activation.
#include <algorithm>
#include <cmath>
#include <vector>

#include "channels.h"
#include "common.h"

namespace convnote {
namespace {

ChannelLayout channelLayout(const memory::desc& d, Napi::Env env, const char* what) {
  ChannelLayout l;
  if (!ChannelLayout::from(d, l)) fail(env, std::string(what) + ": the layout does not keep channels innermost");
  return l;
}

/** A per-channel vector argument, padded with `fill` to the layout's whole blocks. */
std::vector<float> channelVector(const Napi::Value& v, const ChannelLayout& l, float fill, Napi::Env env, const char* what) {
  std::vector<float> out(static_cast<size_t>(l.padded()), fill);
  if (v.IsNull() || v.IsUndefined()) return out;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) fail(env, std::string(what) + ": expected a Float32Array");
  auto a = v.As<Napi::Float32Array>();
  if (a.ElementLength() < static_cast<size_t>(l.channels)) fail(env, std::string(what) + ": needs one value per channel");
  std::copy(a.Data(), a.Data() + l.channels, out.begin());
  return out;
}

Napi::Float32Array floats(Napi::Env env, const std::vector<double>& values, int64_t count) {
  Napi::Float32Array out = newFloatArray(env, static_cast<size_t>(count));
  for (int64_t k = 0; k < count; k++) out[k] = static_cast<float>(values[k]);
  return out;
}

/** x·a[c] + b[c] in x's layout (a and b padded to the layout's blocks, zero past the channels). */
Napi::Object affine(Napi::Env env, const TensorArg& x, const memory::desc& d, const ChannelLayout& l, const std::vector<float>& a,
                    const std::vector<float>& b) {
  Napi::Float32Array out = newTensorArray(env, d.get_size() / sizeof(float));
  const float *pa = a.data(), *pb = b.data(), *in = x.data;
  float* o = out.Data();
  withBlock(l.block, [&](auto block) {
    l.forEachRow([&](int64_t offset, int64_t first) {
#pragma omp simd
      for (int64_t k = 0; k < block; k++) o[offset + k] = in[offset + k] * pa[first + k] + pb[first + k];
    });
  });
  return tensorResult(env, out, x.layout);
}

// channelAffine(x, xLayout, shape, scale, shift) -> { data, layout } in x's layout: x·scale[c] + shift[c].
Napi::Value ChannelAffine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg x = tensorArg(info, 0, "channelAffine x");
  memory::desc d = activationDesc(x, intArray(info[2], "channelAffine shape"), env, "channelAffine x");
  ChannelLayout l = channelLayout(d, env, "channelAffine");
  // Padded channels get scale 0 and shift 0, so they stay zero.
  std::vector<float> a = channelVector(info[3], l, 0.f, env, "channelAffine scale");
  std::vector<float> b = channelVector(info[4], l, 0.f, env, "channelAffine shift");
  return affine(env, x, d, l, a, b);
}

// channelMoments(x, xLayout, shape) -> { mean, variance } over batch, height and width, per
// channel (two passes: the mean first, then the squared deviations from it, which stays exact
// where a sum of squares minus a squared sum would cancel).
Napi::Value ChannelMoments(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg x = tensorArg(info, 0, "channelMoments x");
  dims shape = intArray(info[2], "channelMoments shape");
  memory::desc d = activationDesc(x, shape, env, "channelMoments x");
  ChannelLayout l = channelLayout(d, env, "channelMoments");
  const double count = static_cast<double>(l.n * l.h * l.w);
  std::vector<double> sums(static_cast<size_t>(l.channels));
  channelSums(x.data, d, sums.data(), false);
  std::vector<float> mean(static_cast<size_t>(l.padded()), 0.f);
  for (int64_t k = 0; k < l.channels; k++) mean[k] = static_cast<float>(sums[k] / count);
  const float* in = x.data;
  std::vector<double> partial = sumsInThreadOrder(static_cast<size_t>(l.padded()), [&](double* mine) {
    withBlock(l.block, [&](auto block) {
#pragma omp for collapse(2) schedule(static)
      for (int64_t i = 0; i < l.n; i++)
        for (int64_t y = 0; y < l.h; y++)
          for (int64_t cb = 0; cb < l.blocks; cb++)
            for (int64_t xw = 0; xw < l.w; xw++) {
              const float* v = in + i * l.sn + cb * l.sb + y * l.sh + xw * l.sw;
              const float* m = mean.data() + cb * block;
              double* acc = mine + cb * block;
#pragma omp simd
              for (int64_t k = 0; k < block; k++) {
                const double dev = static_cast<double>(v[k]) - m[k];
                acc[k] += dev * dev;
              }
            }
    });
  });
  Napi::Object result = Napi::Object::New(env);
  Napi::Float32Array meanOut = newFloatArray(env, static_cast<size_t>(l.channels));
  std::copy(mean.begin(), mean.begin() + l.channels, meanOut.Data());
  std::vector<double> variance(static_cast<size_t>(l.channels));
  for (int64_t k = 0; k < l.channels; k++) variance[k] = partial[k] / count;
  result.Set("mean", meanOut);
  result.Set("variance", floats(env, variance, l.channels));
  return result;
}

// momentsBackward(x, xLayout, shape, mean, dmean, dvariance) -> { data, layout } in x's layout:
// dx = dmean[c]/M + dvariance[c]·2(x − mean[c])/M, M = N·H·W.
Napi::Value MomentsBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg x = tensorArg(info, 0, "momentsBackward x");
  memory::desc d = activationDesc(x, intArray(info[2], "momentsBackward shape"), env, "momentsBackward x");
  ChannelLayout l = channelLayout(d, env, "momentsBackward");
  const float count = static_cast<float>(l.n * l.h * l.w);
  std::vector<float> mean = channelVector(info[3], l, 0.f, env, "momentsBackward mean");
  std::vector<float> dmean = channelVector(info[4], l, 0.f, env, "momentsBackward dmean");
  std::vector<float> dvar = channelVector(info[5], l, 0.f, env, "momentsBackward dvariance");
  // dx = x·a + b per channel, with a = 2·dvar/M and b = dmean/M − a·mean; padded channels 0.
  std::vector<float> a(static_cast<size_t>(l.padded()), 0.f), b(static_cast<size_t>(l.padded()), 0.f);
  for (int64_t k = 0; k < l.channels; k++) {
    a[k] = 2.f * dvar[k] / count;
    b[k] = dmean[k] / count - a[k] * mean[k];
  }
  return affine(env, x, d, l, a, b);
}

// batchNormBackward(dy, dyLayout, x, xLayout, shape, mean, variance, scale | null, epsilon, throughMoments)
//   -> { dx: { data, layout }, dmean, dvariance, dscale, doffset }
// The gradient of y = (x − mean)·scale/√(variance + ε) + offset with the moments as inputs
// (their own gradient to x is momentsBackward's), or, with throughMoments, with the moments
// computed from x itself (a training batch's): dx then includes their gradient. One pass sums dy and dy·(x − mean) per
// channel; a second writes dx = dy·scale/√(variance + ε).
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TensorArg dy = tensorArg(info, 0, "batchNormBackward dy");
  TensorArg x = tensorArg(info, 2, "batchNormBackward x");
  dims shape = intArray(info[4], "batchNormBackward shape");
  memory::desc xd = activationDesc(x, shape, env, "batchNormBackward x");
  memory::desc dyd = activationDesc(dy, shape, env, "batchNormBackward dy");
  static memory converted;
  const float* dyData = dy.data;
  if (dyd != xd) {
    // Both are read row by row together, so dy must be in x's layout.
    if (!converted || converted.get_desc() != xd) converted = memory(xd, cpuEngine());
    reorder(memory(dyd, cpuEngine(), dy.data), converted);
    dyData = static_cast<const float*>(converted.get_data_handle());
  }
  ChannelLayout l = channelLayout(xd, env, "batchNormBackward");
  std::vector<float> mean = channelVector(info[5], l, 0.f, env, "batchNormBackward mean");
  std::vector<float> variance = channelVector(info[6], l, 1.f, env, "batchNormBackward variance");
  std::vector<float> scale = channelVector(info[7], l, 1.f, env, "batchNormBackward scale");
  const float epsilon = info[8].As<Napi::Number>().FloatValue();
  // With the batch's own moments (training), dx also carries their gradient.
  const bool throughMoments = info.Length() > 9 && info[9].ToBoolean().Value();
  // One accumulator of 2·C: the sums of dy, then of dy·(x − mean).
  const float* in = x.data;
  const int64_t padded = l.padded();
  std::vector<double> sums = sumsInThreadOrder(static_cast<size_t>(2 * padded), [&](double* mine) {
    withBlock(l.block, [&](auto block) {
#pragma omp for collapse(2) schedule(static)
      for (int64_t i = 0; i < l.n; i++)
        for (int64_t y = 0; y < l.h; y++)
          for (int64_t cb = 0; cb < l.blocks; cb++)
            for (int64_t xw = 0; xw < l.w; xw++) {
              const int64_t offset = i * l.sn + cb * l.sb + y * l.sh + xw * l.sw;
              const float *g = dyData + offset, *v = in + offset, *m = mean.data() + cb * block;
              double *s1 = mine + cb * block, *s2 = mine + padded + cb * block;
#pragma omp simd
              for (int64_t k = 0; k < block; k++) {
                s1[k] += g[k];
                s2[k] += static_cast<double>(g[k]) * (v[k] - m[k]);
              }
            }
    });
  });
  const double* sumDy = sums.data();
  const double* sumDyDev = sums.data() + padded;
  // dx = dy·a + x·b + c per channel. With the moments as inputs, a = scale/√(variance + ε) and
  // b = c = 0. Through the moments too (M = N·H·W values per channel), their gradients
  // dmean/M + dvariance·2(x − mean)/M add b = 2·dvariance/M and c = dmean/M − b·mean.
  std::vector<float> a(static_cast<size_t>(l.padded()), 0.f), b(a), c(a);
  std::vector<double> dmean(static_cast<size_t>(l.channels)), dvar(static_cast<size_t>(l.channels)), dscale(static_cast<size_t>(l.channels));
  const double count = static_cast<double>(l.n * l.h * l.w);
  for (int64_t k = 0; k < l.channels; k++) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(variance[k]) + epsilon);
    a[k] = static_cast<float>(scale[k] * inv);
    dmean[k] = -scale[k] * inv * sumDy[k];
    dvar[k] = -0.5 * scale[k] * inv * inv * inv * sumDyDev[k];
    dscale[k] = inv * sumDyDev[k];
    if (throughMoments) {
      const double bk = 2 * dvar[k] / count;
      b[k] = static_cast<float>(bk);
      c[k] = static_cast<float>(dmean[k] / count - bk * mean[k]);
    }
  }
  Napi::Float32Array dx = newTensorArray(env, xd.get_size() / sizeof(float));
  float* o = dx.Data();
  const float *pa = a.data(), *pb = b.data(), *pc = c.data();
  withBlock(l.block, [&](auto block) {
    if (throughMoments) {
      l.forEachRow([&](int64_t offset, int64_t first) {
#pragma omp simd
        for (int64_t k = 0; k < block; k++) o[offset + k] = dyData[offset + k] * pa[first + k] + in[offset + k] * pb[first + k] + pc[first + k];
      });
    } else {
      l.forEachRow([&](int64_t offset, int64_t first) {
#pragma omp simd
        for (int64_t k = 0; k < block; k++) o[offset + k] = dyData[offset + k] * pa[first + k];
      });
    }
  });
  Napi::Object result = Napi::Object::New(env);
  result.Set("dx", tensorResult(env, dx, x.layout));
  result.Set("dmean", floats(env, dmean, l.channels));
  result.Set("dvariance", floats(env, dvar, l.channels));
  result.Set("dscale", floats(env, dscale, l.channels));
  result.Set("doffset", floats(env, std::vector<double>(sumDy, sumDy + l.channels), l.channels));
  return result;
}

}  // namespace

void registerBatchNormExports(Napi::Env env, Napi::Object exports) {
  exports.Set("channelAffine", Napi::Function::New(env, ChannelAffine, "channelAffine"));
  exports.Set("channelMoments", Napi::Function::New(env, ChannelMoments, "channelMoments"));
  exports.Set("momentsBackward", Napi::Function::New(env, MomentsBackward, "momentsBackward"));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward, "batchNormBackward"));
}

}  // namespace convnote
