// A cache of primitives (and the scratch memory they reuse), keyed by everything that decides
// their shape. oneDNN compiles a kernel when a primitive is created, which costs far more than
// running it on a small batch, so each distinct configuration is created once.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

namespace convnote {

template <typename Entry>
class PrimitiveCache {
 public:
  /** The entry for `key`, made by `make()` the first time. */
  template <typename Make>
  Entry& get(const std::string& key, Make make) {
    auto it = entries_.find(key);
    if (it != entries_.end()) return *it->second;
    // A network has a few dozen configurations; an unbounded stream of new shapes (variable
    // input sizes) must not grow memory forever.
    if (entries_.size() >= kCapacity) entries_.clear();
    return *entries_.emplace(key, std::make_unique<Entry>(make())).first->second;
  }

 private:
  static constexpr size_t kCapacity = 512;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace convnote
