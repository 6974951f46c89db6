#!/usr/bin/env bash
# Prepares the local Kafka stand-in (dev/test aid only): installs librdkafka's mock-cluster headers and builds the broker binary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/platform/native/kafka-mock-broker.c"
bin="$root/.local/bin/kafka-mock-broker"
header=/usr/include/librdkafka/rdkafka_mock.h
done_steps=()

if [ ! -f "$header" ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have stale or empty package lists; refresh them only when the install needs it.
  if ! "${sudo_cmd[@]}" apt-get install -y -q librdkafka-dev >"$log" 2>&1; then
    if ! { "${sudo_cmd[@]}" apt-get update -q && "${sudo_cmd[@]}" apt-get install -y -q librdkafka-dev; } >>"$log" 2>&1; then
      cat "$log" >&2
      echo "setup-local-infra: could not install librdkafka-dev (needed for the local Kafka stand-in)" >&2
      exit 1
    fi
  fi
  done_steps+=("installed librdkafka-dev")
fi

if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
  mkdir -p "$(dirname "$bin")"
  # Build beside the target and rename, so a running stand-in never sees a half-written binary.
  gcc -O2 -Wall -Wextra -o "$bin.tmp" "$src" -lrdkafka
  mv -f "$bin.tmp" "$bin"
  done_steps+=("built .local/bin/kafka-mock-broker")
fi

if [ ${#done_steps[@]} -gt 0 ]; then
  msg="${done_steps[0]}"
  for step in "${done_steps[@]:1}"; do msg+=", $step"; done
  echo "setup-local-infra: $msg"
else
  echo "setup-local-infra: librdkafka-dev and .local/bin/kafka-mock-broker already up to date"
fi
