#!/usr/bin/env bash
# Torture: CYCLES (default 100) cycles of a crowd buying from the real flashsale process, kill -9 at a random moment,
# restart on the same data directory, verify (no acknowledged win lost, nothing oversold, nobody over the limit,
# every acknowledged win in the export, the reservations decided but never heard counted and seen to expire);
# prints the tally. Then the full-disk test (a 384 KiB tmpfs as the data directory; needs root).
#
#   bench/torture.sh            (from the repository root; env: CYCLES=100 SEED=20261129)
#
# CI runs the same tests with 3 cycles (tests/FlashSale.Server.Tests/Torture).
set -euo pipefail
cd "$(dirname "$0")/.."
CYCLES=${CYCLES:-100}
SEED=${SEED:-20261129}
REPORT=$(mktemp /tmp/flashsale-torture.XXXXXX)
trap 'rm -f "$REPORT"' EXIT
TORTURE_CYCLES=$CYCLES TORTURE_SEED=$SEED TORTURE_REPORT=$REPORT \
  dotnet test tests/FlashSale.Server.Tests -c Release \
  --filter "FullyQualifiedName~Torture.TortureTests|FullyQualifiedName~Torture.DiskFullTests" \
  --logger "console;verbosity=normal"
cat "$REPORT"
