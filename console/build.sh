#!/bin/sh
# Run by the Maven build (server/pom.xml, generate-resources): builds the console with the machine's Node.js into
# $PAYRAIL_CONSOLE_OUT (target/classes/static/console, so it ends up in the jar). `npm ci` runs from the committed
# package-lock.json when the lock file changed since the last install; the Vite build runs when a source changed.
# Usage: build.sh [test]   (test: run the unit tests instead of building)
set -eu
cd "$(dirname "$0")"
if [ "${PAYRAIL_CONSOLE_SKIP:-false}" = true ]; then
  echo "console: skipped (-Dconsole.skip)"
  exit 0
fi
. ./node-check.sh

if [ ! -f node_modules/.payrail-lock ] || ! cmp -s package-lock.json node_modules/.payrail-lock; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.payrail-lock
fi

if [ "${1:-}" = test ]; then
  exec npm test --silent
fi

out="${PAYRAIL_CONSOLE_OUT:-dist}"
if [ -f "$out/index.html" ] && [ -z "$(find src public index.html openapi.json package-lock.json vite.config.ts \
    tsconfig.json tsconfig.app.json -newer "$out/index.html" -print -quit)" ]; then
  echo "console: up to date in $out"
  exit 0
fi
npm run build --silent
