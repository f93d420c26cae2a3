#include "common.h"

#include <node.h>
#include <omp.h>

#include <cstdlib>
#include <unordered_map>
#include <utility>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace convnote {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

void fail(Napi::Env env, const std::string& message) {
  throw Napi::Error::New(env, "ConvNote native: " + message);
}

TensorArg tensorArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  TensorArg t = plainArg(info, i, what);
  if (!info[i + 1].IsNumber()) fail(info.Env(), std::string(what) + ": expected a layout id after the array");
  t.layout = info[i + 1].As<Napi::Number>().Int32Value();
  return t;
}

TensorArg plainArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    fail(info.Env(), std::string(what) + ": expected a Float32Array");
  }
  auto a = info[i].As<Napi::Float32Array>();
  TensorArg t;
  t.data = a.Data();
  t.length = a.ElementLength();
  return t;
}

dims intArray(const Napi::Value& value, const char* what) {
  if (!value.IsArray()) throw Napi::Error::New(value.Env(), std::string("ConvNote native: ") + what + ": expected an array of integers");
  auto a = value.As<Napi::Array>();
  dims out(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out[i] = a.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

Napi::Float32Array newFloatArray(Napi::Env env, size_t floats) {
  // A Node Buffer's memory is not zeroed (every kernel writes all of its output), and V8 owns
  // it: freed by the garbage collector, or at once by release().
  auto buffer = Napi::Buffer<uint8_t>::New(env, floats * sizeof(float));
  return Napi::Float32Array::New(env, floats, buffer.ArrayBuffer(), buffer.ByteOffset());
}

namespace {

/** Blocks newTensorArray allocated and release() has not freed yet, with their sizes. */
std::unordered_map<void*, size_t>& ownedBlocks() {
  static std::unordered_map<void*, size_t> blocks;
  return blocks;
}
size_t ownedBytes = 0;

}  // namespace

Napi::Float32Array newTensorArray(Napi::Env env, size_t floats) {
  const size_t bytes = floats * sizeof(float);
  // oneDNN's kernels want 64-byte aligned data; aligned_alloc wants a multiple of the alignment.
  void* block = std::aligned_alloc(64, std::max<size_t>(64, (bytes + 63) & ~size_t{63}));
  if (block == nullptr) fail(env, "out of memory for a " + std::to_string(bytes >> 20) + " MB tensor");
  ownedBlocks().emplace(block, bytes);
  ownedBytes += bytes;
  // A backing store with V8's empty deleter is ConvNote's to free and is not counted as the
  // isolate's external memory (V8's BackingStore::PerIsolateAccountingLength).
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(block, bytes, v8::BackingStore::EmptyDeleter, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  // A v8::Local is what a napi_value points at (Node's JsValueFromV8LocalValue).
  Napi::ArrayBuffer arrayBuffer(env, reinterpret_cast<napi_value>(*buffer));
  return Napi::Float32Array::New(env, floats, arrayBuffer, 0);
}

void releaseArray(Napi::ArrayBuffer buffer) {
  if (buffer.IsDetached()) return;
  void* block = buffer.Data();
  buffer.Detach();
  auto owned = ownedBlocks().find(block);
  if (owned == ownedBlocks().end()) return;
  ownedBytes -= owned->second;
  ownedBlocks().erase(owned);
  std::free(block);
}

std::pair<size_t, size_t> tensorMemory() { return {ownedBlocks().size(), ownedBytes}; }

void keepFreedMemory() {
#ifdef __GLIBC__
  // glibc gives each allocation above 128 KiB its own fresh pages and returns them on free, so
  // every activation of every step page-faults its way in. Kept in the heap instead, a freed
  // activation's memory serves the next one (PyTorch's caching allocator does the same).
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

Napi::Object tensorResult(Napi::Env env, Napi::Float32Array data, int layout) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("data", data);
  o.Set("layout", Napi::Number::New(env, layout));
  return o;
}

SingleThreadBelow::SingleThreadBelow(size_t bytes, size_t limit) {
  if (bytes >= limit) return;
  saved_ = omp_get_max_threads();
  omp_set_num_threads(1);
}

SingleThreadBelow::~SingleThreadBelow() {
  if (saved_ > 0) omp_set_num_threads(saved_);
}

dnnl::primitive_attr userScratchpad(dnnl::primitive_attr attr) {
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

void run(const dnnl::primitive& p, const std::unordered_map<int, memory>& args) {
  // Calls run one at a time (JavaScript's thread), so one scratchpad serves them all.
  static std::vector<uint8_t> scratchpad;
  const dnnl_memory_desc_t* md = dnnl_primitive_desc_query_md(p.get_primitive_desc(), dnnl_query_scratchpad_md, 0);
  memory::desc scratch = md == nullptr ? memory::desc() : memory::desc(*md);
  size_t bytes = scratch.get_size();
  if (bytes == 0) {
    p.execute(cpuStream(), args);
  } else {
    if (scratchpad.size() < bytes) scratchpad.resize(bytes);
    std::unordered_map<int, memory> all(args);
    all.emplace(DNNL_ARG_SCRATCHPAD, memory(scratch, cpuEngine(), scratchpad.data()));
    p.execute(cpuStream(), all);
  }
  cpuStream().wait();
}

}  // namespace convnote
