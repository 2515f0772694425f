#!/usr/bin/env bash
# Cluster mode against embedded mode, side by side in one run, on loopback:
#   - embedded: one `flashsale serve` (engine and fsynced journal in the process)
#   - 1 gateway: one `flashsale serve --redis` over a standalone redis-server (deploy/redis/node.conf: appendonly yes,
#     appendfsync always, so a `won` is on disk before it is answered, as in embedded mode)
#   - 2 gateways: two gateways over the same Redis, wrk driving each directly with half the connections
#   - 2 gateways behind nginx: the deploy/ nginx config in front of the same two gateways
#
#   bench/cluster-compare.sh   (from the repository root; env: DURATION=10s CONNECTIONS=64 USERS=10000 ROUNDS=2)
#
# For each scenario -- (a) open sale, every attempt wins; (b) after sell-out; (c) repeats by buyers who won
# (limit_reached) -- prints requests/s, p99, and CPU time per request of each process involved: the server or
# gateways, redis-server, nginx. The machine's load average is printed before every round: on a shared machine read
# the ratios within a round, not the absolute figures. Traffic goes only to 127.0.0.1; every wrk run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
USERS=${USERS:-10000}
ROUNDS=${ROUNDS:-2}
FLASHSALE_DLL=${FLASHSALE_DLL:-src/FlashSale.Server/bin/Release/net10.0/flashsale.dll}
ADMIN_KEY=bench-admin-key-0123456789abcdef
SECRET=bench-token-secret-0123456789abcdefghijklmnop

for tool in wrk redis-server redis-cli nginx; do
  command -v "$tool" >/dev/null || { echo "cluster-compare.sh: $tool is required" >&2; exit 1; }
done

echo "building Release..."
dotnet build src/FlashSale.Server/FlashSale.Server.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/HttpCompare/HttpCompare.csproj -c Release -v q -nologo >/dev/null
TOOL="dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll"

in_use() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && { exec 3<&- 3>&-; return 0; }; return 1; }
free_port() { # a port nothing listens on, nor on port + 10000 (Redis' cluster bus convention)
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    if ! in_use "$port" && ! in_use $((port + 10000)); then echo "$port"; return; fi
  done
}

WORK=$(mktemp -d /tmp/flashsale-cluster-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || :; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || :; done
  rm -rf "$WORK"
}
trap cleanup EXIT

REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
redis-server deploy/redis/node.conf --cluster-enabled no --daemonize no --port "$REDIS_PORT" --dir "$WORK/redis" \
  --logfile "$WORK/redis.log" &
PIDS+=($!)
REDIS_PID=$!

EMBEDDED_PORT=$(free_port)
G1_PORT=$(free_port)
G2_PORT=$(free_port)
common=("--FlashSale:AdminKey=$ADMIN_KEY" "--FlashSale:TokenSecret=$SECRET" --FlashSale:RateLimit:Enabled=false)
dotnet "$FLASHSALE_DLL" serve --urls "http://127.0.0.1:$EMBEDDED_PORT" --data "$WORK/data" "${common[@]}" \
  >"$WORK/embedded.log" 2>&1 &
PIDS+=($!)
EMBEDDED_PID=$!
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1 && break; sleep 0.1; done
# A 10 s Redis timeout: on a loaded shared machine the 2 s default can fail the gateway's connection at start.
common_redis=(--FlashSale:Redis:CommandTimeoutMs=10000)
dotnet "$FLASHSALE_DLL" serve --redis "127.0.0.1:$REDIS_PORT" --urls "http://127.0.0.1:$G1_PORT" "${common[@]}" "${common_redis[@]}" \
  >"$WORK/gateway1.log" 2>&1 &
PIDS+=($!)
G1_PID=$!
dotnet "$FLASHSALE_DLL" serve --redis "127.0.0.1:$REDIS_PORT" --urls "http://127.0.0.1:$G2_PORT" "${common[@]}" "${common_redis[@]}" \
  >"$WORK/gateway2.log" 2>&1 &
PIDS+=($!)
G2_PID=$!

