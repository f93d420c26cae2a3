# The ConvNote native backend (see README.md here). Built by `node native/build.js`, which
# npm runs at install; needs Debian's libdnnl-dev (oneDNN) and a C++17 compiler.
{
  "targets": [
    {
      "target_name": "convnote_native",
      "sources": ["src/addon.cc", "src/common.cc", "src/layouts.cc", "src/conv.cc", "src/pool.cc", "src/eltwise.cc", "src/matmul.cc", "src/channels.cc", "src/batchnorm.cc", "src/optimizer.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-ldnnl", "-fopenmp"]
    }
  ]
}
