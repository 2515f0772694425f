#!/usr/bin/env bash
# Stops what deploy/start.sh started: nginx, the gateways (SIGTERM: in-flight purchases are answered), then Redis
# (SHUTDOWN, which flushes the append-only files). `--clean` also removes RUN (Redis data, logs, secrets).
#   Environment: RUN (default deploy/run), REDIS_PORT (default 7000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
RUN=${RUN:-$here/run}
REDIS_PORT=${REDIS_PORT:-7000}
[[ -d $RUN ]] || { echo "stop.sh: nothing to stop ($RUN does not exist)"; exit 0; }

if [[ -f $RUN/nginx/logs/nginx.pid ]]; then
  if ! nginx -p "$RUN/nginx" -c nginx.conf -e logs/error.log -s quit 2>/dev/null; then echo "nginx was not running"; fi
fi

pids=()
for file in "$RUN"/gateway-*.pid; do
  [[ -f $file ]] || continue
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" && pids+=("$pid"); fi
  rm -f "$file"
done
for pid in "${pids[@]}"; do
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done

for i in 0 1 2 3 4 5; do
  port=$((REDIS_PORT + i))
  if redis-cli -p "$port" PING >/dev/null 2>&1; then redis-cli -p "$port" SHUTDOWN >/dev/null 2>&1; fi
done

if [[ ${1:-} == --clean ]]; then rm -rf "$RUN"; echo "stopped; removed $RUN"; else echo "stopped; data and logs kept in $RUN"; fi
