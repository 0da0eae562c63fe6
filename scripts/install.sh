#!/usr/bin/env bash
# Publishes the native `pageatlas` (scripts/publish-native.sh) and installs it as
# /usr/local/bin/pageatlas (or DIR/pageatlas with `scripts/install.sh DIR`), and the labs' specimen
# programs beside it in DIR/../lib/pageatlas/specimens, where it finds them from any directory. The
# binary stands alone: SQLite is linked in, so a copy of it anywhere still writes and reads snapshots.
# Then the manual page and the shell completions, which the installed binary writes from its own
# command tree, under DIR/../share where man, bash-completion, zsh and fish look:
#   man/man1/pageatlas.1, bash-completion/completions/pageatlas, zsh/site-functions/_pageatlas,
#   fish/vendor_completions.d/pageatlas.fish
# `scripts/install.sh --no-build DIR` installs what is already built (artifacts/native, specimens/out).
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [[ ${1:-} == --no-build ]]; then build=0; shift; fi
target_dir=${1:-/usr/local/bin}
if ((build)); then
    scripts/publish-native.sh
    scripts/build-specimens.sh
fi
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

# Written by the installed program into a private temporary file beside the target, renamed over it
# when whole: a failed run leaves the old file, never a part.
share_dir="$(cd "$target_dir/.." && pwd)/share"
install_output() {
    local path=$1 staged_file
    shift
    install -d -m 0755 "$(dirname "$path")"
    staged_file=$(mktemp "$(dirname "$path")/.pageatlas.XXXXXX")
    if ! "$target_dir/pageatlas" "$@" > "$staged_file"; then rm -f "$staged_file"; echo "install: pageatlas $* failed" >&2; exit 1; fi
    chmod 0644 "$staged_file"
    mv -f "$staged_file" "$path"
    echo "install: $path" >&2
}
install_output "$share_dir/man/man1/pageatlas.1" man
install_output "$share_dir/bash-completion/completions/pageatlas" completion bash
install_output "$share_dir/zsh/site-functions/_pageatlas" completion zsh
install_output "$share_dir/fish/vendor_completions.d/pageatlas.fish" completion fish
