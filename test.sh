#!/bin/sh
# Runs every test. The Redis store's tests start real redis-server processes (standalone + replica, and a
# 3-primary cluster), so this installs Debian's redis-server and redis-tools first when they are missing.
set -eu
cd "$(dirname "$0")"
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    echo "test.sh: installing redis-server and redis-tools (needed by tests/FlashSale.Redis.Tests)" >&2
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q redis-server redis-tools
fi
exec dotnet test FlashSale.slnx -c Release "$@"
