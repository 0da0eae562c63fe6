#!/usr/bin/env bash
# `pageatlas exporter` and the explorer's process list, row by row (ROWS: the arguments, default
# "100 500 1000 4g 20kvma 10x512m"):
#   N        `sleep` processes are started until /proc holds N user processes (small processes);
#   4g       one specimen with 4 GiB written (layout --touch-mib 4096: dense, where pagemap should win);
#   20kvma   one specimen with 20,000 small VMAs (layout --small-maps 20000);
#   10x512m  ten specimens with 512 MiB written each.
# Each row (its specimens end before the next starts) times, RUNS times each (default 5), median:
#   scrape   curl's wall time of an uncached /metrics (--min-interval 0: every scrape reads every
#            process's stat, status, cgroup, smaps_rollup and maps; the census is apart, on its interval);
#   collect  the exporter's own figure for that reading (pageatlas_exporter_scrape_duration_seconds);
#   alloc    what that reading allocated on the managed heap, KiB (pageatlas_exporter_collection_allocated_bytes);
#   cached   a scrape served from the last reading (a second exporter, --min-interval 60m);
#   rollup   `cat /proc/*/smaps_rollup` (what smaps-based exporters read on each scrape, unparsed);
#   smaps    `cat /proc/*/smaps` on the large rows (what exporters that need per-mapping figures read);
#   census   the frame census alone, as the exporter took it (pageatlas_census_duration_seconds);
#   peak     the uncached exporter's peak resident memory (GNU time, KiB);
#   ps cold  `pageatlas serve`'s /api/live/processes?fresh=1 (waits for a reading that starts after it);
#   ps warm  /api/live/processes right after (served from that reading).
# Needs root and ~5.5 GiB free for the large rows. PAGEATLAS=/path/to/pageatlas times another binary;
# by default artifacts/native/pageatlas.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
rows=("$@")
((${#rows[@]})) || rows=(100 500 1000 4g 20kvma 10x512m)
native=${PAGEATLAS:-artifacts/native/pageatlas}
[[ -x $native ]] || scripts/publish-native.sh
scripts/build-specimens.sh >/dev/null
mkdir -p bench/out
work=$(mktemp -d /tmp/pageatlas-bench-exporter.XXXXXXXX)

user_processes() { ps -e --no-headers -o ppid= -o pid= | awk '$1 != 2 && $2 != 2' | wc -l; }

sleepers=() specimens=() servers=() holds=()
stop_servers() {
  local s
  # SIGTERM to pageatlas (time's child) only: time then writes its peak and ends by itself.
  for s in "${servers[@]}"; do pkill -TERM -P "$s" 2>/dev/null || true; wait "$s" 2>/dev/null || true; done
  servers=()
}
stop_specimens() {
  local s
  for s in "${specimens[@]}"; do kill "$s" 2>/dev/null || true; wait "$s" 2>/dev/null || true; done
  specimens=()
  for s in "${holds[@]}"; do exec {s}>&-; done
  holds=()
}
# the large rows measure large processes beside the machine's own, not beside the small rows' sleeps
stop_sleepers() {
  if ((${#sleepers[@]})); then kill "${sleepers[@]}" 2>/dev/null || true; wait "${sleepers[@]}" 2>/dev/null || true; fi
  sleepers=()
}
cleanup() {
  stop_servers
  stop_specimens
  kill "${sleepers[@]}" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now_us() { echo "${EPOCHREALTIME/./}"; }
median_ms() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'; }
sample_us() { awk -v name="$1" '$1 == name { printf "%d", $2 * 1000000 }' "$2"; }
# wall time of a command in microseconds
time_us() { local start; start=$(now_us); "$@" > /dev/null 2>&1 || true; echo $(($(now_us) - start)); }

# a specimen waits on its standard input: a FIFO held open keeps it alive until stop_specimens
start_specimen() { # NAME ARGS…
  local name=$1; shift
  mkfifo "$work/$name.in"
  specimens/out/layout "$@" < "$work/$name.in" > "$work/$name.out" 2>&1 & specimens+=($!)
  local hold
  exec {hold}> "$work/$name.in"
  holds+=("$hold")
  until grep -q '^ready' "$work/$name.out" 2>/dev/null; do
    kill -0 "${specimens[-1]}" 2>/dev/null || { echo "exporter.sh: layout $* failed: $(cat "$work/$name.out")" >&2; exit 1; }
    sleep 0.2
  done
}

# starts a server, waits for its line; sets line and server
start_server() { # OUT ARGS…
  local out=$1; shift
  /usr/bin/time -f %M -o "$out.time" "$native" "$@" > "$out" 2>/dev/null & server=$!; servers+=($server)
  for _ in $(seq 1 600); do [[ -s $out ]] && break; sleep 0.1; done
  line=$(head -1 "$out")
}

setup_row() {
  case $1 in
    4g) stop_sleepers; start_specimen big --touch-mib 4096 ;;
    20kvma) stop_sleepers; start_specimen many --small-maps 20000 ;;
    10x512m) stop_sleepers; for i in $(seq 1 10); do start_specimen "half$i" --touch-mib 512; done ;;
    *)
      while (( $(user_processes) < $1 )); do
        for _ in $(seq 1 50); do sleep 3600 & sleepers+=($!); done
      done
      sleep 1 ;; # each sleep reaches its own executable
  esac
}

echo "$(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each; times in ms, peak in KiB"
printf '%-16s %9s %9s %8s %8s %9s %9s %8s %9s %9s %8s\n' row scrape collect alloc cached rollup smaps census peak "ps cold" "ps warm"
for row in "${rows[@]}"; do
  setup_row "$row"
  large=0; [[ $row =~ ^[0-9]+$ ]] || large=1

  start_server "$work/uncached" exporter --no-auth --min-interval 0 --census-interval 60m
  url=$(awk '{ print $3 }' <<< "$line")
  curl -sf "$url" > /dev/null # warm-up: the first reading and the first census
  scrape=() collect=() alloc=() rollup=() smaps=()
  for ((i = 0; i < runs; i++)); do
    start=$(now_us); curl -sf "$url" > "$work/metrics.txt"; scrape+=($(($(now_us) - start)))
    collect+=("$(sample_us pageatlas_exporter_scrape_duration_seconds "$work/metrics.txt")")
    alloc+=("$(awk '$1 == "pageatlas_exporter_collection_allocated_bytes" { printf "%d", $2 }' "$work/metrics.txt")")
    rollup+=("$(time_us sh -c 'cat /proc/[0-9]*/smaps_rollup')")
    ((large)) && smaps+=("$(time_us sh -c 'cat /proc/[0-9]*/smaps')")
  done
  measured=$(awk '$1 == "pageatlas_exporter_processes" { print $2 }' "$work/metrics.txt")
  census=$(sample_us pageatlas_census_duration_seconds "$work/metrics.txt")
  stop_servers
  peak=$(tail -1 "$work/uncached.time")

  start_server "$work/cached" exporter --no-auth --min-interval 60m --census-interval 60m
  url=$(awk '{ print $3 }' <<< "$line")
  curl -sf "$url" > /dev/null
  cached=()
  for ((i = 0; i < runs; i++)); do cached+=("$(time_us curl -sf "$url")"); done
  stop_servers

  start_server "$work/serve" serve
  base=$(sed -n 's/^PageAtlas Explorer: \(http:[^?]*\)?token=\(.*\)$/\1 \2/p' "$work/serve")
  read -r root token <<< "$base"
  get() { curl -sf -H "Authorization: Bearer $token" "${root}api/live/processes$1"; }
  get "" > /dev/null # the first reading, started with the server
  cold=() warm=()
  for ((i = 0; i < runs; i++)); do
    cold+=("$(time_us get '?fresh=1')")
    warm+=("$(time_us get '')")
  done
  stop_servers

  printf '%-16s %9s %9s %8s %8s %9s %9s %8.1f %9s %9s %8s\n' "$row ($measured)" "$(median_ms "${scrape[@]}")" "$(median_ms "${collect[@]}")" \
    "$(median_ms "${alloc[@]}" | awk '{ printf "%d", $1 * 1000 / 1024 }')" \
    "$(median_ms "${cached[@]}")" "$(median_ms "${rollup[@]}")" "$( ((large)) && median_ms "${smaps[@]}" || echo -)" \
    "$(awk -v u="$census" 'BEGIN { print u / 1000 }')" "$peak" "$(median_ms "${cold[@]}")" "$(median_ms "${warm[@]}")"
  stop_specimens
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo "row (N): N = processes the exporter measured. scrape/cached: curl's wall time of /metrics uncached (--min-interval 0) and"
echo "from the last reading; collect: the exporter's own reading time; alloc: KiB that reading allocated; rollup: cat /proc/*/smaps_rollup; smaps: cat /proc/*/smaps"
echo "(large rows); census: the frame census alone (taken apart from scrapes, every --census-interval); peak: the uncached"
echo "exporter's VmHWM; ps cold/warm: serve's /api/live/processes?fresh=1 and plain, right after."
