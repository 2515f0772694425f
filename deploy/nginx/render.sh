#!/usr/bin/env bash
# Writes a ready nginx.conf from deploy/nginx/flashsale.conf.in.
#   deploy/nginx/render.sh PREFIX LISTEN GATEWAY...
#   e.g. deploy/nginx/render.sh /tmp/fs-nginx 127.0.0.1:8080 127.0.0.1:8081 127.0.0.1:8082
# Creates PREFIX/logs and PREFIX/temp; then run: nginx -p PREFIX -c nginx.conf -e logs/error.log
set -euo pipefail
if (($# < 3)); then
  echo "usage: $0 PREFIX LISTEN GATEWAY... (e.g. $0 /tmp/fs-nginx 127.0.0.1:8080 127.0.0.1:8081)" >&2
  exit 2
fi
prefix=$1 listen=$2
shift 2
template="$(dirname "$0")/flashsale.conf.in"
mkdir -p "$prefix/logs" "$prefix/temp"
servers=""
for gateway in "$@"; do
  # max_fails/fail_timeout: a gateway that refused 3 connections is left alone for 5 s, then tried again.
  servers+="server $gateway max_fails=3 fail_timeout=5s;\n        "
done
awk -v listen="$listen" -v servers="$servers" '/^[ \t]*#/ { print; next } {
  gsub(/@LISTEN@/, listen)
  if ($0 ~ /@GATEWAYS@/) { gsub(/\\n/, "\n", servers); sub(/[ \n]+$/, "", servers); sub(/@GATEWAYS@/, servers) }
  print
}' "$template" >"$prefix/nginx.conf"
echo "$prefix/nginx.conf"
