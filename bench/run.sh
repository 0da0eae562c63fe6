#!/usr/bin/env bash
# Builds the specimens, the C references and the benchmark, then runs it (needs root: real PFNs, kpageflags):
#   bench/run.sh [walk] [rounds] [scenario]   whole-process walk vs bench/reference/walk.c
#   bench/run.sh census [rounds]              whole-machine frame census vs bench/reference/census.c
#   bench/run.sh composition [rounds]         composition of a 4 GiB process vs the walk reference
#   bench/run.sh owners [rounds]              frame -> owners across every process, timed
#   bench/run.sh share [rounds]               share of two 4 GiB processes, timed
#   bench/run.sh snapshot [rounds]            snapshot of a 4 GiB process vs the plain walk; bytes per page
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-specimens.sh
mkdir -p bench/out
gcc -O2 -Wall -o bench/out/walk bench/reference/walk.c
gcc -O2 -Wall -o bench/out/census bench/reference/census.c
dotnet run -c Release --project bench/PageAtlas.Bench -- "$@"
