// Shared pieces of the ConvNote native backend: the oneDNN engine and stream, the tensor
// arguments that come from JavaScript, and output buffers handed back to it.
//
// A tensor crosses the boundary as a Float32Array plus a layout id. Layout 0 is "plain": the
// row-major order TensorFlow.js uses (NHWC for images, HWIO for filters). Any other id names a
// oneDNN memory descriptor in the layout registry (layouts.h), usually a blocked format such
// as nChw16c that a convolution chose for its output. JavaScript never reads blocked data; it
// asks for a plain copy (toPlain) when a non-native kernel or the user wants the values.
#pragma once

#include <napi.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace convnote {

using dnnl::memory;
using dims = memory::dims;

/** The process-wide CPU engine and its in-order stream. */
dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

/** Float32 data from JavaScript with the layout it is stored in. */
struct TensorArg {
  float* data = nullptr;
  size_t length = 0;  // in floats
  int layout = 0;     // 0 = plain
};

/** Reads argument `i` (a Float32Array) and `i + 1` (its layout id). */
TensorArg tensorArg(const Napi::CallbackInfo& info, size_t i, const char* what);

/** A plain float array (layout 0 implied), e.g. a filter or a bias. */
TensorArg plainArg(const Napi::CallbackInfo& info, size_t i, const char* what);

/** Reads a JavaScript array of integers. */
dims intArray(const Napi::Value& value, const char* what);

/**
 * A new Float32Array of `floats` elements over memory that oneDNN may write directly (64-byte
 * aligned, not zeroed). Its memory goes back to a size-keyed pool when JavaScript releases it
 * (release()) or when the garbage collector drops it.
 */
Napi::Float32Array newFloatArray(Napi::Env env, size_t floats);

/**
 * The output array of a kernel that answers `{ data, layout }` (a tensor's data, in any
 * layout). It never leaves the backend (readers get a copy), which frees it the moment tfjs
 * disposes its tensor (release()); its memory is ConvNote's, not counted by V8 as external
 * memory. Counted, a training step's 100+ MB of activations made V8 start a full garbage
 * collection every step, and its marking threads took the core oneDNN's second thread needed.
 */
Napi::Float32Array newTensorArray(Napi::Env env, size_t floats);

/** Frees an array's memory now (detaching it): a blocked result's, or a Node buffer's. */
void releaseArray(Napi::ArrayBuffer buffer);

/** How many tensor results (newTensorArray's) are alive, and their bytes. */
std::pair<size_t, size_t> tensorMemory();

/** Makes the C library keep large freed blocks for reuse instead of unmapping them (glibc). */
void keepFreedMemory();

/** `{ data, layout }`, what every kernel that may return blocked data answers. */
Napi::Object tensorResult(Napi::Env env, Napi::Float32Array data, int layout);

/** Throws a JavaScript Error naming the kernel. */
[[noreturn]] void fail(Napi::Env env, const std::string& message);

/** Appends integers to a cache key. */
struct KeyBuilder {
  std::string key;
  KeyBuilder& add(int64_t v) {
    key.append(reinterpret_cast<const char*>(&v), sizeof v);
    return *this;
  }
  KeyBuilder& add(const dims& d) {
    add(static_cast<int64_t>(d.size()));
    for (auto v : d) add(v);
    return *this;
  }
};

/** Within its scope, OpenMP work runs on the calling thread alone when it is smaller than `limit` bytes. */
class SingleThreadBelow {
 public:
  SingleThreadBelow(size_t bytes, size_t limit);
  ~SingleThreadBelow();
  SingleThreadBelow(const SingleThreadBelow&) = delete;
  SingleThreadBelow& operator=(const SingleThreadBelow&) = delete;

 private:
  int saved_ = 0;
};

/**
 * `attr` with a scratchpad ConvNote provides: one buffer, grown to the largest a primitive has
 * asked for, serves every call (oneDNN's default allocates and frees one per execution).
 */
dnnl::primitive_attr userScratchpad(dnnl::primitive_attr attr = dnnl::primitive_attr());

/** Runs a primitive on the engine's stream and waits for it. */
void run(const dnnl::primitive& p, const std::unordered_map<int, memory>& args);

}  // namespace convnote
