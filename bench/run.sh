#!/usr/bin/env bash
# Builds the specimens, the C reference and the benchmark, then runs it: PageAtlas' whole-process
# walk against bench/reference/walk.c on the same targets. Needs root (real PFNs, kpageflags).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-specimens.sh
mkdir -p bench/out
gcc -O2 -Wall -o bench/out/walk bench/reference/walk.c
dotnet run -c Release --project bench/PageAtlas.Bench -- "$@"
