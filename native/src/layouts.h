// The layout registry: every oneDNN memory descriptor ConvNote has handed to JavaScript gets a
// small integer id, so that a tensor's layout can travel with it as a number. Equal descriptors
// share an id. Reorders between two layouts are cached by their pair of ids.
#pragma once

#include "common.h"

namespace convnote {

/** The id of `d` in the registry (adding it if new). Ids start at 1; 0 means "plain". */
int internLayout(const memory::desc& d);

/** The descriptor registered under `id` (id >= 1). */
const memory::desc& layoutDesc(int id);

/** The plain descriptor of logical `dims` (NCHW order for images, OIHW for filters). */
memory::desc plainDesc(const dims& logical, memory::format_tag plainTag);

/** The descriptor of a tensor argument: plain for layout 0, else the registered one. */
memory::desc descOf(const TensorArg& t, const dims& logical, memory::format_tag plainTag, Napi::Env env, const char* what);

/** The id JavaScript should store for data in `d`: 0 when `d` is the plain layout. */
int layoutIdFor(const memory::desc& d, const dims& logical, memory::format_tag plainTag);

/** Copies `src` into `dst` (different layouts of the same tensor), with a cached reorder. */
void reorder(const memory& src, const memory& dst);

/**
 * A memory object holding `t` in layout `want`: `t`'s own data when its layout already is
 * `want`, else a reordered copy in `scratch` (allocated on first use, reused after).
 */
memory viewAs(const TensorArg& t, const memory::desc& have, const memory::desc& want, memory& scratch);

/** The plain format tag ConvNote uses for activations of a given rank (NHWC for images). */
memory::format_tag plainActivationTag(int ndims);

/** A readable name of a layout, in oneDNN's tag style: "nhwc", "nChw16c", "OIhw16i16o". */
std::string formatName(const memory::desc& d);

void registerLayoutExports(Napi::Env env, Napi::Object exports);

}  // namespace convnote
