#!/usr/bin/env bash
# Installs Debian's Chromium (and a CJK font, so Chinese labels render) for the console's browser test; never a downloaded browser.
set -euo pipefail

PACKAGES=(chromium fonts-wqy-zenhei)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
if [ -x /usr/bin/chromium ] && installed fonts-wqy-zenhei; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian: the rest of the setup still works; only the console browser test needs /usr/bin/chromium.
  echo "setup: no apt-get here; install Chromium at /usr/bin/chromium for the ops console browser test" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: chromium (or its CJK font) is missing and this user cannot install packages; as root run: apt-get install -y ${PACKAGES[*]}" >&2
    exit 1
  fi
fi

echo "setup: installing ${PACKAGES[*]} for the ops console browser test"
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}"; then
  # The package lists may be missing or stale on a fresh machine: refresh them once and retry.
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}"
fi
test -x /usr/bin/chromium || { echo "setup: chromium installed but /usr/bin/chromium is not there" >&2; exit 1; }
