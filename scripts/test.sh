#!/usr/bin/env bash
# Installs what the tests need (gcc for the specimens, clang and libsqlite3-dev for the native
# pageatlas) and runs every test: unit tests on captured /proc text, then live tests against processes
# the tests start, with the JIT build and the native one (published here first). Live tests need root
# (the kernel hides PFNs and kpageflags from others).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-specimens.sh
dotnet build PageAtlas.slnx -c Release --nologo -v quiet
scripts/publish-native.sh
dotnet test tests/PageAtlas.Tests -c Release --no-build --nologo
dotnet test tests/PageAtlas.LiveTests -c Release --no-build --nologo
