#!/usr/bin/env bash
# Sets up (gcc for the specimen; the native pageatlas installed as /usr/local/bin/pageatlas by
# scripts/install.sh) and runs pageatlas on a real process it starts:
# the specimen with a transparent huge page and two threads. Shows its VMAs with segment classes,
# a translation of its sparse area, the walk of a THP address and of a 4 KiB page, and its whole
# page-table tree (text, and an SVG picture written to specimens/out/pagetable.svg); then runs
# every lab (lazy allocation, copy-on-write after fork, two runs, shared memory, threads, file mapping).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-specimens.sh
scripts/install.sh
export PATH="/usr/local/bin:$PATH"
facts=$(mktemp)
exec 3> >(specimens/out/layout --thp --threads 2 > "$facts")
for _ in $(seq 1 100); do grep -q '^ready' "$facts" 2>/dev/null && break; sleep 0.1; done
pid=$(awk '$1=="pid"{print $2}' "$facts")
sparse=$(awk '$1=="sparse"{print $2}' "$facts")
thp=$(awk '$1=="thp"{print $2}' "$facts")
echo "== the specimen says:"; cat "$facts"
echo; echo "== pageatlas maps $pid"; pageatlas maps "$pid"
echo; echo "== pageatlas translate $pid $sparse+32K"; pageatlas translate "$pid" "$sparse+32K"
echo; echo "== pageatlas walk $pid $thp"; pageatlas walk "$pid" "$thp"
echo; echo "== pageatlas walk $pid $sparse"; pageatlas walk "$pid" "$sparse"
echo; echo "== pageatlas pagetable $pid"; pageatlas pagetable "$pid"
pageatlas pagetable "$pid" --format svg -o specimens/out/pagetable.svg
echo; echo "== the same tree as a picture: specimens/out/pagetable.svg"
exec 3>&-
rm -f "$facts"
echo; echo "== pageatlas lab all: the seeds' experiments, each claim checked"; pageatlas lab all
