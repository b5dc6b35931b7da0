#!/bin/sh
# Run by ./mvnw verify (pre-integration-test): installs the test-only npm packages from the committed
# package-lock.json, for WebhookSignaturesIT.
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: Node.js (node and npm) is needed by ./mvnw verify to check webhook signatures with the npm package standardwebhooks: install it (Debian/Ubuntu: apt-get install nodejs npm)" >&2
  exit 1
fi
exec npm ci --no-audit --no-fund --loglevel=error
