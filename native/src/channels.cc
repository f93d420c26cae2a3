#include "channels.h"

#include <algorithm>
#include <vector>

namespace convnote {

using dnnl::algorithm;

memory::desc activationDesc(const TensorArg& t, const dims& shape, Napi::Env env, const char* what) {
  if (shape.size() != 4) fail(env, std::string(what) + ": needs a 4-D tensor");
  return descOf(t, {shape[0], shape[3], shape[1], shape[2]}, memory::format_tag::nhwc, env, what);
}

/**
 * Per-channel sums over height and width, and over the batch too unless `perImage` (a bias
 * gradient, batch-norm statistics, global average pooling), in one pass: oneDNN 2.6 has only its
 * reference reduction for these, about 50 times slower. `sums` holds C (or N·C) values.
 */
bool channelSums(const float* x, const memory::desc& d, double* sums, bool perImage) {
  ChannelLayout l;
  if (!ChannelLayout::from(d, l)) return false;
  const int64_t images = perImage ? l.n : 1, padded = l.padded();
  std::vector<double> partial = sumsInThreadOrder(static_cast<size_t>(images * padded), [&](double* mine) {
    withBlock(l.block, [&](auto block) {
#pragma omp for collapse(2) schedule(static)
      for (int64_t i = 0; i < l.n; i++)
        for (int64_t y = 0; y < l.h; y++)
          for (int64_t cb = 0; cb < l.blocks; cb++) {
            double* acc = mine + (perImage ? i * padded : 0) + cb * block;
            const float* row = x + i * l.sn + cb * l.sb + y * l.sh;
            for (int64_t xw = 0; xw < l.w; xw++) {
              const float* v = row + xw * l.sw;
#pragma omp simd
              for (int64_t k = 0; k < block; k++) acc[k] += v[k];
            }
          }
    });
  });
  for (int64_t i = 0; i < images; i++)
    for (int64_t k = 0; k < l.channels; k++) sums[i * l.channels + k] = partial[i * padded + k];
  return true;
}

/**
 * out = x (op) v[channel] for a per-channel vector v (a bias add, batch norm's scale and shift),
 * where oneDNN 2.6 falls back to its reference kernel for blocked layouts. Padded channels
 * stay zero. Returns false for layouts it does not walk.
 */
bool channelBroadcast(algorithm alg, const float* x, const memory::desc& d, const float* v, float* out) {
  ChannelLayout l;
  if (!ChannelLayout::from(d, l)) return false;
  if (alg != algorithm::binary_add && alg != algorithm::binary_sub && alg != algorithm::binary_mul && alg != algorithm::binary_div &&
      alg != algorithm::binary_max && alg != algorithm::binary_min) {
    return false;
  }
  std::vector<float> vec(static_cast<size_t>(l.padded()), 0.f);
  std::copy(v, v + l.channels, vec.begin());
  const float* pv = vec.data();
  const int64_t channels = l.channels;
  withBlock(l.block, [&](auto block) {
    l.forEachRow([&](int64_t offset, int64_t first) {
      const float* in = x + offset;
      float* o = out + offset;
      const float* c = pv + first;
      switch (alg) {
        case algorithm::binary_add:
#pragma omp simd
          for (int64_t k = 0; k < block; k++) o[k] = in[k] + c[k];
          break;
        case algorithm::binary_sub:
#pragma omp simd
          for (int64_t k = 0; k < block; k++) o[k] = in[k] - c[k];
          break;
        case algorithm::binary_mul:
#pragma omp simd
          for (int64_t k = 0; k < block; k++) o[k] = in[k] * c[k];
          break;
        case algorithm::binary_max:
          for (int64_t k = 0; k < block; k++) o[k] = first + k < channels ? std::max(in[k], c[k]) : 0.f;
          break;
        case algorithm::binary_min:
          for (int64_t k = 0; k < block; k++) o[k] = first + k < channels ? std::min(in[k], c[k]) : 0.f;
          break;
        default:
          for (int64_t k = 0; k < block; k++) o[k] = first + k < channels ? in[k] / c[k] : 0.f;
      }
    });
  });
  return true;
}

}  // namespace convnote
