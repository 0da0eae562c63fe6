#!/usr/bin/env bash
# Builds the specimen programs (specimens/*.c) into specimens/out/, installing gcc first if the
# machine lacks it (a clean Debian 12 with only the .NET SDK has no C compiler).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v gcc >/dev/null 2>&1; then
  echo "build-specimens: installing gcc" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq gcc libc6-dev >/dev/null
fi
mkdir -p specimens/out
for source in specimens/*.c; do
  name=$(basename "$source" .c)
  gcc -O2 -Wall -Wextra -pthread -o "specimens/out/$name" "$source"
done
