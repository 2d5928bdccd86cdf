# Sourced by the bash scripts that run npm themselves (test/e2e/setup.sh, .ci/run). `drop_npm_run_env` removes from
# the environment what an enclosing `npm run` exported for its script: npm_config_user_agent ("npm/11 node/v20 ..."),
# npm_config_local_prefix (the enclosing project), npm_config_nodedir, npm_config_loglevel, npm_package_*,
# npm_lifecycle_*, INIT_CWD, NODE, and the folders it put first on PATH (each enclosing node_modules/.bin, npm's
# node-gyp-bin). An inner npm would read them all as its own configuration: code-server's postinstall, for one, reads
# the user agent and refuses to install under Node 24 because the outer npm ran on Node 20. Kept: the settings that say
# where and how to download (registry, proxies, certificates, cache, config files), which hold for any npm.
drop_npm_run_env() {
  local v path= parts=()
  while IFS= read -r v; do
    case "${v,,}" in
      npm_config_registry | npm_config_*proxy | npm_config_ca | npm_config_cafile | npm_config_cert | npm_config_key | \
        npm_config_strict_ssl | npm_config_cache | npm_config_userconfig | npm_config_globalconfig | \
        npm_config_offline | npm_config_prefer_offline | npm_config_prefer_online) ;;
      npm_* | init_cwd | node) unset "$v" ;;
    esac
  done < <(compgen -e)
  IFS=: read -ra parts <<<"$PATH"
  for v in "${parts[@]}"; do
    case "$v" in */node_modules/.bin | */@npmcli/run-script/lib/node-gyp-bin) ;; *) path=${path:+$path:}$v ;; esac
  done
  PATH=$path
}
