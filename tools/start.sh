#!/usr/bin/env bash
# Starts the app for development at http://127.0.0.1:4200/, with a local WebDAV server on
# http://127.0.0.1:8081 as its default sync target (public/sync-default.json points at it).
#
#   npm start                 the app and the WebDAV server, which keeps its files in .data/webdav/
#   npm start -- --fresh      the same, with the WebDAV server's folder emptied first
#
# SYNC_DATA_DIR=<dir> keeps the server's files elsewhere (the npm-start test uses a temporary one).
# Every process this script starts is stopped when it exits (Ctrl-C, TERM, or one of them dying).
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    *) echo "Unknown option: $arg (known: --fresh)" >&2; exit 2 ;;
  esac
done

if [ ! -d node_modules ]; then
  echo "node_modules is missing: installing dependencies (npm ci)..."
  npm ci --no-audit --no-fund
fi

data_dir=${SYNC_DATA_DIR:-.data/webdav}
if [ "$fresh" = 1 ]; then
  echo "Emptying the local WebDAV server's folder $data_dir"
  rm -rf "$data_dir"
fi
mkdir -p "$data_dir"

for port in 4200 8081; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (another npm start?). Stop that process first." >&2
    exit 1
  fi
done

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Start a background process and remember it for cleanup: start_background <command> [args...]
start_background() {
  "$@" &
  pids+=("$!")
}

# The local WebDAV server the app syncs to out of the box. Two browser profiles (or a normal and a
# private window) are two devices that sync with each other through it, across restarts too.
start_background node --import tsx tools/servers/serve.ts nephele --port 8081 --data-dir "$data_dir"

# The dev server runs in the background too, so that Ctrl-C or a TERM reaches the traps above and
# stops every process this script started.
start_background node_modules/.bin/ng serve --host 127.0.0.1 --port 4200
wait -n "${pids[@]}"
