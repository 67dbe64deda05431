#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium for the real-browser
# tests (test/render/*-browser.test.ts, test/console/*.test.ts). Installs it with apt when running as root;
# otherwise explains what is missing and fails (the test must not silently skip).
set -euo pipefail
BIN=/usr/bin/chromium
if [ -x "$BIN" ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $BIN is missing and this is not root; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $BIN is missing and apt-get is not available; install Chromium at $BIN" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >&2 || apt-get install -y -qq chromium >&2
if [ ! -x "$BIN" ]; then
  echo "ensure-chromium: apt-get finished but $BIN is still missing" >&2
  exit 1
fi
