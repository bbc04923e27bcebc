#!/usr/bin/env bash
# Runs vmtui with the given arguments. Sets up first (first run: a few minutes) when nothing was
# set up yet or a source file changed since the last setup; otherwise it only compares file times
# with setup's stamp and prints nothing.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
top="${here%/scripts}"
stamp="$top/dist/.setup-stamp"
# Everything setup builds from; a file newer than the stamp means setup has work to do.
sources=("$top/src" "$top/helper" "$top/package.json" "$top/package-lock.json" "$top/tsconfig.json"
  "$top/scripts/toolchain" "$top/scripts/build-helper.sh" "$top/scripts/"bundle*.mjs)
fresh() {
  [ -f "$stamp" ] && [ -e "$top/helper/.build/vmtui-helper" ] && [ -f "$top/dist/vmtui/bin.js" ] || return 1
  # The helper's build output and its tests are not what setup builds from.
  [ -z "$(find "${sources[@]}" \( -path "$top/helper/.build" -o -path "$top/helper/Tests" \) -prune -o -newer "$stamp" -print -quit 2>/dev/null)" ]
}
if fresh; then
  # The stamp's first line: the folder setup put first on PATH for Node (empty: the machine's node).
  IFS= read -r nodebin <"$stamp" || nodebin=""
  [ -n "$nodebin" ] && export PATH="$nodebin:$PATH"
else
  . "$top/scripts/toolchain/setup.sh" >&2
fi
# Started by its first line (#!/usr/bin/env -S ... node ...), which gives Node its flags.
exec "$top/dist/vmtui/bin.js" "$@"
