#!/usr/bin/env bash
# Makes sure a Chromium the editor browser test (test/e2e/browser.test.ts) can drive is installed.
# playwright-core downloads no browser: the test drives the system's Chromium (Debian's package).
# Idempotent: if a usable Chromium is found ($CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser) this does
# nothing; otherwise it installs Debian's `chromium` with apt-get (as root, or through sudo).
# The last line of stdout is the executable's path (scripts/lib/browser.ts reads it).
set -euo pipefail

usable() {
  # Debian's /usr/bin/chromium is a shell wrapper that prints a harmless "[: unexpected operator" on stderr.
  [ -n "$1" ] && [ -f "$1" ] && [ -x "$1" ] && "$1" --version >/dev/null 2>&1
}

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if usable "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if found=$(find_chromium); then
  echo "Chromium already installed: $("$found" --version 2>/dev/null)"
  echo "$found"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "No usable Chromium (looked at \$CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser) and no apt-get to install one." >&2
  echo "Install Chromium, or set CHROMIUM_PATH to a Chromium or Chrome executable." >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "Installing Chromium needs root (or sudo), and this user has neither." >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "Installing Debian's chromium with apt-get (once)..."
# Progress goes to stderr so that stdout stays "messages, then the path".
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2

if ! found=$(find_chromium); then
  echo "apt-get installed chromium, but no usable executable was found at /usr/bin/chromium or /usr/bin/chromium-browser." >&2
  exit 1
fi
echo "Chromium installed: $("$found" --version 2>/dev/null)"
echo "$found"
