#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (no browser download).
# Installs it when missing; fails loudly when it cannot, so browser tests are never skipped.
set -euo pipefail
chromium="${STUDYGUIDE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
packages="chromium fonts-noto-color-emoji fonts-dejavu-core"
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "ensure-chromium: $chromium is missing and I cannot install it (not root, no sudo)." >&2
  echo "Install Debian's 'chromium' package, or set STUDYGUIDE_CHROMIUM to a Chromium binary." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq $packages >/dev/null
[ -x "$chromium" ] || { echo "ensure-chromium: installed, but $chromium is still missing" >&2; exit 1; }
