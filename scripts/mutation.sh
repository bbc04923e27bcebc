#!/usr/bin/env bash
# Mutation testing of the pure modules (formatting, layout, keys, charts, dashboard rows, sizes, args,
# errors, exit codes, wizard model and state, the screen reducers, the protocol decoder combinators):
# StrykerJS plants one bug at a time and runs the unit tests that reach it; a bug no test notices
# "survived". Other modules can be named on the command line (protocol.ts's declarative decoders
# alone would double the run).
# Slow (tens of minutes on 2 cores), so CI does not run it. The modules and tests are listed in
# stryker.config.json ("tsconfigFile" names no file on purpose: Stryker would rewrite tsconfig.json
# with the TypeScript 5 API, which TypeScript 7 no longer has; nothing here needs the rewrite). Prints the score last; the report is in reports/mutation/.
#   bash scripts/mutation.sh            all listed modules
#   bash scripts/mutation.sh src/ui/layout.ts src/commands/sizes.ts    only these
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
# Only Node and the npm packages: the mutants are TypeScript, so no helper build is needed. Stryker
# compiles its own instrumented copy (buildCommand in stryker.config.json).
_nodebin="$(bash "$top/scripts/toolchain/setup-node.sh")"
[ -n "$_nodebin" ] && export PATH="$_nodebin:$PATH"
cd "$top"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
args=()
if [ $# -gt 0 ]; then args=(--mutate "$(IFS=,; echo "$*")"); fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
npx stryker run stryker.config.json "${args[@]}" 2>&1 | tee "$log"
# The clear-text table's "All files" row: % score, % covered score, killed, timeout, survived, no cov, errors.
row=$(grep -E '^All files' "$log" | tail -1 || true)
[ -n "$row" ] || { echo "mutation: Stryker printed no score; see the output above." >&2; exit 1; }
echo "$row" | awk -F'|' '{gsub(/ /,"",$2); gsub(/ /,"",$4); gsub(/ /,"",$5); gsub(/ /,"",$6); gsub(/ /,"",$7);
  printf "mutation score: %s%% (killed %s, timed out %s, survived %s, not covered %s)\n", $2, $4, $5, $6, $7}'
