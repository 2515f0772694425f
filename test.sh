#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing: Redis (cluster mode's tests start real
# redis-server processes), nginx (the deploy/ test runs its configuration in front of gateways) and Chromium with
# ChromeDriver (the pages' tests drive a real headless browser).
# Arguments are passed to `dotnet test` (for example --filter "FullyQualifiedName~Redis").
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is required on PATH: https://dot.net/download" >&2
  exit 1
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]} (Debian/Ubuntu packages the tests need)" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "test.sh: run as root or install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

exec dotnet test FlashSale.slnx -c Release "$@"
