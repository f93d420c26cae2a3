#include "layouts.h"

#include <algorithm>
#include <unordered_map>

namespace convnote {
namespace {

struct Registry {
  std::vector<memory::desc> descs{memory::desc()};  // index 0 unused: "plain"
  std::unordered_multimap<uint64_t, int> byHash;
};

Registry& registry() {
  static Registry r;
  return r;
}

// FNV-1a over the fields that tell two descriptors apart; equal descriptors hash equally.
uint64_t hashDesc(const memory::desc& d) {
  const dnnl_memory_desc_t& c = d.data;
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](int64_t v) {
    h ^= static_cast<uint64_t>(v);
    h *= 1099511628211ull;
  };
  mix(c.ndims);
  mix(c.data_type);
  mix(c.format_kind);
  for (int i = 0; i < c.ndims; i++) mix(c.dims[i]), mix(c.padded_dims[i]);
  if (c.format_kind == dnnl_blocked) {
    const auto& b = c.format_desc.blocking;
    for (int i = 0; i < c.ndims; i++) mix(b.strides[i]);
    mix(b.inner_nblks);
    for (int i = 0; i < b.inner_nblks; i++) mix(b.inner_blks[i]), mix(b.inner_idxs[i]);
  }
  return h;
}

}  // namespace

int internLayout(const memory::desc& d) {
  Registry& r = registry();
  uint64_t h = hashDesc(d);
  auto range = r.byHash.equal_range(h);
  for (auto it = range.first; it != range.second; ++it) {
    if (r.descs[it->second] == d) return it->second;
  }
  int id = static_cast<int>(r.descs.size());
  r.descs.push_back(d);
  r.byHash.emplace(h, id);
  return id;
}

const memory::desc& layoutDesc(int id) {
  Registry& r = registry();
  if (id <= 0 || static_cast<size_t>(id) >= r.descs.size()) throw std::out_of_range("unknown layout id " + std::to_string(id));
  return r.descs[id];
}

memory::desc plainDesc(const dims& logical, memory::format_tag plainTag) {
  return memory::desc(logical, memory::data_type::f32, plainTag);
}

memory::format_tag plainActivationTag(int ndims) {
  switch (ndims) {
    case 1: return memory::format_tag::a;
    case 2: return memory::format_tag::nc;
    case 3: return memory::format_tag::nwc;
    case 4: return memory::format_tag::nhwc;
    case 5: return memory::format_tag::ndhwc;
    default: throw std::invalid_argument("no plain layout for rank " + std::to_string(ndims));
  }
}

memory::desc descOf(const TensorArg& t, const dims& logical, memory::format_tag plainTag, Napi::Env env, const char* what) {
  if (t.layout == 0) {
    memory::desc d = plainDesc(logical, plainTag);
    if (t.length * sizeof(float) < d.get_size()) fail(env, std::string(what) + ": the array is shorter than its shape");
    return d;
  }
  const memory::desc& d = layoutDesc(t.layout);
  if (d.dims() != logical) fail(env, std::string(what) + ": the stored layout does not match the tensor's shape");
  if (t.length * sizeof(float) < d.get_size()) fail(env, std::string(what) + ": the array is shorter than its layout");
  return d;
}

int layoutIdFor(const memory::desc& d, const dims& logical, memory::format_tag plainTag) {
  if (d == plainDesc(logical, plainTag)) return 0;
  return internLayout(d);
}

void reorder(const memory& src, const memory& dst) {
  static std::unordered_map<std::string, dnnl::reorder> cache;
  std::string key = KeyBuilder().add(internLayout(src.get_desc())).add(internLayout(dst.get_desc())).key;
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, dnnl::reorder(src, dst, userScratchpad())).first;
  // A filter's reorder is a few microseconds of copying; on a machine where another program is
  // busy, waking a second thread for it can cost a scheduler slice, so small ones run on one.
  SingleThreadBelow small(src.get_desc().get_size(), 256 * 1024);
  run(it->second, {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}});
}

