#!/usr/bin/env bash
# Starts the app for development at http://127.0.0.1:4200/.
# Background services (e.g. a local WebDAV server) go in start_background below; they are stopped
# when this script exits.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  echo "node_modules is missing: installing dependencies (npm ci)..."
  npm ci --no-audit --no-fund
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# Start a background process and remember it for cleanup: start_background <command> [args...]
start_background() {
  "$@" &
  pids+=("$!")
}

# Add background services here, e.g.:
# start_background node tools/webdav-server.mjs --port 4900

# The dev server runs in the background too, so that Ctrl-C or a TERM reaches the trap above and
# stops every process this script started.
start_background node_modules/.bin/ng serve --host 127.0.0.1 --port 4200
wait -n "${pids[@]}"
