#include "common.h"

#include <omp.h>

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
  // V8 owns the memory (freed by the garbage collector, or at once by release()); for large
  // arrays its calloc maps fresh pages, so nothing is zeroed twice.
  auto buffer = Napi::ArrayBuffer::New(env, floats * sizeof(float));
  return Napi::Float32Array::New(env, floats, buffer, 0);
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

void run(const dnnl::primitive& p, const std::unordered_map<int, memory>& args) {
  p.execute(cpuStream(), args);
  cpuStream().wait();
}

}  // namespace convnote