memory viewAs(const TensorArg& t, const memory::desc& have, const memory::desc& want, memory& scratch) {
  memory own(have, cpuEngine(), t.data);
  if (have == want) return own;
  if (!scratch || scratch.get_desc() != want) scratch = memory(want, cpuEngine());
  reorder(own, scratch);
  return scratch;
}

std::string formatName(const memory::desc& d) {
  const dnnl_memory_desc_t& c = d.data;
  if (c.format_kind != dnnl_blocked) return "any";
  const char* letters = c.ndims == 4 ? "nchw" : c.ndims == 2 ? "nc" : "abcdef";
  const auto& b = c.format_desc.blocking;
  std::vector<int> order;
  for (int i = 0; i < c.ndims; i++) order.push_back(i);
  // Outer dimensions from the largest stride to the smallest, as oneDNN names its tags.
  std::stable_sort(order.begin(), order.end(), [&b](int x, int y) { return b.strides[x] > b.strides[y]; });
  std::string name;
  for (int i : order) {
    bool blocked = false;
    for (int k = 0; k < b.inner_nblks; k++) blocked = blocked || b.inner_idxs[k] == i;
    name += blocked ? static_cast<char>(letters[i] - 'a' + 'A') : letters[i];
  }
  for (int k = 0; k < b.inner_nblks; k++) name += std::to_string(b.inner_blks[k]) + letters[b.inner_idxs[k]];
  return name;
}

namespace {

// toPlain(data, layout) -> Float32Array in the plain layout of the layout's rank (NHWC).
Napi::Value ToPlain(const Napi::CallbackInfo& info) {
  TensorArg t = tensorArg(info, 0, "toPlain");
  if (t.layout == 0) fail(info.Env(), "toPlain: the data is already plain");
  const memory::desc& have = layoutDesc(t.layout);
  memory::desc want = plainDesc(have.dims(), plainActivationTag(have.data.ndims));
  Napi::Float32Array out = newFloatArray(info.Env(), want.get_size() / sizeof(float));
  reorder(memory(have, cpuEngine(), t.data), memory(want, cpuEngine(), out.Data()));
  return out;
}

// fromPlain(data, layout) -> Float32Array of the plain data reordered into `layout`.
Napi::Value FromPlain(const Napi::CallbackInfo& info) {
  TensorArg t = plainArg(info, 0, "fromPlain");
  int layout = info[1].As<Napi::Number>().Int32Value();
  const memory::desc& want = layoutDesc(layout);
  memory::desc have = plainDesc(want.dims(), plainActivationTag(want.data.ndims));
  if (t.length * sizeof(float) < have.get_size()) fail(info.Env(), "fromPlain: the array is shorter than the layout's shape");
  Napi::Float32Array out = newFloatArray(info.Env(), want.get_size() / sizeof(float));
  reorder(memory(have, cpuEngine(), t.data), memory(want, cpuEngine(), out.Data()));
  return out;
}

// layoutInfo(layout) -> { dims, floats, format } for tests and reports.
Napi::Value LayoutInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int id = info[0].As<Napi::Number>().Int32Value();
  const memory::desc& d = layoutDesc(id);
  Napi::Object o = Napi::Object::New(env);
  Napi::Array dimsOut = Napi::Array::New(env);
  auto ds = d.dims();
  for (size_t i = 0; i < ds.size(); i++) dimsOut.Set(i, Napi::Number::New(env, static_cast<double>(ds[i])));
  o.Set("dims", dimsOut);
  o.Set("floats", Napi::Number::New(env, static_cast<double>(d.get_size() / sizeof(float))));
  o.Set("format", Napi::String::New(env, formatName(d)));
  return o;
}

}  // namespace

void registerLayoutExports(Napi::Env env, Napi::Object exports) {
  exports.Set("toPlain", Napi::Function::New(env, ToPlain, "toPlain"));
  exports.Set("fromPlain", Napi::Function::New(env, FromPlain, "fromPlain"));
  exports.Set("layoutInfo", Napi::Function::New(env, LayoutInfo, "layoutInfo"));
}

}  // namespace convnote
