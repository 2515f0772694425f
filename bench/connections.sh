#!/usr/bin/env bash
# Connections: server memory per held connection (idle keep-alive, then open Server-Sent Events streams), while a
# small wrk crowd buys in a sold-out sale beside them.
#
#   bench/connections.sh   (from the repository root; env: COUNT=15000 SOURCES=8 HOLD=25 CROWD=8 CROWD_TIME=10s
#                           KINDS="idle sse" PORT=5091, SERVER_ARGS="--FlashSale:Connections:...=..." extra serve
#                           arguments, SERVER_ENV="DOTNET_GCgen0size=0x400000" extra environment for the server)
#
# For each kind it starts a fresh flashsale (fresh data directory, rate limit off), sets up the sold-out sale b of
# bench/http-compare.sh, opens COUNT connections from 127.0.0.2 .. 127.0.0.(1+SOURCES) with bench/Connections and,
# while they are held, runs wrk with CROWD connections against sale b (every answer sold_out) and prints its p99.
# Traffic goes only to 127.0.0.x; every run is bounded by HOLD and CROWD_TIME.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-15000}
SOURCES=${SOURCES:-8}
HOLD=${HOLD:-25}
CROWD=${CROWD:-8}
CROWD_TIME=${CROWD_TIME:-10s}
KINDS=${KINDS:-idle sse}
PORT=${PORT:-5091}
USERS=${USERS:-2000}
SERVER_ARGS=${SERVER_ARGS:-}
SERVER_ENV=${SERVER_ENV:-}
ADMIN_KEY=bench-admin-key-0123456789abcdef
SECRET=bench-token-secret-0123456789abcdefghijklmnop
FLASHSALE_DLL=${FLASHSALE_DLL:-src/FlashSale.Server/bin/Release/net10.0/flashsale.dll}

if [ "$(ulimit -n)" -lt $((COUNT + 1000)) ]; then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
if [ "${SKIP_BUILD:-}" != 1 ]; then
  echo "building Release..."
  dotnet build src/FlashSale.Server/FlashSale.Server.csproj -c Release -v q -nologo >/dev/null
  dotnet build bench/Connections/Connections.csproj -c Release -v q -nologo >/dev/null
  dotnet build bench/HttpCompare/HttpCompare.csproj -c Release -v q -nologo >/dev/null
fi
TOOL="dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll"

WORK=$(mktemp -d /tmp/flashsale-conns.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

healthy() {
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local status
  read -r _ status _ <&3 || true
  exec 3<&- 3>&-
  [ "$status" = 200 ]
}

$TOOL mint --secret "$SECRET" --users "$USERS" --out "$WORK/tokens.lua"
for kind in $KINDS; do
  rm -rf "$WORK/data"
  # shellcheck disable=SC2086 # SERVER_ENV and SERVER_ARGS are lists of words on purpose
  env $SERVER_ENV dotnet "$FLASHSALE_DLL" serve --urls "http://127.0.0.1:$PORT" --data "$WORK/data" \
    "--FlashSale:AdminKey=$ADMIN_KEY" "--FlashSale:TokenSecret=$SECRET" --FlashSale:RateLimit:Enabled=false \
    $SERVER_ARGS >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do healthy && break; sleep 0.1; done
  healthy || { echo "the server did not come up" >&2; cat "$WORK/server.log" >&2; exit 1; }
  $TOOL setup --url "http://127.0.0.1:$PORT" --admin-key "$ADMIN_KEY" --secret "$SECRET" --users "$USERS" >/dev/null
  # warm the purchase path up (JIT) before the baseline is read
  wrk -t2 -c"$CROWD" -d3s -s bench/purchase.lua "http://127.0.0.1:$PORT" -- /api/sales/b/purchase "$WORK/tokens.lua" \
    >/dev/null
  sleep 2
  if [ "$kind" = sse ]; then
    extra=(--sse --path /admin/live --header "Authorization: Bearer $ADMIN_KEY")
  else
    extra=(--path /api/time)
  fi
  dotnet bench/Connections/bin/Release/net10.0/Connections.dll --port "$PORT" --server-pid "$SERVER_PID" \
    --count "$COUNT" --sources "$SOURCES" --hold "$HOLD" "${extra[@]}" >"$WORK/conns.out" 2>&1 &
  conns=$!
  until grep -q '^opened' "$WORK/conns.out" 2>/dev/null || ! kill -0 "$conns" 2>/dev/null; do sleep 0.2; done
  wrk -t2 -c"$CROWD" -d"$CROWD_TIME" --timeout 5s -s bench/purchase.lua "http://127.0.0.1:$PORT" \
    -- /api/sales/b/purchase "$WORK/tokens.lua" >"$WORK/wrk.out"
  wait "$conns" || true
  echo "== $kind ($COUNT connections${SERVER_ENV:+, $SERVER_ENV}${SERVER_ARGS:+, $SERVER_ARGS})"
  cat "$WORK/conns.out"
  grep '^RESULT' "$WORK/wrk.out" | sed 's/^RESULT/CROWD (sold-out buyers beside the held connections)/'
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
done
