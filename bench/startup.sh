#!/usr/bin/env bash
# Start-up of the native pageatlas, whole process, as a user runs it: `translate <pid> <addr>` of one
# present page and `maps <pid>` of a small process (`sleep`), RUNS times each (default 21) after one
# warm-up run; prints the median, fastest and slowest wall time and the peak resident memory (GNU
# time), beside /bin/true (what starting any program costs here) and the JIT build
# (`dotnet PageAtlas.Cli.dll`, when built). The bar is a median of 25 ms or less for both commands:
# exit 1 when it is not met. Needs root (frames). PAGEATLAS=/path/to/pageatlas times another binary;
# by default artifacts/native/pageatlas (published by scripts/publish-native.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
bar_ms=25
native=${PAGEATLAS:-artifacts/native/pageatlas}
[[ -x $native ]] || scripts/publish-native.sh
jit_dll=src/PageAtlas.Cli/bin/Release/net10.0/PageAtlas.Cli.dll
mkdir -p bench/out

sleep 600 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [[ -s /proc/$pid/maps ]] && grep -q sleep "/proc/$pid/comm" && break; sleep 0.01; done
# The first VMA of sleep: its ELF header, a present file page.
address=0x$(head -1 "/proc/$pid/maps" | cut -d- -f1)

# Wall time of one run in microseconds, from bash's own clock (no extra process around it).
run_us() {
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  local end=$EPOCHREALTIME
  echo $(( (${end/./} - ${start/./}) ))
}

# name command...: prints "name median fastest slowest peak" and leaves the median in $median_us.
measure() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || { echo "startup: '$*' failed" >&2; exit 1; }
  local samples=()
  for ((i = 0; i < runs; i++)); do samples+=("$(run_us "$@")"); done
  mapfile -t samples < <(printf '%s\n' "${samples[@]}" | sort -n)
  median_us=${samples[$((runs / 2))]}
  /usr/bin/time -f %M -o bench/out/startup-time.txt "$@" >/dev/null 2>&1
  printf '%-36s %9.1f %9.1f %9.1f %9d\n' "$name" \
    "$(awk -v u="$median_us" 'BEGIN { print u / 1000 }')" \
    "$(awk -v u="${samples[0]}" 'BEGIN { print u / 1000 }')" \
    "$(awk -v u="${samples[$((runs - 1))]}" 'BEGIN { print u / 1000 }')" \
    "$(tail -1 bench/out/startup-time.txt)"
}

echo "target: sleep, pid $pid, $(wc -l < "/proc/$pid/maps") VMAs; address $address; $runs runs each; $(nproc) CPUs"
printf '%-36s %9s %9s %9s %9s\n' "command" "median ms" "min ms" "max ms" "peak KiB"
measure "/bin/true (floor)" /bin/true
measure "native translate" "$native" translate "$pid" "$address"
translate_us=$median_us
measure "native maps" "$native" maps "$pid"
maps_us=$median_us
measure "native maps --json" "$native" maps "$pid" --json
if [[ -f $jit_dll ]]; then
  measure "JIT translate (dotnet PageAtlas.Cli)" dotnet "$jit_dll" translate "$pid" "$address"
  measure "JIT maps (dotnet PageAtlas.Cli)" dotnet "$jit_dll" maps "$pid"
fi

if ((translate_us <= bar_ms * 1000 && maps_us <= bar_ms * 1000)); then
  echo "bar: native translate and maps medians are within ${bar_ms} ms"
else
  echo "bar: NOT met: native translate or maps median is over ${bar_ms} ms" >&2
  exit 1
fi
