#!/usr/bin/env bash
# Publishes the native `pageatlas` (NativeAOT, SQLite linked in) to artifacts/native/pageatlas, first
# installing what the compiler needs (clang, libsqlite3-dev: scripts/install-deps.sh). Takes a minute
# or two: the tests (scripts/test.sh) and scripts/install.sh run it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "publish-native: no native build for $(uname -m)" >&2; exit 1 ;;
esac
dotnet publish src/PageAtlas.Cli -c Release -r "$rid" --nologo -v quiet -o artifacts/native
echo "publish-native: $(pwd)/artifacts/native/pageatlas" >&2
