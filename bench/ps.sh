#!/usr/bin/env bash
# `pageatlas ps` on a machine of at least 500 processes: starts `sleep` processes until /proc holds
# COUNT user processes (default 500), then times, RUNS times each (default 7) after one warm-up run,
# the native `pageatlas ps` (text and --json), `smem` (reads every process's smaps; the tool people
# use for PSS) and `cat /proc/*/smaps_rollup` (the kernel's own per-process sums, no formatting):
# then the started sleeps alone (`ps --name sleep`, and their smaps_rollup): median, fastest, slowest wall time and peak resident memory (GNU time), with the load average
# before and after (the machine is shared: read the figures beside it). The bar: a median under
# 1000 ms for `pageatlas ps`, exit 1 otherwise. Needs root. PAGEATLAS=/path/to/pageatlas times
# another binary; by default artifacts/native/pageatlas (published when missing). smem is installed
# by scripts/install-deps.sh when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-500}
runs=${2:-7}
bar_ms=1000
native=${PAGEATLAS:-artifacts/native/pageatlas}
command -v smem >/dev/null 2>&1 || scripts/install-deps.sh --tests
[[ -x $native ]] || scripts/publish-native.sh
mkdir -p bench/out

user_processes() { ps -e --no-headers -o ppid= -o pid= | awk '$1 != 2 && $2 != 2' | wc -l; }

sleepers=()
trap 'kill "${sleepers[@]}" 2>/dev/null || true' EXIT
while (( $(user_processes) < count )); do
  for _ in $(seq 1 50); do sleep 600 & sleepers+=($!); done
done
# Let each sleep reach its own executable (a fork not yet exec'd is a copy of this shell).
sleep 1

run_us() {
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  local end=$EPOCHREALTIME
  echo $(( (${end/./} - ${start/./}) ))
}

# name command...: prints "name median fastest slowest peak" and leaves the median in $median_us.
measure() {
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true
  local samples=()
  for ((i = 0; i < runs; i++)); do samples+=("$(run_us "$@")"); done
  mapfile -t samples < <(printf '%s\n' "${samples[@]}" | sort -n)
  median_us=${samples[$((runs / 2))]}
  /usr/bin/time -f %M -o bench/out/ps-time.txt "$@" >/dev/null 2>&1 || true
  printf '%-40s %9.1f %9.1f %9.1f %9d\n' "$name" \
    "$(awk -v u="$median_us" 'BEGIN { print u / 1000 }')" \
    "$(awk -v u="${samples[0]}" 'BEGIN { print u / 1000 }')" \
    "$(awk -v u="${samples[$((runs - 1))]}" 'BEGIN { print u / 1000 }')" \
    "$(tail -1 bench/out/ps-time.txt)"
}


echo "processes: $(user_processes) user processes ($(ls -d /proc/[0-9]* | wc -l) in /proc, ${#sleepers[@]} started sleeps); $runs runs each; $(nproc) CPUs"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %9s %9s %9s %9s\n' "command" "median ms" "min ms" "max ms" "peak KiB"
measure "pageatlas ps (native)" "$native" ps
ps_us=$median_us
measure "pageatlas ps --json (native)" "$native" ps --json
measure "cat /proc/*/smaps_rollup" bash -c 'cat /proc/[0-9]*/smaps_rollup'
# The started sleeps alone: what the scan costs per small process, whatever else the machine runs.
measure "pageatlas ps --name sleep (native)" "$native" ps --name sleep
measure "cat smaps_rollup of the sleeps" bash -c 'cd /proc && cat "${@/%//smaps_rollup}"' _ "${sleepers[@]}"
measure "smem -c 'pid user command rss pss uss swap'" smem -c "pid user command rss pss uss swap"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "listed by pageatlas ps: $("$native" ps --json 2>/dev/null | grep -c '"pid"')"
if (( ps_us > bar_ms * 1000 )); then
  echo "ps: the median of pageatlas ps is $((ps_us / 1000)) ms, over the ${bar_ms} ms bar" >&2
  exit 1
fi
