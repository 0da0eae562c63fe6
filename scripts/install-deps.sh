#!/usr/bin/env bash
# Installs the Debian packages PageAtlas needs beyond the .NET SDK, only those missing.
# To build and run pageatlas (scripts/demo.sh, scripts/install.sh):
#   gcc, libc6-dev  build the specimen programs (specimens/*.c) the demo and the labs start
#   graphviz        `dot` renders `pageatlas pagetable --format svg`
#   clang           links the native `pageatlas` (NativeAOT's default linker driver)
#   libsqlite3-dev  its static libsqlite3.a, linked into the native `pageatlas`
#   nodejs, npm     build the explorer's front end (PageAtlas.Server/web: TypeScript, compiled by tsc)
# With --tests, also what the tests and bench/ use (scripts/test.sh):
#   time            GNU time: peak memory of whole-process benchmarks (bench/*.sh)
#   smem            the reference bench/ps.sh times `pageatlas ps` against (reads every smaps)
#   zsh, fish       the live tests run `pageatlas completion zsh|fish` in them (bash is there already)
#   groff-base      the live tests render the man page (groff -man -ww) to check it has no warnings
#   chromium        the browser the explorer's live tests and bench/explorer.sh drive (Playwright, headless)
#   prometheus      the real Prometheus (and promtool) the exporter's live tests scrape it with: they start their
#                   own on loopback and a free port (the package's service, where systemd starts it, is not used)
set -euo pipefail
tests=false
case "${1:-}" in
  --tests) tests=true ;;
  "") ;;
  *) echo "usage: scripts/install-deps.sh [--tests]" >&2; exit 2 ;;
esac
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
dpkg-query -W -f='${Status}' libsqlite3-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libsqlite3-dev)
if $tests; then
  [[ -x /usr/bin/time ]] || missing+=(time)
  command -v smem >/dev/null 2>&1 || missing+=(smem)
  command -v zsh >/dev/null 2>&1 || missing+=(zsh)
  command -v fish >/dev/null 2>&1 || missing+=(fish)
  command -v groff >/dev/null 2>&1 || missing+=(groff-base)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [[ -x /usr/bin/prometheus && -x /usr/bin/promtool ]] || missing+=(prometheus)
fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
