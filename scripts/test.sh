#!/usr/bin/env bash
# Installs what the tests need (gcc for the specimens, clang and libsqlite3-dev for the native
# pageatlas) and runs every test: unit tests on captured /proc text, then live tests against processes
# the tests start, with the JIT build and the native one (published here first). Live tests need root
# (the kernel hides PFNs and kpageflags from others). Tests that need something this machine lacks
# (1 GiB pages, THP, PAGEMAP_SCAN…) skip themselves with a reason; the list of skips is printed last.
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

echo
dotnet run --file scripts/skipped-tests.cs -- "$results"/*.trx
exit $status
