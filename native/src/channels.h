// Per-channel kernels: a 4-D tensor whose channels are innermost, in NHWC or in a layout that
// blocks them (nChw16c), walked as rows of contiguous channels. oneDNN 2.6 runs per-channel
// broadcasts and reductions on blocked data with its reference kernels only; these are one
// vectorised, multi-threaded pass each.
#pragma once

#include <omp.h>

#include <type_traits>
#include <vector>

#include "common.h"
#include "layouts.h"

namespace convnote {

/**
 * How a 4-D tensor stores its channels when they are innermost: NHWC (one block of all
 * channels) or a layout that blocks them (nChw16c: blocks of 16, padded with zeros). The
 * per-channel kernels below walk rows of `block` contiguous channels.
 */
struct ChannelLayout {
  int64_t n, channels, h, w, block, blocks, sn, sb, sh, sw;

  static bool from(const memory::desc& d, ChannelLayout& out) {
    const dnnl_memory_desc_t& c = d.data;
    if (c.ndims != 4 || c.format_kind != dnnl_blocked) return false;
    const auto& b = c.format_desc.blocking;
    ChannelLayout l{};
    if (b.inner_nblks == 0 && b.strides[1] == 1) {
      l.block = c.padded_dims[1];
      for (int i = 0; i < 4; i++)
        if (i != 1 && b.strides[i] % l.block != 0) return false;  // channels innermost and whole
      l.sb = 0;
    } else if (b.inner_nblks == 1 && b.inner_idxs[0] == 1) {
      l.block = b.inner_blks[0];
      l.sb = b.strides[1];
    } else {
      return false;
    }
    l.n = c.dims[0], l.channels = c.dims[1], l.h = c.dims[2], l.w = c.dims[3];
    l.blocks = (c.padded_dims[1] + l.block - 1) / l.block;
    l.sn = b.strides[0], l.sh = b.strides[2], l.sw = b.strides[3];
    out = l;
    return true;
  }

  int64_t padded() const { return blocks * block; }

  /** Calls f(offset of a row of `block` channels, first channel) for every row, in parallel. */
  template <typename F>
  void forEachRow(F f) const {
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t i = 0; i < n; i++)
      for (int64_t y = 0; y < h; y++)
        for (int64_t cb = 0; cb < blocks; cb++)
          for (int64_t x = 0; x < w; x++) f(i * sn + cb * sb + y * sh + x * sw, cb * block);
  }
};

/**
 * Calls f(block) with the channel block as a compile-time constant for the blocked layouts
 * oneDNN uses (16 for AVX-512, 8 for AVX2), else as a number: with a constant, the inner loop
 * over a row is one or two vector instructions instead of a loop with a remainder (a
 * per-channel affine pass over 4 MB took 2 ms with a variable block).
 */
template <typename F>
void withBlock(int64_t block, F f) {
  if (block == 16) f(std::integral_constant<int64_t, 16>{});
  else if (block == 8) f(std::integral_constant<int64_t, 8>{});
  else f(block);
}

/**
 * Runs body(accumulator) on each thread of a parallel region (the body shares its loops with
 * `#pragma omp for schedule(static)`), each thread with its own zeroed accumulator of `width`
 * doubles, and adds the accumulators up in thread order: the same sums on every run, as
 * seeded training needs, where `omp critical` would add them in whatever order threads finish.
 * Each thread's accumulator starts on its own cache line (sharing one, two threads' additions
 * made a moments pass slower on two threads than on one).
 */
template <typename Body>
std::vector<double> sumsInThreadOrder(size_t width, Body body) {
  const int threads = omp_get_max_threads();
  constexpr size_t kLine = 64 / sizeof(double);
  const size_t stride = (width + kLine - 1) / kLine * kLine;
  std::vector<double> storage(static_cast<size_t>(threads) * stride + kLine, 0.0);
  // The first 64-byte boundary in the storage.
  double* partial = storage.data() + (kLine - (reinterpret_cast<uintptr_t>(storage.data()) / sizeof(double)) % kLine) % kLine;
#pragma omp parallel num_threads(threads)
  body(partial + static_cast<size_t>(omp_get_thread_num()) * stride);
  std::vector<double> total(width, 0.0);
  for (int t = 0; t < threads; t++)
    for (size_t k = 0; k < width; k++) total[k] += partial[static_cast<size_t>(t) * stride + k];
  return total;
}

/**
 * Per-channel sums over height and width, and over the batch too unless `perImage`; `sums`
 * holds C (or N·C) values. False for a layout that does not keep channels innermost.
 */
bool channelSums(const float* x, const memory::desc& d, double* sums, bool perImage);

/**
 * out = x (op) v[channel] (add, sub, mul, div, max, min); padded channels stay zero. False for
 * another operation or a layout that does not keep channels innermost.
 */
bool channelBroadcast(dnnl::algorithm alg, const float* x, const memory::desc& d, const float* v, float* out);

/** The descriptor of a 4-D activation argument [N,H,W,C] (plain NHWC or its registered layout). */
memory::desc activationDesc(const TensorArg& t, const dims& shape, Napi::Env env, const char* what);

}  // namespace convnote