healthy() {
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local status
  if ! read -r _ status _ <&3; then status=; fi
  exec 3<&- 3>&-
  [ "$status" = 200 ]
}
wait_ready() {
  for _ in $(seq 1 600); do
    if healthy "$1"; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  tail -n 20 "$WORK"/*.log >&2
  exit 1
}
for port in "$EMBEDDED_PORT" "$G1_PORT" "$G2_PORT"; do wait_ready "$port"; done

NGINX_PORT=$(free_port)
deploy/nginx/render.sh "$WORK/nginx" "127.0.0.1:$NGINX_PORT" "127.0.0.1:$G1_PORT" "127.0.0.1:$G2_PORT" >/dev/null
# The benchmark's nginx logs nothing per request (the deploy config logs every request, buffered).
sed -i 's|access_log logs/access.log flashsale buffer=64k flush=1s;|access_log off;|' "$WORK/nginx/nginx.conf"
nginx -p "$WORK/nginx" -c nginx.conf -e logs/error.log -g 'daemon off;' &
PIDS+=($!)
NGINX_PID=$!
for _ in $(seq 1 100); do in_use "$NGINX_PORT" && break; sleep 0.1; done

$TOOL mint --secret "$SECRET" --users "$USERS" --out "$WORK/tokens.lua"
echo "setting up the sales: embedded..."
$TOOL setup --url "http://127.0.0.1:$EMBEDDED_PORT" --admin-key "$ADMIN_KEY" --secret "$SECRET" --users "$USERS"
echo "setting up the sales: cluster mode (through gateway 1; gateway 2 sees them in Redis)..."
$TOOL setup --url "http://127.0.0.1:$G1_PORT" --admin-key "$ADMIN_KEY" --secret "$SECRET" --users "$USERS"

ticks() { # user + system clock ticks of the given processes (nginx: master and workers)
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); }
HZ=$(getconf CLK_TCK)

wrk_run() { # out-file port connections threads sale -> writes wrk's RESULT line to out-file
  wrk -t"$4" -c"$3" -d"$DURATION" --timeout 5s -s bench/purchase.lua "http://127.0.0.1:$2" -- \
    "/api/sales/$5/purchase" "$WORK/tokens.lua" >"$1"
}
field() { awk -v k="$2" '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }
us_per() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "-" }'; }

measure() { # mode sale -> one table row
  local mode=$1 sale=$2 before after redis_before redis_after nginx_before=0 nginx_after=0 rps p99 requests
  local server_pids
  case $mode in
    embedded) server_pids=("$EMBEDDED_PID") ;;
    gateway1) server_pids=("$G1_PID") ;;
    *) server_pids=("$G1_PID" "$G2_PID") ;;
  esac
  before=$(ticks "${server_pids[@]}")
  redis_before=$(ticks "$REDIS_PID")
  [[ $mode == nginx ]] && nginx_before=$(ticks $(nginx_pids))
  case $mode in
    embedded) wrk_run "$WORK/w1" "$EMBEDDED_PORT" "$CONNECTIONS" 2 "$sale" ;;
    gateway1) wrk_run "$WORK/w1" "$G1_PORT" "$CONNECTIONS" 2 "$sale" ;;
    gateways2)
      wrk_run "$WORK/w1" "$G1_PORT" $((CONNECTIONS / 2)) 1 "$sale" &
      local w=$!
      wrk_run "$WORK/w2" "$G2_PORT" $((CONNECTIONS / 2)) 1 "$sale"
      wait "$w" ;;
    nginx) wrk_run "$WORK/w1" "$NGINX_PORT" "$CONNECTIONS" 2 "$sale" ;;
  esac
  after=$(ticks "${server_pids[@]}")
  redis_after=$(ticks "$REDIS_PID")
  [[ $mode == nginx ]] && nginx_after=$(ticks $(nginx_pids))
  if [[ $mode == gateways2 ]]; then
    rps=$(awk -v a="$(field "$WORK/w1" rps)" -v b="$(field "$WORK/w2" rps)" 'BEGIN { print a + b }')
    requests=$(( $(field "$WORK/w1" requests) + $(field "$WORK/w2" requests) ))
    p99="$(field "$WORK/w1" p99_ms)/$(field "$WORK/w2" p99_ms)"
  else
    rps=$(field "$WORK/w1" rps); requests=$(field "$WORK/w1" requests); p99=$(field "$WORK/w1" p99_ms)
  fi
  local redis_us="-" nginx_us="-"
  [[ $mode != embedded ]] && redis_us=$(us_per $((redis_after - redis_before)) "$requests")
  [[ $mode == nginx ]] && nginx_us=$(us_per $((nginx_after - nginx_before)) "$requests")
  printf '  %-28s %9s %11s %12s %10s %10s\n' "$mode" "$rps" "$p99" "$(us_per $((after - before)) "$requests")" \
    "$redis_us" "$nginx_us"
}

echo "warming up (JIT) ..."
for port in "$EMBEDDED_PORT" "$G1_PORT" "$G2_PORT"; do wrk_run "$WORK/warm" "$port" 16 1 c; done

echo
echo "cpu us = CPU time (user + system) per request: of the server (embedded) or of the gateways together; redis us:"
echo "redis-server's; nginx us: nginx's, master and workers. $CONNECTIONS connections in every mode ($DURATION each)."
for round in $(seq 1 "$ROUNDS"); do
  echo
  echo "round $round, load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  for scenario in "a:open sale, every attempt wins" "b:after sell-out" "c:repeats by buyers who won"; do
    IFS=: read -r sale label <<<"$scenario"
    echo "($sale) $label"
    printf '  %-28s %9s %11s %12s %10s %10s\n' mode rps "p99 ms" "server cpu us" "redis us" "nginx us"
    for mode in embedded gateway1 gateways2 nginx; do measure "$mode" "$sale"; done
  done
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for pid in "$EMBEDDED_PID" "$G1_PID" "$G2_PID" "$REDIS_PID"; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "a server died:" >&2; tail -n 30 "$WORK"/*.log >&2; exit 1; fi
done
