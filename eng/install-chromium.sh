#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests (Playwright drives /usr/bin/chromium; no
# `playwright install`). Idempotent; needs root for apt-get.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "install-chromium.sh: $(/usr/bin/chromium --version 2>/dev/null | head -1)" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
echo "install-chromium.sh: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)" >&2
