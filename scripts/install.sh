#!/usr/bin/env bash
# Publishes the native `pageatlas` (scripts/publish-native.sh) and installs it as
# /usr/local/bin/pageatlas (or DIR/pageatlas with `scripts/install.sh DIR`). The binary stands alone:
# SQLite is linked in, so a copy of it anywhere still writes and reads snapshots.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${1:-/usr/local/bin}
scripts/publish-native.sh
[[ -d "$target_dir" ]] || { echo "install: $target_dir is not a directory" >&2; exit 1; }
# Copied under a private temporary name beside the target and renamed over it: a running pageatlas
# keeps its old file, and no half-copied program is ever on PATH.
staged=$(mktemp "$target_dir/.pageatlas.XXXXXX")
trap 'rm -f "$staged"' EXIT
cp artifacts/native/pageatlas "$staged"
chmod 0755 "$staged"
mv -f "$staged" "$target_dir/pageatlas"
trap - EXIT
echo "install: $target_dir/pageatlas" >&2
