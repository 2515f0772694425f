#!/usr/bin/env bash
# HTTP: flashsale's purchase endpoint against a bare Kestrel app, side by side, on loopback.
#
#   bench/http-compare.sh   (from the repository root; env: DURATION=12s CONNECTIONS=64 THREADS=2 USERS=20000 ROUNDS=1,
#                            FLASHSALE_DLL=path/to/another/build/flashsale.dll to measure another build of the server)
#
# Builds Release, installs wrk from Debian if missing, starts flashsale (fresh data directory, rate limit off) and
# bench/BareKestrel, sets up three sales, and drives each server in turn with wrk for:
#   (a) an open sale with plenty of stock (every attempt wins),
#   (b) a sold-out sale,
#   (c) buyers who already won, attempting again (limit_reached, decided by their shard).
# Prints requests/s and p99 of both and the ratio purchase/bare, then the cost of one token validation.
# Traffic goes only to 127.0.0.1; every wrk run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-12s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
USERS=${USERS:-20000}
ROUNDS=${ROUNDS:-1}
FLASHSALE_PORT=${FLASHSALE_PORT:-5081}
BARE_PORT=${BARE_PORT:-5082}
FLASHSALE_DLL=${FLASHSALE_DLL:-src/FlashSale.Server/bin/Release/net10.0/flashsale.dll}
ADMIN_KEY=bench-admin-key-0123456789abcdef
SECRET=bench-token-secret-0123456789abcdefghijklmnop

if ! command -v wrk >/dev/null; then
  echo "installing wrk from Debian..."
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

echo "building Release..."
dotnet build src/FlashSale.Server/FlashSale.Server.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/BareKestrel/BareKestrel.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/HttpCompare/HttpCompare.csproj -c Release -v q -nologo >/dev/null
TOOL="dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll"

for port in "$FLASHSALE_PORT" "$BARE_PORT"; do
  if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    exec 3<&- 3>&-
    echo "port $port is in use; stop what listens there or set FLASHSALE_PORT/BARE_PORT" >&2
    exit 1
  fi
done

WORK=$(mktemp -d /tmp/flashsale-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet "$FLASHSALE_DLL" serve --urls "http://127.0.0.1:$FLASHSALE_PORT" --data "$WORK/data" \
  "--FlashSale:AdminKey=$ADMIN_KEY" "--FlashSale:TokenSecret=$SECRET" --FlashSale:RateLimit:Enabled=false >"$WORK/flashsale.log" 2>&1 &
PIDS+=($!)
FLASHSALE_PID=$!
dotnet bench/BareKestrel/bin/Release/net10.0/BareKestrel.dll --urls "http://127.0.0.1:$BARE_PORT" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
BARE_PID=$!

healthy() { # port: GET /healthz answers 200 (bash's /dev/tcp, so no curl needed)
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local status
  read -r _ status _ <&3 || true
  exec 3<&- 3>&-
  [ "$status" = 200 ]
}

wait_ready() {
  for _ in $(seq 1 300); do
    if healthy "$1"; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  cat "$WORK"/*.log >&2
  exit 1
}
wait_ready "$FLASHSALE_PORT"
wait_ready "$BARE_PORT"

$TOOL mint --secret "$SECRET" --users "$USERS" --out "$WORK/tokens.lua"
$TOOL setup --url "http://127.0.0.1:$FLASHSALE_PORT" --admin-key "$ADMIN_KEY" --secret "$SECRET" --users "$USERS"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system time of a process, in clock ticks

run() { # port pid sale duration [no-request-id] -> "rps p99 cpu_us_per_request socket_errors"
  local before after
  before=$(cpu_ticks "$2")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --timeout 5s -s bench/purchase.lua "http://127.0.0.1:$1" -- "/api/sales/$3/purchase" "$WORK/tokens.lua" "${5:-}" >"$WORK/wrk.out"
  after=$(cpu_ticks "$2")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '/^RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s %s %.1f %s\n", v["rps"], v["p99_ms"], ticks * 1e6 / hz / v["requests"], v["socket_errors"] }' "$WORK/wrk.out"
}

echo "warming up (JIT) ..."
run "$BARE_PORT" "$BARE_PID" a 5s >/dev/null
run "$FLASHSALE_PORT" "$FLASHSALE_PID" a 5s >/dev/null

# cpu = the server process's CPU time per request (user + system), a figure less shaken by other load than rps.
# ratio = purchase rps / bare rps; cpu ratio = bare cpu us / purchase cpu us (server CPU per request, the steadier
# figure on a shared machine); the targets apply to both.
printf '\n%-34s %9s %7s %7s %12s %7s %7s %7s %9s\n' "scenario ($CONNECTIONS connections)" "bare rps" "p99 ms" "cpu us" "purchase rps" "p99 ms" "cpu us" "ratio" "cpu ratio"
# b2 is b without requestIds: the engine's sold-out flag answers those without the shard's queue (with a requestId
# the shard must answer, since a repeat has to get the first answer again).
for round in $(seq 1 "$ROUNDS"); do
[ "$ROUNDS" -gt 1 ] && echo "round $round"
for scenario in "a:a:open sale, plenty of stock:0.6:" "b:b:after sell-out:0.9:" "c:c:repeats by buyers who won:0.9:" \
                "b2:b:after sell-out, no requestId:0.9:no-request-id"; do
  IFS=: read -r name sale label target variant <<<"$scenario"
  read -r bare_rps bare_p99 bare_cpu bare_errors < <(run "$BARE_PORT" "$BARE_PID" "$sale" "$DURATION" "$variant")
  read -r sale_rps sale_p99 sale_cpu sale_errors < <(run "$FLASHSALE_PORT" "$FLASHSALE_PID" "$sale" "$DURATION" "$variant")
  ratio=$(awk -v s="$sale_rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", s / b }')
  cpu_ratio=$(awk -v s="$sale_cpu" -v b="$bare_cpu" 'BEGIN { printf "%.2f", b / s }')
  printf '%-34s %9s %7s %7s %12s %7s %7s %7s %9s  (target >= %s; socket errors %s/%s)\n' \
    "($name) $label" "$bare_rps" "$bare_p99" "$bare_cpu" "$sale_rps" "$sale_p99" "$sale_cpu" "$ratio" "$cpu_ratio" "$target" "$bare_errors" "$sale_errors"
  echo "    flashsale answers in sale $sale so far: $($TOOL stats --url "http://127.0.0.1:$FLASHSALE_PORT" --admin-key "$ADMIN_KEY" --sale "$sale")"
done
done

echo
$TOOL token-cost --secret "$SECRET"
if ! kill -0 "$FLASHSALE_PID" 2>/dev/null; then echo "flashsale died:" >&2; cat "$WORK/flashsale.log" >&2; exit 1; fi
