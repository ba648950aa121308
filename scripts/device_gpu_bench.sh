#!/usr/bin/env bash
# The GPU benchmark in one call on a lent device machine, which has no Deno, no network and maybe
# no Vulkan loader.
#
# Prepare once, on the development machine, in the repository root (.deno-bin and .gl are ignored):
#   mkdir -p .deno-bin && xz -T0 -6 -c "$(readlink -f "$(command -v deno)")" > .deno-bin/deno.xz
#   DENO_DIR=.deno-bin/cache deno cache --no-config --node-modules-dir=none \
#     bench/gpu_bench.ts lib/batch/_worker.ts          # the npm packages the bench needs: ~7 MB
#   mkdir -p .gl /tmp/amd64/partial
#   o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
#   apt-get $o update && (cd .gl && apt-get $o download libvulkan1)
# (.deno-bin about 38 MB and the tree about 4 MB: within the device tool's 64 MiB.) Then, with the
# device tool: command `bash scripts/device_gpu_bench.sh`, carry [".deno-bin", ".gl"], timeout 600.
# It prints the adapter and `deno task bench:gpu`'s tables at 10⁶ fits per model (GPU_BENCH_FITS
# to change), and keeps what it printed in $OUT/gpu_bench.txt when $OUT is set.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ldconfig -p 2>/dev/null | grep -q libvulkan; then
  for f in .gl/*.deb; do if [ -e "$f" ]; then dpkg -x "$f" /; fi; done
  ldconfig || true
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; fi
if ! command -v deno >/dev/null 2>&1; then
  mkdir -p /tmp/deno-bin
  xz -dc .deno-bin/deno.xz > /tmp/deno-bin/deno
  chmod +x /tmp/deno-bin/deno
  export PATH="/tmp/deno-bin:$PATH"
fi
export DENO_NO_UPDATE_CHECK=1 DENO_DIR="$PWD/.deno-bin/cache"
run=(deno run --no-config --node-modules-dir=none --cached-only --no-check -A --unstable-webgpu)
out="${OUT:-/tmp}/gpu_bench.txt"
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>/dev/null || true
  echo 'const a = await navigator.gpu?.requestAdapter({ powerPreference: "high-performance" });
const i = a?.info;
console.log("adapter:", i ? [i.vendor, i.architecture, i.device, i.description].join(" | ") : "none");' \
    > /tmp/adapter.ts
  "${run[@]}" /tmp/adapter.ts
  GPU_BENCH_FITS="${GPU_BENCH_FITS:-1000000}" "${run[@]}" bench/gpu_bench.ts
} 2>&1 | tee "$out"
