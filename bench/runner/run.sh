#!/usr/bin/env bash
# Benchmarks the script runner (results: docs/BENCHMARKS.md, "Script runner").
#  1. The tour: `dockscript run` (cold and warm compiled-script cache) against the same steps as
#     a bash script of docker CLI calls (tour.sh), its reachability matrix probed one pair after
#     the other (the plain CLI way) and, as a second reference, as 30 background jobs.
#  2. Host overhead on a trivial script: process start → first Docker call, and compile time,
#     cold and warm, from the `--debug` lines.
# Usage: bench/runner/run.sh [RUNS]   (default 5 runs per tour variant)
# hyperfine pairs each --prepare with the command after it, hence the `--prepare true` ones.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-5}
export DOCKSCRIPT_DNS=127.0.0.1
export XDG_CACHE_HOME=${XDG_CACHE_HOME_BENCH:-/tmp/dockscript-bench-cache}
CACHE="$XDG_CACHE_HOME/dockscript"

if ! command -v hyperfine >/dev/null; then
  echo "bench: installing hyperfine" >&2
  apt-get install -y hyperfine >/dev/null
fi

"$ROOT/scripts/engine"
# The launcher publishes the ReadyToRun build when sources changed; do that outside the timings.
DOCKSCRIPT_BUILD=fast "$ROOT/scripts/dockscript" --version >/dev/null
DS="$ROOT/.build/fast/dockscript"
TRIVIAL="$ROOT/tests/DockScript.IntegrationTests/Fixtures/Args/Args.csx"

echo "== 1. the tour: dockscript (cold cache, warm cache) vs docker CLI" >&2
OUT=$(mktemp -d)
hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/tour.json" \
  --command-name "dockscript run (cold cache)" --prepare "rm -rf '$CACHE'" "$DS run $ROOT/bench/runner/tour.csx" \
  --command-name "dockscript run (warm cache)" --prepare true "$DS run $ROOT/bench/runner/tour.csx" \
  --command-name "docker CLI (tour.sh)" --prepare true "$ROOT/bench/runner/tour.sh" \
  --command-name "docker CLI, matrix in parallel" --prepare true "TOUR_SH_PARALLEL=1 $ROOT/bench/runner/tour.sh"

python3 - "$OUT/tour.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
cli = r["docker CLI (tour.sh)"]
par = r["docker CLI, matrix in parallel"]
for name, mean in r.items():
    print(f"{name:32} {mean:6.2f} s   {mean / cli:4.2f}x the CLI script   {mean / par:4.2f}x with its matrix in parallel")
PY

echo "== 2. host overhead on a trivial script (10 runs each)" >&2
for mode in cold warm; do
  start=0; compile=0
  for _ in $(seq 10); do
    [ "$mode" = cold ] && rm -rf "$CACHE"
    log=$("$DS" run --debug "$TRIVIAL" -- x 2>&1 >/dev/null)
    start=$((start + $(sed -nE 's/^startup: ([0-9]+) ms.*/\1/p' <<<"$log")))
    compile=$((compile + $(sed -nE 's/^compile: ([0-9]+) ms.*/\1/p' <<<"$log")))
  done
  echo "$mode cache: compile $((compile / 10)) ms, process start → first Docker call $((start / 10)) ms (mean of 10)"
done
hyperfine --runs 10 --warmup 2 \
  --command-name "trivial script, cold cache" --prepare "rm -rf '$CACHE'" "$DS run $TRIVIAL -- x" \
  --command-name "trivial script, warm cache" --prepare true "$DS run $TRIVIAL -- x"
rm -rf "$OUT"
