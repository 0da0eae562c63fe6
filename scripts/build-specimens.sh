#!/usr/bin/env bash
# Builds the specimen programs (specimens/*.c) into specimens/out/, first installing what a clean
# Debian 12 with only the .NET SDK lacks (gcc, graphviz: scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mkdir -p specimens/out
for source in specimens/*.c; do
  name=$(basename "$source" .c)
  # -z now: bind every symbol at start-up, so no lazy PLT binding writes the GOT (and copies a data
  # page) in the middle of an experiment.
  gcc -O2 -Wall -Wextra -pthread -Wl,-z,now -o "specimens/out/$name" "$source"
done
