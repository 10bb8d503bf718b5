#!/usr/bin/env bash
# The whole test suite in one command, on a fresh Debian/Ubuntu machine with Java 17 and Maven: installs Chromium and
# chromedriver for the console's browser tests when they are absent (as root, with apt-get), then runs `mvn -B verify`.
# Extra arguments go to Maven (e.g. ./build/test.sh -o for an offline build).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "build/test.sh: the console's browser tests need chromium and chromedriver; install them" >&2
    echo "  (Debian/Ubuntu, as root: apt-get install -y chromium chromium-driver) or run this script as root" >&2
    exit 1
  fi
  echo "build/test.sh: installing chromium and chromium-driver for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

exec mvn -B verify "$@"
