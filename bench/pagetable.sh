#!/usr/bin/env bash
# Whole-process timing of `pageatlas pagetable` on a 4 GiB process (1 M present pages, 2,000+ page
# tables), against the C reference (bench/reference/walk.c), which reads the same pagemap and, in
# addition, every frame's flags and map count: the floor for any tool that looks at every page.
# Each command runs ROUNDS times (default 5) after one warm-up run; the best wall time is kept.
# Prints seconds, peak resident memory (GNU time) and output size. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
scripts/build-specimens.sh
mkdir -p bench/out
gcc -O2 -Wall -o bench/out/walk bench/reference/walk.c
dotnet build src/PageAtlas.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/PageAtlas.Cli/bin/Release/net10.0/PageAtlas.Cli.dll)

coproc SPECIMEN { specimens/out/layout --touch-mib 4096; }
pid=""
while read -r line <&"${SPECIMEN[0]}"; do
  [[ $line == pid* ]] && pid=${line#pid }
  [[ $line == ready ]] && break
done
trap 'kill "$pid" 2>/dev/null || true' EXIT

measure() {  # name output-file command...
  local name=$1 out=$2; shift 2
  local best="" peak=0
  "$@" >"$out" 2>/dev/null
  for ((i = 0; i < rounds; i++)); do
    local start end kb
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o bench/out/time.txt "$@" >"$out" 2>/dev/null
    kb=$(tail -1 bench/out/time.txt)
    end=$(date +%s.%N)
    local seconds
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    if [[ -z $best ]] || awk -v s="$seconds" -v b="$best" 'BEGIN { exit !(s < b) }'; then best=$seconds; fi
    ((kb > peak)) && peak=$kb
  done
  printf '%-44s %8s s %8d KiB peak %10d bytes out\n' "$name" "$best" "$peak" "$(stat -c %s "$out")"
}

echo "target: pid $pid, $(grep VmRSS /proc/"$pid"/status | tr -s ' \t' ' '), $(grep VmPTE /proc/"$pid"/status | tr -s ' \t' ' ')"
measure "C reference walk (pagemap + kpageflags)" bench/out/ref.txt bench/out/walk "$pid" 1
measure "pagetable --format text" bench/out/pagetable.txt "${cli[@]}" pagetable "$pid"
measure "pagetable --format dot" bench/out/pagetable.dot "${cli[@]}" pagetable "$pid" --format dot
measure "pagetable --format svg (dot renders)" bench/out/pagetable.svg "${cli[@]}" pagetable "$pid" --format svg
measure "pagetable --format json" bench/out/pagetable.json "${cli[@]}" pagetable "$pid" --json
measure "pagetable --full --format dot" bench/out/pagetable-full.dot "${cli[@]}" pagetable "$pid" --full --format dot
