#!/usr/bin/env bash
# Sets up (first run: a few minutes; then seconds) and runs vmtui with the given arguments.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
. "$top/scripts/toolchain/setup.sh" >&2
exec node "$top/dist/src/bin.js" "$@"
