// The ConvNote native backend's addon: oneDNN kernels for TensorFlow.js, called from
// src/backend/native/. Each file registers its own exports.
#include <omp.h>

#include "common.h"
#include "layouts.h"

namespace convnote {

void registerConvExports(Napi::Env env, Napi::Object exports);
void registerPoolExports(Napi::Env env, Napi::Object exports);
void registerEltwiseExports(Napi::Env env, Napi::Object exports);
void registerMatMulExports(Napi::Env env, Napi::Object exports);
void registerBatchNormExports(Napi::Env env, Napi::Object exports);
void registerOptimizerExports(Napi::Env env, Napi::Object exports);

namespace {

const char* isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

// info() -> { onednn, isa, threads, runtime }
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const dnnl_version_t* v = dnnl::version();
  Napi::Object o = Napi::Object::New(env);
  o.Set("onednn", Napi::String::New(env, std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch)));
  o.Set("isa", Napi::String::New(env, isaName(dnnl::get_effective_cpu_isa())));
  o.Set("threads", Napi::Number::New(env, omp_get_max_threads()));
  o.Set("runtime", Napi::String::New(env, "OpenMP"));
  return o;
}

// setThreads(n): the threads oneDNN and ConvNote's own loops use from now on.
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1) fail(info.Env(), "setThreads: need at least one thread");
  omp_set_num_threads(n);
  return info.Env().Undefined();
}

// release(array): frees a Float32Array's memory now (its ArrayBuffer becomes detached and
// empty). Only for arrays JavaScript handed to no one else.
Napi::Value Release(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray()) fail(info.Env(), "release: expected a typed array");
  releaseArray(info[0].As<Napi::TypedArray>().ArrayBuffer());
  return info.Env().Undefined();
}

// tensorMemory() -> { tensors, bytes }: the blocked results not yet released.
Napi::Value TensorMemory(const Napi::CallbackInfo& info) {
  auto [tensors, bytes] = tensorMemory();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("tensors", Napi::Number::New(info.Env(), static_cast<double>(tensors)));
  o.Set("bytes", Napi::Number::New(info.Env(), static_cast<double>(bytes)));
  return o;
}

}  // namespace

Napi::Object registerExports(Napi::Env env, Napi::Object exports) {
  keepFreedMemory();
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("release", Napi::Function::New(env, Release, "release"));
  exports.Set("tensorMemory", Napi::Function::New(env, TensorMemory, "tensorMemory"));
  registerLayoutExports(env, exports);
  registerConvExports(env, exports);
  registerPoolExports(env, exports);
  registerEltwiseExports(env, exports);
  registerMatMulExports(env, exports);
  registerBatchNormExports(env, exports);
  registerOptimizerExports(env, exports);
  return exports;
}

}  // namespace convnote

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return convnote::registerExports(env, exports); }

NODE_API_MODULE(convnote_native, InitAddon)
