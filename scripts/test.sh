#!/usr/bin/env bash
# Builds Cordial and runs every test. Installs and starts what the tests need when it is missing
# (the npm packages for the discord.js interop test, a private PostgreSQL on 127.0.0.1), then prints
# one closing line: "N passed, N failed" (", N skipped" when some were skipped).
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh Discord    # only test projects whose name contains "Discord"
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
filter=${1:-}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export CORDIAL_ARTIFACTS=${CORDIAL_ARTIFACTS:-$root/artifacts}
results=$CORDIAL_ARTIFACTS/test-results
rm -rf "$results"; mkdir -p "$results"

say() { printf '== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null 2>&1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
  }
}

ensure_node_packages() {
  [ -f tests/interop/package.json ] || return 0
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d tests/interop/node_modules ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules ]; then
    say "npm ci (tests/interop)"
    (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || say "npm ci failed: the interop tests will report it"
  fi
}

pg_dir=""
stop_postgres() { [ -n "$pg_dir" ] && [ -d "$pg_dir" ] && pg_run pg_ctl -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; [ -n "$pg_dir" ] && rm -rf "$pg_dir"; }
pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

ensure_postgres() {
  [ -n "${CORDIAL_TEST_POSTGRES:-}" ] && return 0
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then apt_install postgresql; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1); fi
  [ -n "$bin" ] || { say "PostgreSQL could not be installed: its tests will report it"; return 0; }
  export PATH="$bin:$PATH"
  pg_dir=$(mktemp -d /tmp/cordial-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  if pg_run initdb -D "$pg_dir/data" -U cordial --auth=trust -E UTF8 >/dev/null 2>&1 &&
     pg_run pg_ctl -D "$pg_dir/data" -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off" -w -l "$pg_dir/log" start >/dev/null 2>&1; then
    export CORDIAL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=cordial;Database=postgres"
    say "PostgreSQL on 127.0.0.1:$port"
  else
    say "PostgreSQL did not start: its tests will report it"; cat "$pg_dir/log" 2>/dev/null | tail -5
  fi
}

ensure_chromium() {
  # the browser test of the sandbox page drives Debian's chromium through chromedriver (headless)
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver || say "chromium could not be installed: the browser tests will report it"
  fi
}

trap stop_postgres EXIT
ensure_node_packages
ensure_postgres
ensure_chromium

say "dotnet build"
if ! dotnet build Cordial.slnx -c Debug -nologo -clp:ErrorsOnly -v:q; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0; broken=()
for proj in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
  say "$name"
  trx="$results/$name.trx"
  dotnet test "$proj" --no-build -c Debug --nologo -v:q \
    --blame-hang-timeout 10m \
    --logger "trx;LogFileName=$trx" --logger "console;verbosity=minimal" 2>&1 | grep -v -E '^\s*$|^Test run for|^VSTest version|^A total of|^Starting test execution' 
  if [ ! -f "$trx" ]; then
    echo "   $name produced no results (the test host did not finish)"
    broken+=("$name"); failed=$((failed + 1)); continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  t=$(get total); p=$(get passed); f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  s=$(( t - p - f ))
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done

total=$((passed + failed + skipped))
if [ "$total" -eq 0 ]; then echo "no test ran"; echo "0 passed, 1 failed"; exit 1; fi
[ ${#broken[@]} -gt 0 ] && echo "test hosts that did not finish: ${broken[*]}"
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
