#!/usr/bin/env bash
# Every test of the project, in order: Node (engine, simulation, tools), Karma (app in Chromium),
# integration (providers against real local servers), Playwright (a person's path in Chromium),
# and `npm start` itself opened in Chromium.
# Each stage runs even when an earlier one failed, so one run shows every failure.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then
  echo "node_modules is missing: installing dependencies (npm ci)..."
  npm ci --no-audit --no-fund || exit 1
fi
bash tools/ensure-chromium.sh || exit 1
# Without them only the integration stage fails (it names what is missing); the other stages still run.
bash tools/ensure-servers.sh || true
export CHROME_BIN=/usr/bin/chromium

failed=0
summary=()
stage() {
  local name=$1; shift
  echo
  echo "=============== $name: $*"
  local start=$SECONDS
  if "$@"; then summary+=("ok      $name ($((SECONDS - start)) s)")
  else summary+=("FAILED  $name ($((SECONDS - start)) s)"); failed=1
  fi
}

stage node npm run -s test:node
stage karma npm run -s test:karma
stage integration npm run -s test:integration
stage e2e npm run -s test:e2e
stage start npm run -s test:start

echo
echo "=============== summary"
printf '%s\n' "${summary[@]}"
passed=0; fails=0
for line in "${summary[@]}"; do case "$line" in ok*) passed=$((passed+1));; *) fails=$((fails+1));; esac; done
echo "stages: $passed passed, $fails failed"
exit $failed
