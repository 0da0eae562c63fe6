#!/usr/bin/env bash
# Installs what the tests need (gcc for the specimens, clang and libsqlite3-dev for the native
# pageatlas) and runs every test: unit tests on captured /proc text, then live tests against processes
# the tests start, with the JIT build and the native one (published here first). Live tests need root
# (the kernel hides PFNs and kpageflags from others). Tests that need something this machine lacks
# (1 GiB pages, THP, PAGEMAP_SCAN…) skip themselves with a reason; the list of skips is printed last.
# Then the kernel companion is built and checked in QEMU guests (kmod/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-specimens.sh
dotnet build PageAtlas.slnx -c Release --nologo -v quiet
scripts/publish-native.sh

results=$(mktemp -d /tmp/pageatlas-test-results.XXXXXXXX)
trap 'rm -rf "$results"' EXIT
status=0
for project in tests/PageAtlas.Tests tests/PageAtlas.LiveTests; do
    dotnet test "$project" -c Release --no-build --nologo \
        --results-directory "$results" --logger "trx;LogFilePrefix=$(basename "$project")" || status=1
done

# The kernel companion, in QEMU guests (kmod/test.sh, a few minutes): after the dotnet tests, which
# do not wait for it. Its serial console goes to a log; the checks' verdicts are printed here.
kmod_log=$(mktemp /tmp/pageatlas-kmod.XXXXXXXX.log)
if PAGEATLAS_NATIVE=$PWD/artifacts/native/pageatlas kmod/test.sh > "$kmod_log" 2>&1; then
    grep -E '^(ok|not ok) - |^kmod' "$kmod_log"
else
    cat "$kmod_log"
    echo "kmod: the kernel companion's QEMU checks FAILED (kmod/test.sh)"
    status=1
fi
rm -f "$kmod_log"

echo
dotnet run --file scripts/skipped-tests.cs -- "$results"/*.trx
exit $status
