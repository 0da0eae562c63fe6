#!/usr/bin/env bash
# Runs every test, in two stages.
# Stage 1, without root (scripts/ci-unprivileged.sh, as nobody in a private copy of the tree): the
# Debug build (checked arithmetic), the unit tests on captured /proc text, the format check, and the
# dotnet-tool package.
# Stage 2, as root: installs what the live tests need (gcc for the specimens, clang and libsqlite3-dev
# for the native pageatlas) and runs the live tests against processes the tests start, with the JIT
# build and the native one (published here first). Live tests need root (the kernel hides PFNs and
# kpageflags from others). Tests that need something this machine lacks (1 GiB pages, THP,
# PAGEMAP_SCAN…) skip themselves with a reason; the list of skips is printed last, and the unit tests
# of stage 1 are counted in it once. Then the kernel companion is built and checked in QEMU guests
# (kmod/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d /tmp/pageatlas-test-results.XXXXXXXX)
trap 'rm -rf "$results"' EXIT
status=0

# What the build and the tests need beyond the .NET SDK (Debian packages; only those missing): stage 1
# builds the explorer's front end with npm, so they come first.
scripts/install-deps.sh --tests

echo "== stage 1: build, unit tests, format check, pack, without root"
scripts/ci-unprivileged.sh "$results" || status=1

echo "== stage 2: live tests, as root"
scripts/build-specimens.sh
dotnet build PageAtlas.slnx -c Release --nologo -v quiet
scripts/publish-native.sh
dotnet test tests/PageAtlas.LiveTests -c Release --no-build --nologo \
    --results-directory "$results" --logger "trx;LogFilePrefix=PageAtlas.LiveTests" || status=1

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
