#!/usr/bin/env bash
# FlashSale in cluster mode on one machine: a Redis Cluster of 3 primaries + 3 replicas, N gateways
# (`flashsale serve --redis ...`), and nginx in front. Everything lives under RUN (default deploy/run).
#
#   deploy/start.sh             then buy through http://127.0.0.1:8080, see deploy/README.md
#   deploy/stop.sh              stops it all (keeps RUN: Redis data, logs); deploy/stop.sh --clean removes RUN
#
# Environment (defaults): GATEWAYS=3  LB=127.0.0.1:8080  GATEWAY_PORT=8081 (first; then 8082, ...)
#   REDIS_PORT=7000 (first of six; their bus ports are +10000)  RUN=deploy/run
#   FlashSale__AdminKey, FlashSale__TokenSecret: generated into RUN/secrets.env when not set
#   FLASHSALE: the command that runs flashsale (default: dotnet on the Release build, built when missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
GATEWAYS=${GATEWAYS:-3}
LB=${LB:-127.0.0.1:8080}
GATEWAY_PORT=${GATEWAY_PORT:-8081}
REDIS_PORT=${REDIS_PORT:-7000}
RUN=${RUN:-$here/run}
mkdir -p "$RUN"
RUN=$(cd "$RUN" && pwd)

for tool in redis-server redis-cli nginx dotnet; do
  command -v "$tool" >/dev/null || { echo "start.sh: $tool is required (Debian: apt-get install redis-server redis-tools nginx)" >&2; exit 1; }
done

if [[ -z ${FLASHSALE:-} ]]; then
  dll="$root/src/FlashSale.Server/bin/Release/net10.0/flashsale.dll"
  if [[ ! -f $dll ]]; then
    echo "building flashsale (Release)..."
    dotnet build "$root/src/FlashSale.Server" -c Release -v q -nologo >/dev/null
  fi
  FLASHSALE="dotnet $dll"
fi

# Secrets: from the environment, else generated once and kept in RUN/secrets.env (mode 600).
if [[ -z ${FlashSale__AdminKey:-} || -z ${FlashSale__TokenSecret:-} ]]; then
  if [[ ! -f $RUN/secrets.env ]]; then
    umask 077
    {
      echo "export FlashSale__AdminKey=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
      echo "export FlashSale__TokenSecret=$(head -c 48 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    } >"$RUN/secrets.env"
    umask 022
  fi
  # shellcheck source=/dev/null
  source "$RUN/secrets.env"
fi
export FlashSale__AdminKey FlashSale__TokenSecret

ready() { # host:port path -> 0 when GET path answers 200
  local host=${1%:*} port=${1##*:} status
  { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$2" "$1" >&3
  if ! read -r _ status _ <&3; then status=; fi
  exec 3<&- 3>&-
  [[ $status == 200 ]]
}

wait_for() { # what seconds command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  echo "start.sh: $what did not come up within ${seconds}s" >&2
  return 1
}

# 1. Redis: six nodes, then one cluster of 3 primaries with a replica each.
nodes=()
for i in 0 1 2 3 4 5; do
  port=$((REDIS_PORT + i))
  dir="$RUN/redis-$port"
  mkdir -p "$dir"
  nodes+=("127.0.0.1:$port")
  if redis-cli -p "$port" PING >/dev/null 2>&1; then continue; fi
  redis-server "$here/redis/node.conf" --port "$port" --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
done
for node in "${nodes[@]}"; do
  wait_for "redis $node" 10 redis-cli -p "${node##*:}" PING
done >/dev/null
if ! redis-cli -p "$REDIS_PORT" CLUSTER INFO | grep -q '^cluster_state:ok'; then
  if [[ $(redis-cli -p "$REDIS_PORT" CLUSTER INFO | awk -F: '/cluster_known_nodes/ { print $2+0 }') -le 1 ]]; then
    echo "creating the Redis Cluster (3 primaries, 3 replicas)..."
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$RUN/cluster-create.log"
  fi
  cluster_ok() { redis-cli -p "$REDIS_PORT" CLUSTER INFO | grep -q '^cluster_state:ok'; }
  wait_for "cluster_state:ok" 30 cluster_ok
fi
redis_config=$(IFS=,; echo "${nodes[*]}")
echo "Redis Cluster: ${nodes[*]} (configuration string \"$redis_config\")"

# 2. Gateways: `flashsale serve --redis` on their own ports, stateless; logs and pids in RUN.
gateways=()
for ((i = 0; i < GATEWAYS; i++)); do
  port=$((GATEWAY_PORT + i))
  gateways+=("127.0.0.1:$port")
  if [[ -f $RUN/gateway-$port.pid ]] && kill -0 "$(cat "$RUN/gateway-$port.pid")" 2>/dev/null; then continue; fi
  # shellcheck disable=SC2086
  nohup $FLASHSALE serve --redis "$redis_config" --urls "http://127.0.0.1:$port" \
    >"$RUN/gateway-$port.log" 2>&1 </dev/null &
  echo $! >"$RUN/gateway-$port.pid"
done
gateway_up() { # port -> 0 when its /healthz answers 200; stops the script when the gateway has exited
  if ! kill -0 "$(cat "$RUN/gateway-$1.pid")" 2>/dev/null; then
    echo "start.sh: the gateway on port $1 exited; $RUN/gateway-$1.log says:" >&2
    cat "$RUN/gateway-$1.log" >&2
    exit 1
  fi
  ready "127.0.0.1:$1" /healthz
}
for gateway in "${gateways[@]}"; do
  wait_for "gateway $gateway (see $RUN/gateway-${gateway##*:}.log)" 60 gateway_up "${gateway##*:}"
done
echo "gateways: ${gateways[*]}"

# 3. nginx in front, with its own prefix under RUN (no root, no /etc).
"$here/nginx/render.sh" "$RUN/nginx" "$LB" "${gateways[@]}" >/dev/null
if [[ -f $RUN/nginx/logs/nginx.pid ]] && kill -0 "$(cat "$RUN/nginx/logs/nginx.pid")" 2>/dev/null; then
  nginx -p "$RUN/nginx" -c nginx.conf -e logs/error.log -s reload
else
  nginx -p "$RUN/nginx" -c nginx.conf -e logs/error.log
fi
wait_for "nginx on $LB" 10 ready "$LB" /healthz
echo "nginx: http://$LB/ (buyers and operators), metrics on each gateway: http://<gateway>/metrics"
echo "secrets: $([[ -f $RUN/secrets.env ]] && echo "$RUN/secrets.env" || echo "from the environment")"
