#!/usr/bin/env bash
# Karma and Playwright drive Debian's Chromium; install it when it is missing and we are root.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium (needed by Karma and Playwright)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is missing at /usr/bin/chromium: install Debian's 'chromium' package (as root: apt-get install chromium)." >&2
  exit 1
fi
