#!/usr/bin/env bash
# Installs the offline VS Code test toolchain (adapted from ../shared/vscode-harness/install.sh):
#   Debian: chromium (headless UI), libkrb5-dev + build tools (code-server native modules)
#   npm (into $TOOLS_DIR, outside the repo so clean clones reuse it): node@24 (code-server's
#   postinstall requires it), code-server (ships VS Code server + web workbench), playwright-core.
# Idempotent: a second run takes seconds.
set -euo pipefail
TOOLS_DIR=${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/alignment-studio/tools}
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
T0=$(date +%s)

need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  echo "[tools] apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# node-gyp must not download Node headers (offline): use the system ones. The modules are N-API.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

mkdir -p "$TOOLS_DIR"; cd "$TOOLS_DIR"
VSC="$TOOLS_DIR/node_modules/code-server/lib/vscode"
if [ -f .installed ] && [ "$(cat .installed)" = "$NODE_VERSION $CODE_SERVER_VERSION $PLAYWRIGHT_CORE_VERSION" ] && [ -d "$VSC/node_modules/@vscode/spdlog" ]; then
  echo "[tools] ready in $TOOLS_DIR"
  exit 0
fi
[ -f package.json ] || echo '{ "name": "alignment-studio-test-tools", "private": true }' > package.json
npm install --no-audit --no-fund --save-exact "node@$NODE_VERSION" >/dev/null
export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
[ "$(node -v)" = "v$NODE_VERSION" ] || { echo "[tools] node $NODE_VERSION is not first in PATH"; exit 1; }
# npm now runs on Node 24, which code-server's postinstall checks.
npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION"
if [ ! -d "$VSC/node_modules/@vscode/spdlog" ]; then
  echo "[tools] code-server postinstall did not run; running it now"
  (cd "$TOOLS_DIR/node_modules/code-server" && npm_config_user_agent="npm/$(npm -v) node/$(node -v)" sh ./postinstall.sh)
fi
(cd "$VSC" && node -e 'for (const m of ["@vscode/spdlog","@vscode/sqlite3","kerberos","node-pty","@vscode/native-watchdog"]) require(m)')
echo "$NODE_VERSION $CODE_SERVER_VERSION $PLAYWRIGHT_CORE_VERSION" > .installed
echo "[tools] installed in $(( $(date +%s)-T0 ))s into $TOOLS_DIR"
