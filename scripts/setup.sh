#!/usr/bin/env bash
# Sets up a fresh clone: npm packages, the local stand-ins (only when no Kafka/MongoDB address is configured), Chromium for the console test, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -z "${KAFKA_BROKERS:-}" ] || [ -z "${MONGODB_URI:-}" ]; then
  bash scripts/setup-local-infra.sh
fi

bash scripts/setup-browser.sh
echo "setup: building"
npx tsc -b
