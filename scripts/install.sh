#!/usr/bin/env bash
# Publishes the native `pageatlas` (scripts/publish-native.sh) and installs it as
# /usr/local/bin/pageatlas (or DIR/pageatlas with `scripts/install.sh DIR`), and the labs' specimen
# programs beside it in DIR/../lib/pageatlas/specimens, where it finds them from any directory. The
# binary stands alone: SQLite is linked in, so a copy of it anywhere still writes and reads snapshots.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${1:-/usr/local/bin}
scripts/publish-native.sh
scripts/build-specimens.sh
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

# The labs' specimens (not the hostile one, which exists to attack the tool), root-owned and not
# writable by others: a lab runs them as root. Each is staged and renamed, as the program is.
specimens_dir="$(cd "$target_dir/.." && pwd)/lib/pageatlas/specimens"
install -d -m 0755 "$specimens_dir"
for name in layout forkpair sharer lazy; do
    install -m 0755 "specimens/out/$name" "$specimens_dir/.$name.new"
    mv -f "$specimens_dir/.$name.new" "$specimens_dir/$name"
done
echo "install: $specimens_dir/{layout,forkpair,sharer,lazy}" >&2
