#!/usr/bin/env bash
# PageAtlas against its peer, whole process, as a user runs them (issue 13, item 4): the native
# `pageatlas` (artifacts/native/pageatlas, published when missing; PAGEATLAS=/path times another)
# and the kernel's own tools/mm/page-types, built here from Debian's linux-source-6.12 package
# (apt-get download, dpkg-deb -x, only page-types.c, tools/include and the two uapi headers it
# includes are untarred; api/fs/fs.h is a one-line stub whose debugfs__mount returns NULL, which
# page-types needs only for hwpoison; MAX_VMAS is raised from 10,240, where stock page-types stops).
# Its source is never kept: it is built in a private temporary directory, and only the binary is
# cached in bench/out/peers/. The specimens are started here and ended on exit.
#
# Each row: one warm-up run of each, then RUNS (default 5) runs alternating PageAtlas and the peer;
# the median wall time (bash's clock) and the largest peak resident memory (GNU time's %M) of each.
# Rows without a peer show the cost per page or per VMA, which must stay flat as the work grows.
# Needs root. Usage: bench/peers.sh [RUNS]; ROWS=REGEX bench/peers.sh times only the rows whose name
# matches (e.g. ROWS='^(maps|pages), 20' for the three 20,000-VMA rows with a peer), starting only
# the specimens they need.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
rows=${ROWS:-}
# wants NAME: whether the row NAME is to be timed.
wants() { [[ -z $rows || $1 =~ $rows ]]; }
# wants_section WHAT: whether any row of a specimen of WHAT ("20000 VMAs", "4 GiB") may be timed, by the
# rows' names with the size asked for (a row itself names the VMAs it counted: the specimen adds a few).
wants_section() {
  local kind
  for kind in "maps" "maps --json" "pages" "pages --snapshot" "pagetable" "snapshot" "diff" "frame owners" "composition"; do
    wants "$kind, $1" && return 0
  done
  wants "share of a forked pair, 2 x $1"
}
out=bench/out/peers
native=${PAGEATLAS:-artifacts/native/pageatlas}
mkdir -p "$out"
[[ -x $native ]] || scripts/publish-native.sh
scripts/build-specimens.sh >/dev/null

page_types=$out/page-types
build_page_types() {
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && apt-get download -q linux-source-6.12 >/dev/null)
  dpkg-deb -x "$work"/linux-source-6.12_*.deb "$work/deb"
  mkdir -p "$work/src"
  tar -xJf "$work"/deb/usr/src/linux-source-6.12.tar.xz -C "$work/src" --strip-components=1 --wildcards \
    'linux-source-6.12/tools/mm/page-types.c' 'linux-source-6.12/tools/include/*' \
    'linux-source-6.12/include/uapi/linux/magic.h' 'linux-source-6.12/include/uapi/linux/kernel-page-flags.h'
  mkdir -p "$work/stub/api/fs"
  echo 'static inline const char *debugfs__mount(void) { return 0; }' >"$work/stub/api/fs/fs.h"
  sed -i 's/^#define MAX_VMAS\t10240$/#define MAX_VMAS\t1048576/' "$work/src/tools/mm/page-types.c"
  grep -q '^#define MAX_VMAS.1048576$' "$work/src/tools/mm/page-types.c" || { echo "peers: MAX_VMAS not found in page-types.c" >&2; exit 1; }
  gcc -O2 -I"$work/stub" -I"$work/src/tools/include" -o "$page_types" "$work/src/tools/mm/page-types.c"
}
[[ -x $page_types ]] || build_page_types

