#!/usr/bin/env bash
# Installs Debian's chromium and chromedriver for the console's browser tests when they are absent (as root, with
# apt-get). `mvn verify` runs it before the system tests, so the one test command also works on a fresh machine.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium.sh: the console's browser tests need chromium and chromedriver; install them" >&2
  echo "  (Debian/Ubuntu, as root: apt-get install -y chromium chromium-driver) or run the build as root" >&2
  exit 1
fi
echo "install-chromium.sh: installing chromium and chromium-driver for the browser tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
