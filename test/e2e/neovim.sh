#!/bin/sh
# Neovim headless smoke test of the stdio language server (dist/server.js; `npm run build` first), set up by the
# README's Neovim snippet: diagnostics, hover, inlay hints and a custom request on examples/webapp/values-prod.yaml.
# About a second.
# Needs `nvim` (apt-get install neovim; test/e2e/setup.sh does it). Env: see neovim.lua.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v nvim >/dev/null || { echo "neovim.sh: nvim not found: run bash test/e2e/setup.sh" >&2; exit 1; }
[ -f "$root/dist/server.js" ] || { echo "neovim.sh: dist/server.js not found: run npm run build" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Keep nvim's cache, state and data (lsp.log lives in the cache) out of $HOME.
export XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export HELM_VALUES_ROOT="$root"
# The README's snippet runs `helm-values-language-server`, as installed from the package: here, this checkout's.
mkdir "$tmp/bin"
printf '#!/bin/sh\nexec node "%s/dist/server.js" "$@"\n' "$root" >"$tmp/bin/helm-values-language-server"
chmod +x "$tmp/bin/helm-values-language-server"
export PATH="$tmp/bin:$PATH"
# --clean: no user config or plugins (filetype detection stays on); -n: no swap file; -i NONE: no shada.
status=0
timeout 90 nvim --headless --clean -n -i NONE -c "luafile $here/neovim.lua" || status=$?
if [ "$status" -ne 0 ] && [ -s "$XDG_CACHE_HOME/nvim/lsp.log" ]; then
  echo "--- lsp.log (last lines)"; tail -20 "$XDG_CACHE_HOME/nvim/lsp.log"
fi
exit "$status"