# Specimens: each reads its stdin from a FIFO this script holds open; closing it ends them.
specimen_pids=()
specimen_fds=()
cleanup() {
  for fd in "${specimen_fds[@]}"; do eval "exec $fd>&-"; done
  for p in "${specimen_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -f "$out"/*.db "$out"/fifo.* "$out"/facts.*
}
trap cleanup EXIT
# start NAME BINARY ARGS...: starts a specimen and sets $pid (and $child for forkpair).
start() {
  local name=$1 binary=$2 fd
  shift 2
  rm -f "$out/fifo.$name"
  mkfifo -m 600 "$out/fifo.$name"
  "specimens/out/$binary" "$@" <"$out/fifo.$name" >"$out/facts.$name" &
  specimen_pids+=("$!")
  exec {fd}>"$out/fifo.$name"
  specimen_fds+=("$fd")
  for _ in $(seq 1 6000); do grep -qx ready "$out/facts.$name" && break; sleep 0.05; done
  grep -qx ready "$out/facts.$name" || { echo "peers: $binary $* did not start" >&2; exit 1; }
  pid=$(awk '$1 == "pid" { print $NF }' "$out/facts.$name")
  child=$(awk '$1 == "child" { print $NF }' "$out/facts.$name")
}
stop_all() {
  cleanup
  specimen_pids=()
  specimen_fds=()
}

