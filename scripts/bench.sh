#!/usr/bin/env bash
# Builds the benchmarks in Release, runs them in-process with BenchmarkDotNet's JSON and markdown exporters, and
# writes the summary table (benchmark, mean, allocated, target, verdict) between the bench markers of
# docs/PERFORMANCE.md. Targets live in bench/Cordial.Benchmarks/Reporting/BenchmarkTargets.cs.
#
#   bash scripts/bench.sh                 # the whole suite (job "short", a few minutes); updates docs/PERFORMANCE.md
#   bash scripts/bench.sh '*Cache*'       # only matching benchmarks; prints the table, leaves the document alone
#   bash scripts/bench.sh --quick [...]   # one cold iteration each (job "dry"): checks that they run; prints only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export CORDIAL_ARTIFACTS=${CORDIAL_ARTIFACTS:-$root/artifacts}

job=short
filters=()
for arg in "$@"; do
  case "$arg" in
    --quick) job=dry ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "bench.sh: unknown option $arg (see bash scripts/bench.sh --help)" >&2; exit 2 ;;
    *) filters+=("$arg") ;;
  esac
done

document=docs/PERFORMANCE.md
if [ ${#filters[@]} -gt 0 ] || [ "$job" != short ]; then
  document=-   # a partial or quick run would replace the full table with fewer or meaningless figures
fi
[ ${#filters[@]} -eq 0 ] && filters=('*')

command="bash scripts/bench.sh"
for arg in "$@"; do
  if [[ "$arg" =~ ^[A-Za-z0-9._/=-]+$ ]]; then command+=" $arg"; else command+=" '$arg'"; fi
done
load=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)
out=$CORDIAL_ARTIFACTS/benchmarks
rm -rf "$out"

echo "== building bench/Cordial.Benchmarks (Release)"
dotnet build bench/Cordial.Benchmarks -c Release -nologo -v:q -clp:ErrorsOnly
dll=$CORDIAL_ARTIFACTS/bin/Cordial.Benchmarks/release/Cordial.Benchmarks.dll

echo "== running ${filters[*]} (job $job, load average $load)"
# --inProcess: the default out-of-process toolchain generates a project that does not build with a redirected
# artifacts path, and its build times out on a loaded 2-core machine.
dotnet "$dll" --filter "${filters[@]}" --job "$job" --inProcess --exporters json github --artifacts "$out"

echo "== summary"
dotnet "$dll" --write-summary "$document" --results "$out/results" --command "$command" --load "$load" --job "$job"
