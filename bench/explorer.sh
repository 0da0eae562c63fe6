#!/usr/bin/env bash
# PageAtlas Explorer's timings (bench/explorer.cs): API latency of each endpoint and each view's time to
# first paint and to drawn in headless chromium, at the 4 GiB specimen (layout --touch-mib 4096) and the
# 20,000-VMA specimen (layout --small-maps 20000), and the server's VmRSS/VmHWM idle and serving.
# Uses the native pageatlas when artifacts/native/pageatlas exists (scripts/publish-native.sh), else the
# JIT build. Needs root (PFNs), chromium and ~4.5 GiB of free memory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-specimens.sh
if [ -x artifacts/native/pageatlas ]; then serve=(artifacts/native/pageatlas serve)
else dotnet build src/PageAtlas.Cli -c Release --nologo -v quiet; serve=(dotnet src/PageAtlas.Cli/bin/Release/net10.0/PageAtlas.Cli.dll serve); fi
work=$(mktemp -d /tmp/pageatlas-bench-explorer.XXXXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
# a specimen waits on its standard input: a FIFO held open keeps it alive until cleanup
start() { # NAME ARGS…: sets started (its pid)
  local name=$1 fd; shift
  mkfifo "$work/$name.in"
  specimens/out/layout "$@" < "$work/$name.in" > "$work/$name.out" & pids+=($!)
  exec {fd}> "$work/$name.in"
  until grep -q '^ready' "$work/$name.out" 2>/dev/null; do sleep 0.2; done
  started=$(awk '/^pid /{print $2}' "$work/$name.out")
}
start big --touch-mib 4096; big=$started
start many --small-maps 20000; many=$started
"${serve[@]}" > "$work/serve.out" 2>&1 & server=$!; pids+=($server)
until grep -q '^PageAtlas Explorer: ' "$work/serve.out" 2>/dev/null; do sleep 0.2; done
url=$(sed -n 's/^PageAtlas Explorer: //p' "$work/serve.out")
# the native binary is the server itself; the JIT one runs as `dotnet …` (the same pid)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs); server: ${serve[0]}"
dotnet run --file bench/explorer.cs -- "$url" "$server" "4GiB=$big" "20kVMA=$many"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
