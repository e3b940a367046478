#!/usr/bin/env bash
# Starts the app for development at http://127.0.0.1:4200/, with a local WebDAV server on
# http://127.0.0.1:8081 as its default sync target.
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

# The local WebDAV server the app syncs to out of the box (public/sync-default.json points at it).
# It keeps files in a temporary folder: after a restart the devices upload their data to it again.
# Two browser profiles (or a normal and
# a private window) are two devices that sync with each other through it.
start_background node --import tsx tools/servers/serve.ts nephele --port 8081

# The dev server runs in the background too, so that Ctrl-C or a TERM reaches the trap above and
# stops every process this script started.
start_background node_modules/.bin/ng serve --host 127.0.0.1 --port 4200
wait -n "${pids[@]}"
