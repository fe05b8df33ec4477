#!/bin/sh
# The container's entrypoint: everything the service keeps is under $PRACTICE_ALERTS_DATA (one volume).
#  - no configuration yet: write a starter one there, say what to do, and stop (exit 78, EX_CONFIG);
#  - `run`: check the installation first and refuse to start, naming each problem (exit 78);
#  - anything else is a practice-alerts command (status, health, backup, ...).
set -eu
umask 077
DATA="${PRACTICE_ALERTS_DATA:-/data}"
export PRACTICE_ALERTS_CONFIG="${PRACTICE_ALERTS_CONFIG:-$DATA/practice-alerts.yaml}"

if [ ! -f "$PRACTICE_ALERTS_CONFIG" ]; then
  practice-alerts init "$DATA"
  echo "A starter configuration is in $PRACTICE_ALERTS_CONFIG (in the data volume): edit it, replace" >&2
  echo "directory.yaml with your organisation's, then start the container again." >&2
  exit 78
fi

if [ "${1:-run}" = "run" ]; then
  if ! practice-alerts check; then
    echo "Not starting: fix the problems above (see docs/operations.md)." >&2
    exit 78
  fi
fi

exec practice-alerts "$@"
