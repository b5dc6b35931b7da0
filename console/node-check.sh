# Sourced by build.sh and e2e: stops with one line when Node.js/npm is missing or too old for Vite.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: the console is built with Node.js >= 20.19 and npm, which are not on PATH: install them (Debian 13/Ubuntu 24.10+: apt-get install nodejs npm; otherwise https://nodejs.org), or build without the console: -Dconsole.skip" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)||a===21?0:1)'; then
  echo "ERROR: the console's build (Vite 8) needs Node.js 20.19+ or 22.12+, this is $(node --version): install a newer Node.js (https://nodejs.org), or build without the console: -Dconsole.skip" >&2
  exit 1
fi
