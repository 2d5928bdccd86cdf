#!/usr/bin/env bash
# The CLI as a user outside this repository gets it, and the pre-commit hook as a pre-commit user runs it:
#   1. `npm pack`, then `npm install -g` of the tarball into a temporary prefix, offline: `helm-values --version` and
#      `helm-values check examples/webapp` run from there;
#   2. Debian's pre-commit in a new git repository with a chart, `.pre-commit-config.yaml` pointing at this repository
#      (`repo: <path>`, `rev: <HEAD>`, hook `helm-values`, which runs the installed CLI): a commit adding a values
#      file that breaks the chart's schema fails with the finding, the fixed file commits.
# The hooks come from HEAD's .pre-commit-hooks.yaml (pre-commit clones `rev`): commit a change to it before testing it.
# Needs git and pre-commit (apt-get install pre-commit; test/e2e/setup.sh does it). About 10 s.
# Prints one line per check, `E2E_RESULT {...}` and a closing `N passed, N failed` line; exits 0 when nothing failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/npm-env.sh"
drop_npm_run_env # `npm pack` and `npm install -g` below must not inherit an enclosing `npm run`'s settings
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { # check NAME OK [DETAIL]
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "  ✓ $1${3:+: $3}"; else failed=$((failed + 1)); echo "  ✗ $1${3:+: $3}"; fi
}
finish() {
  echo "E2E_RESULT {\"passed\": $passed, \"failed\": $failed, \"skipped\": 0}"
  [ -n "${E2E_AGGREGATED:-}" ] || echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit
}
for tool in git pre-commit npm; do
  command -v "$tool" >/dev/null || { check "$tool is installed (run bash test/e2e/setup.sh)" 1; finish; }
done

# ---------------------------------------------------------------------------------------------------------------
# 1. npm pack + npm install -g
version=$(node -p "require('$root/package.json').version")
tgz=$( (cd "$root" && npm pack --silent --pack-destination "$tmp") 2>"$tmp/pack.err" | tail -1)
check "npm pack" $([ -f "$tmp/$tgz" ] && echo 0 || echo 1) "${tgz:-$(tail -3 "$tmp/pack.err")}"
[ -f "$tmp/$tgz" ] || finish
files=$(tar -tzf "$tmp/$tgz" | sort | tr '\n' ' ')
expected="package/LICENSE package/README.md package/dist/cli.js package/dist/client.js package/dist/kube.js package/dist/schemaWorker.js package/dist/server-main.js package/dist/server.js package/package.json package/syntaxes/helm-values.injection.tmLanguage.json "
check "the tarball holds the bundles, the manifest, docs and grammar, nothing else" $([ "$files" = "$expected" ] && echo 0 || echo 1) "$files"
npm install -g --prefix "$tmp/prefix" --offline --no-audit --no-fund --loglevel=error "$tmp/$tgz" >"$tmp/install.log" 2>&1
check "npm install -g ./$tgz, offline" $? "$(grep -v "^npm warn install-scripts" "$tmp/install.log" | tail -1)"
export PATH="$tmp/prefix/bin:$PATH"
installed=$(command -v helm-values)
got=$(helm-values --version 2>&1)
check "helm-values --version from $installed" $([ "$got" = "$version" ] && [ "$installed" = "$tmp/prefix/bin/helm-values" ] && echo 0 || echo 1) "$got"
out=$(cd "$root" && helm-values check examples/webapp 2>&1)
status=$?
check "the installed helm-values check examples/webapp: exit 0, the YAML 1.1 warning" \
  $([ "$status" = 0 ] && grep -q 'helm.yaml11-boolean' <<<"$out" && echo 0 || echo 1) "$(tail -1 <<<"$out")"
command -v helm-values-language-server >/dev/null
check "helm-values-language-server is on PATH" $?

# ---------------------------------------------------------------------------------------------------------------
# 2. pre-commit
rev=$(git -C "$root" rev-parse HEAD 2>/dev/null)
if [ -z "$rev" ] || ! git -C "$root" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null; then
  check "HEAD of $root has .pre-commit-hooks.yaml" 1
  finish
fi
git -C "$root" diff --quiet HEAD -- .pre-commit-hooks.yaml || echo "  note: .pre-commit-hooks.yaml has uncommitted changes; pre-commit uses HEAD's"
export PRE_COMMIT_HOME="$tmp/pre-commit-home" GIT_CONFIG_GLOBAL="$tmp/gitconfig" GIT_CONFIG_NOSYSTEM=1
git config --global user.email ci@example.invalid && git config --global user.name CI && git config --global init.defaultBranch main
repo="$tmp/project"
mkdir -p "$repo/charts/app" && cd "$repo" && git init -q
printf 'apiVersion: v2\nname: app\nversion: 0.1.0\n' >charts/app/Chart.yaml
printf '# -- Number of pods.\nreplicaCount: 1\n' >charts/app/values.yaml
printf '{\n  "type": "object",\n  "properties": { "replicaCount": { "type": "integer", "minimum": 1 } }\n}\n' >charts/app/values.schema.json
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: helm-values
EOF
git add -A && git commit -qm chart
out=$(pre-commit install 2>&1)
check "pre-commit install" $? "$out"

printf 'replicaCount: three\n' >charts/app/values-prod.yaml
git add charts/app/values-prod.yaml
out=$(git commit -qm "prod values" 2>&1)
status=$?
check "a commit with a values file that breaks the schema fails, naming the file and the problem" \
  $([ "$status" != 0 ] && grep -q 'charts/app/values-prod.yaml:1:[0-9]*: error \[schema.type\]' <<<"$out" && echo 0 || echo 1) \
  "$(grep -m1 'schema.type' <<<"$out" || tail -3 <<<"$out")"

printf 'replicaCount: 3\n' >charts/app/values-prod.yaml
git add charts/app/values-prod.yaml
out=$(git commit -qm "prod values" 2>&1)
status=$?
check "the fixed file commits" $([ "$status" = 0 ] && grep -q 'helm-values check.*Passed' <<<"$out" && echo 0 || echo 1) "$(grep -m1 'helm-values' <<<"$out" || tail -3 <<<"$out")"

printf 'ingress: {}\n' >README.yaml && git add README.yaml
out=$(git commit -qm "not a values file" 2>&1)
check "files that are not values files are not checked" $([ $? = 0 ] && grep -q 'helm-values check.*no files to check' <<<"$out" && echo 0 || echo 1) "$(grep -m1 'helm-values' <<<"$out")"
finish