# run_once COMMAND...: sets $wall_us and $peak_kb for one run, output discarded.
run_once() {
  local start end
  start=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$out/time.txt" "$@" >/dev/null 2>&1 || { echo "peers: '$*' failed" >&2; exit 1; }
  end=$EPOCHREALTIME
  wall_us=$((${end/./} - ${start/./}))
  peak_kb=$(tail -1 "$out/time.txt")
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# measure: times the array pa (and the array peer, alternating, when it is not empty); sets
# pa_ms, pa_peak, peer_ms, peer_peak (medians in µs, peaks in KiB).
measure() {
  local a=() ap=() b=() bp=()
  run_once "${pa[@]}"
  ((${#peer[@]})) && run_once "${peer[@]}"
  for ((i = 0; i < runs; i++)); do
    run_once "${pa[@]}"; a+=("$wall_us"); ap+=("$peak_kb")
    if ((${#peer[@]})); then run_once "${peer[@]}"; b+=("$wall_us"); bp+=("$peak_kb"); fi
  done
  pa_us=$(median "${a[@]}"); pa_peak=$(max "${ap[@]}")
  if ((${#peer[@]})); then peer_us=$(median "${b[@]}"); peer_peak=$(max "${bp[@]}"); fi
}

# compare NAME BAR PEER_NAME: a row with a peer; BAR is the ratio to meet (or "25ms", an absolute bound).
compare() {
  local name=$1 bar=$2 peer_name=$3 ratio verdict
  wants "$name" || return 0
  measure
  ratio=$(awk -v a="$pa_us" -v b="$peer_us" 'BEGIN { printf "%.2f", a / b }')
  if [[ $bar == *ms ]]; then verdict=$(awk -v a="$pa_us" -v b="${bar%ms}" 'BEGIN { print (a <= b * 1000) ? "ok" : "OVER" }')
  else verdict=$(awk -v r="$ratio" -v b="$bar" 'BEGIN { print (r <= b) ? "ok" : "OVER" }'); fi
  printf '%-44s %10s %10s %7s %6s %9s %9s  %s\n' "$name" "$(ms "$pa_us")" "$(ms "$peer_us")" "$ratio" "$bar:$verdict" \
    "$(mib "$pa_peak")" "$(mib "$peer_peak")" "$peer_name"
}
# scale NAME COUNT UNIT: a row without a peer; prints the cost per UNIT (page: ns, VMA: µs).
scale() {
  local name=$1 count=$2 unit=$3 cost
  peer=()
  wants "$name" || return 0
  measure
  if [[ $unit == page ]]; then cost="$(awk -v u="$pa_us" -v n="$count" 'BEGIN { printf "%.0f", u * 1000 / n }') ns/page"
  else cost="$(awk -v u="$pa_us" -v n="$count" 'BEGIN { printf "%.2f", u / n }') µs/VMA"; fi
  printf '%-44s %10s %10s %7s %6s %9s %9s  %s\n' "$name" "$(ms "$pa_us")" - - - "$(mib "$pa_peak")" - "$cost"
}
# pfn_of PID ADDRESS: the frame behind a present page, from pagemap (bits 0-54).
pfn_of() {
  local entry
  entry=$(dd if="/proc/$1/pagemap" bs=8 count=1 skip=$(($2 / 4096)) status=none | od -An -t u8 | tr -d ' ')
  printf '%x' $((entry & 0x7fffffffffffff))
}

# flat_rows WHAT COUNT UNIT SPECIMEN FACT: the rows whose cost per UNIT must stay flat, on the
# specimen started as SPECIMEN (then stopped); FACT names its address whose frame `frame` looks up.
flat_rows() {
  local what=$1 count=$2 unit=$3 address
  pa=("$native" pagetable "$pid"); scale "pagetable, $what" "$count" "$unit"
  pa=("$native" snapshot "$pid" -o "$out/a.db"); scale "snapshot, $what" "$count" "$unit"
  "$native" snapshot "$pid" -o "$out/b.db" >/dev/null
  pa=("$native" diff "$out/a.db" "$out/b.db"); scale "diff, $what" "$count" "$unit"
  pa=("$native" pages "$pid"); scale "pages, $what" "$count" "$unit"
  address=$(awk -v f="$5" '$1 == f { print $2 }' "$out/facts.$4")
  pa=("$native" frame "$(pfn_of "$pid" "$address")"); scale "frame owners, $what" "$count" "$unit"
  stop_all
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $runs runs each; page-types built from linux-source-6.12"
printf '%-44s %10s %10s %7s %6s %9s %9s  %s\n' command "PA ms" "peer ms" ratio bar "PA MiB" "peer MiB" "peer / cost"

# translate: one address of a small process.
if wants "translate, small process"; then
start small layout
address=0x$(head -1 "/proc/$pid/maps" | cut -d- -f1)
pa=("$native" translate "$pid" "$address"); peer=("$page_types" -p "$pid" -L -a $((address / 4096)))
compare "translate, small process" 25ms "page-types -p -L -a"
stop_all
fi

# Many VMAs: maps, pages (live and from a snapshot), and the commands whose cost must be flat.
for vmas in 5000 10000 20000; do
  wants_section "$vmas VMAs" || continue
  start many layout --small-maps "$vmas"
  count=$(wc -l <"/proc/$pid/maps")
  if ((vmas == 20000)); then
    pa=("$native" maps "$pid"); peer=("$page_types" -p "$pid")
    compare "maps, $count VMAs" 1.0 "page-types -p"
    pa=("$native" maps "$pid" --json); compare "maps --json, $count VMAs" 1.0 "page-types -p"
    pa=("$native" pages "$pid"); peer=("$page_types" -p "$pid" -L)
    compare "pages, $count VMAs" 1.0 "page-types -p -L"
    "$native" snapshot "$pid" -o "$out/many.db" >/dev/null
    pa=("$native" pages "$pid" --snapshot "$out/many.db")
    compare "pages --snapshot, $count VMAs" 1.5 "page-types -p -L (live)"
  fi
  flat_rows "$count VMAs" "$count" VMA many small-maps
  wants "share of a forked pair, 2 x $vmas VMAs" || continue
  start pair forkpair --small-maps "$vmas"
  count=$(wc -l <"/proc/$pid/maps")
  pa=("$native" share "$pid" "$child"); scale "share of a forked pair, 2 x $count VMAs" "$((2 * count))" VMA
  stop_all
done

# Dense memory: pages, composition, and the commands whose cost must be flat.
for gib in 1 2 4; do
  wants_section "$gib GiB" || continue
  start dense layout --touch-mib $((gib * 1024))
  pages=$((gib * 262144))
  if ((gib == 4)); then
    pa=("$native" pages "$pid"); peer=("$page_types" -p "$pid" -L)
    compare "pages, 4 GiB dense" 1.0 "page-types -p -L"
    pa=("$native" composition "$pid"); peer=("$page_types" -p "$pid")
    compare "composition, 4 GiB dense" 1.1 "page-types -p"
  fi
  flat_rows "$gib GiB" "$pages" page dense touched
  wants "share of a forked pair, 2 x $gib GiB" || continue
  start pair forkpair --touch-mib $((gib * 1024))
  pa=("$native" share "$pid" "$child"); scale "share of a forked pair, 2 x $gib GiB" "$((2 * pages))" page
  stop_all
done

# The whole machine.
pa=("$native" frames); peer=("$page_types")
compare "frames, whole machine ($(($(grep MemTotal /proc/meminfo | awk '{ print $2 }') / 1048576)) GiB)" 1.0 "page-types"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
