#!/usr/bin/env bash
# The GPU check (bench/gpu-check.ts) on a machine with a GPU and no network, from the bundle
# bench/gpu-bundle.sh makes: the built project, Node.js, and Debian's Vulkan loader. Also runs
# from a checkout (after npm ci && npm run build).
#
#   ./gpu-check.sh                     # must find a hardware GPU; exits 1 otherwise
#   ./gpu-check.sh --allow-software --smoke   # the same flow on a software GPU (SwiftShader), tiny sizes
#   ./gpu-check.sh --json=results.json --skip-cpu-vgg16
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The bundle has the script at its root; a checkout has it in bench/.
if [ -f "$here/dist/bench/gpu-check.js" ]; then root="$here"; else root="$(cd "$here/.." && pwd)"; fi

node="$root/node/bin/node"
[ -x "$node" ] || node="$(command -v node || true)"
if [ -z "$node" ]; then
  echo "gpu-check: no Node.js: the bundle's node/bin/node is missing and none is on PATH" >&2
  exit 1
fi
echo "node: $node ($("$node" --version))"

if [ "$(uname -s)" = Linux ]; then
  # Dawn reaches the GPU through the Vulkan loader (libvulkan.so.1) and the vendor's driver (an ICD).
  have_loader=no
  ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 ' && have_loader=yes
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for d in "${dirs[@]}"; do [ -n "$d" ] && [ -e "$d/libvulkan.so.1" ] && have_loader=yes; done
  if [ "$have_loader" = no ]; then
    if [ -f "$root/vulkan/libvulkan.so.1" ]; then
      echo "vulkan: no libvulkan.so.1 on this machine; using the bundle's copy (Debian's libvulkan1) from $root/vulkan"
      export LD_LIBRARY_PATH="$root/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    else
      cat >&2 <<'MSG'
gpu-check: the Vulkan loader (libvulkan.so.1) is missing, and this bundle has no copy. Either
  - with network: apt-get install libvulkan1 (Debian/Ubuntu), dnf install vulkan-loader (Fedora/RHEL); or
  - offline: on any Debian/Ubuntu machine with network run `apt-get download libvulkan1`, copy the
    .deb here and `dpkg -i libvulkan1_*.deb` (as root), or unpack it without root:
    `dpkg-deb -x libvulkan1_*.deb /tmp/vk && export LD_LIBRARY_PATH=/tmp/vk/usr/lib/x86_64-linux-gnu`.
MSG
      exit 1
    fi
  else
    echo "vulkan: loader found"
  fi
  # The native backend's libraries (oneDNN, OpenMP), from the bundle where the machine lacks them.
  for lib in "$root"/lib/*.so*; do
    [ -e "$lib" ] || continue
    if ! ldconfig -p 2>/dev/null | grep -q "$(basename "$lib") "; then
      export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$root/lib"
      echo "libraries: $(basename "$lib") and others from the bundle's lib/"
      break
    fi
  done
  icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null | tr '\n' ' ')
  echo "vulkan drivers (ICD files): ${VK_ICD_FILENAMES:-${icds:-none found}}"
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)"
    if [ -z "$icds" ] && [ -z "${VK_ICD_FILENAMES:-}" ]; then
      echo "  NVIDIA's driver is there but not its Vulkan ICD: install the full driver (it ships nvidia_icd.json);" \
           "in a container set NVIDIA_DRIVER_CAPABILITIES=all (or include 'graphics') so the ICD is mounted."
    fi
  fi
fi

cd "$root" && exec "$node" dist/bench/gpu-check.js "$@"
