#!/usr/bin/env bash
# `pageatlas exporter` at 100, 500 and 1,000 user processes (COUNTS: the arguments; `sleep`
# processes are started until /proc holds that many): the time of an uncached scrape
# (--min-interval 0: every scrape reads every process's pagemap with kpageflags and kpagecount, and
# the whole machine's frame census) and the exporter's peak resident memory (GNU time), beside the
# time to read every process's smaps_rollup (`cat /proc/*/smaps_rollup`: what smaps-based exporters
# read on each scrape, without even parsing it), and the ratio of the two. RUNS scrapes each
# (default 5), median. The exporter's own figure for its collection (pageatlas_exporter_scrape_duration_seconds)
# is shown too, and the census alone (`pageatlas frames`), since smaps readers have no census at all.
# Needs root. PAGEATLAS=/path/to/pageatlas times another binary; by default artifacts/native/pageatlas.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
counts=("$@")
((${#counts[@]})) || counts=(100 500 1000)
native=${PAGEATLAS:-artifacts/native/pageatlas}
[[ -x $native ]] || scripts/publish-native.sh
mkdir -p bench/out

user_processes() { ps -e --no-headers -o ppid= -o pid= | awk '$1 != 2 && $2 != 2' | wc -l; }

sleepers=()
exporter=
cleanup() {
  [[ -n $exporter ]] && pkill -TERM -P "$exporter" 2>/dev/null || true
  kill "${sleepers[@]}" 2>/dev/null || true
}
trap cleanup EXIT

now_us() { echo "${EPOCHREALTIME/./}"; }

# median of the arguments (microseconds) in milliseconds
median_ms() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'; }

echo "$(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each"
printf '%-10s %12s %12s %12s %10s %12s %12s\n' processes "scrape ms" "collect ms" "smaps ms" "ratio" "census ms" "peak KiB"
for count in "${counts[@]}"; do
  while (( $(user_processes) < count )); do
    for _ in $(seq 1 50); do sleep 3600 & sleepers+=($!); done
  done
  sleep 1 # each sleep reaches its own executable
  /usr/bin/time -f %M -o bench/out/exporter-time.txt "$native" exporter --no-auth --min-interval 0 > bench/out/exporter-url.txt 2>/dev/null &
  exporter=$!
  for _ in $(seq 1 300); do [[ -s bench/out/exporter-url.txt ]] && break; sleep 0.1; done
  url=$(awk '{ print $3 }' bench/out/exporter-url.txt)
  curl -sf "$url" > /dev/null # warm-up: the first collection
  scrape=() smaps=() collect=()
  for ((i = 0; i < runs; i++)); do
    start=$(now_us); curl -sf "$url" > bench/out/exporter-metrics.txt; end=$(now_us); scrape+=($((end - start)))
    collect+=("$(awk '/^pageatlas_exporter_scrape_duration_seconds / { printf "%d", $2 * 1000000 }' bench/out/exporter-metrics.txt)")
    start=$(now_us); cat /proc/[0-9]*/smaps_rollup > /dev/null 2>&1 || true; end=$(now_us); smaps+=($((end - start)))
  done
  measured=$(awk '/^pageatlas_exporter_processes / { print $2 }' bench/out/exporter-metrics.txt)
  # The exporter (time's child) gets SIGTERM: a background job of a script starts with SIGINT ignored, which
  # .NET keeps; SIGTERM ends it as Ctrl+C would, and time writes its peak.
  pkill -TERM -P "$exporter" || true
  wait "$exporter" || true
  exporter=
  start=$(now_us); "$native" frames > /dev/null 2>&1; end=$(now_us); census=$((end - start))
  scrape_ms=$(median_ms "${scrape[@]}"); smaps_ms=$(median_ms "${smaps[@]}")
  printf '%-10s %12s %12s %12s %10s %12s %12s\n' "$count ($measured)" "$scrape_ms" "$(median_ms "${collect[@]}")" "$smaps_ms" \
    "$(awk -v a="$scrape_ms" -v b="$smaps_ms" 'BEGIN { printf "%.1fx", a / b }')" "$(awk -v u="$census" 'BEGIN { printf "%.1f", u / 1000 }')" \
    "$(tail -1 bench/out/exporter-time.txt)"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "scrape: curl's wall time of one uncached /metrics; collect: the exporter's own pageatlas_exporter_scrape_duration_seconds;"
echo "smaps: cat /proc/*/smaps_rollup (no parsing); census: pageatlas frames alone (a part of every collection smaps readers have no equivalent of)."
