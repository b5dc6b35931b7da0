#!/bin/sh
# Run by ./mvnw verify (pre-integration-test): installs the pinned @redocly/cli from the committed
# package-lock.json, for OpenApiLintIT (which lints the served OpenAPI description with the recommended rules).
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: Node.js (node and npm) is needed by ./mvnw verify to lint the OpenAPI description with the npm package @redocly/cli: install it (Debian/Ubuntu: apt-get install nodejs npm)" >&2
  exit 1
fi
exec npm ci --no-audit --no-fund --loglevel=error
