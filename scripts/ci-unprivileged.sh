#!/usr/bin/env bash
# CI stage 1, without root: build (Debug: checked arithmetic), unit tests, format check, and pack the
# dotnet tool (Release), all as the unprivileged user nobody, in a private copy of the working tree
# (tracked and untracked files, not ignored ones such as bin/ and obj/). The copy lives under a
# directory only root can enter, and is deleted after. Proves the unit tests need no root and that
# the tree builds from its sources alone. Exits non-zero if any step fails.
#
# scripts/ci-unprivileged.sh [RESULTS-DIR]: the unit tests' TRX file is copied into RESULTS-DIR
# (scripts/test.sh counts it in its summary of skipped tests).
set -euo pipefail
cd "$(dirname "$0")/.."
results=${1:-}
user=nobody group=nogroup

# mktemp -d makes the directory 0700 and root's: nobody reaches its work directory only through
# the path root hands it, and no other user reaches it at all.
outer=$(mktemp -d /var/tmp/pageatlas-ci.XXXXXXXX)
trap 'rm -rf "$outer"' EXIT
stage=$outer/stage
mkdir "$stage" "$stage/tree" "$stage/home"
chmod 711 "$outer"

# The working tree as it is, without build output: files git knows or would add.
git ls-files -z --cached --others --exclude-standard \
    | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$stage/tree"

# NuGet's package folder, hard-linked (root's cache is under /root, which nobody cannot enter; a
# link shares root's file, which stays read-only to nobody). The directories are nobody's, so a
# package not in the cache can still be restored into the copy from the package source.
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
if [ -d "$packages" ]; then cp -al "$packages" "$stage/nuget"; else mkdir "$stage/nuget"; fi
chown -R "$user:$group" "$stage/tree" "$stage/home"
find "$stage/nuget" -type d -exec chown "$user:$group" {} +
chown "$user:$group" "$stage"

# No MSBuild node, build server or compiler server is left running as nobody after a step
# (MSBUILDDISABLENODEREUSE, DOTNET_CLI_USE_MSBUILD_SERVER, UseSharedCompilation).
as_nobody() {
    echo "+ ($user) $*"
    (cd "$stage/tree" && setpriv --reuid="$user" --regid="$group" --clear-groups \
        env -i PATH="$PATH" HOME="$stage/home" DOTNET_CLI_HOME="$stage/home" NUGET_PACKAGES="$stage/nuget" \
            DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
            DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false \
            DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=true \
            NUGET_CERT_REVOCATION_MODE=offline \
            ${PAGEATLAS_FUZZ_CASES:+PAGEATLAS_FUZZ_CASES=$PAGEATLAS_FUZZ_CASES} "$@")
}

status=0
step() { as_nobody "$@" || { echo "stage 1 FAILED: $*"; status=1; }; }
as_nobody dotnet build PageAtlas.slnx -c Debug --nologo -v quiet || { echo "stage 1 FAILED: build"; exit 1; }
step dotnet test tests/PageAtlas.Tests -c Debug --no-build --nologo \
    --results-directory "$stage/results" --logger "trx;LogFilePrefix=PageAtlas.Tests"
step dotnet format PageAtlas.slnx --verify-no-changes --no-restore -v quiet
step dotnet pack src/PageAtlas.Cli -c Release --nologo -v quiet -o "$stage/packages"
if [ "$status" = 0 ] && ! ls "$stage"/packages/PageAtlas.Cli.*.nupkg > /dev/null 2>&1; then
    echo "stage 1 FAILED: dotnet pack wrote no PageAtlas.Cli package"
    status=1
fi
# Only regular files, copied by root out of a directory nobody wrote: never a link nobody left there.
if [ -n "$results" ] && [ -d "$stage/results" ]; then
    find "$stage/results" -maxdepth 1 -type f -name '*.trx' -exec cp -P -t "$results" {} +
fi
[ "$status" = 0 ] && echo "stage 1 (no root): build, unit tests, format, pack passed"
exit $status
