#!/usr/bin/env bash
# Type-checks the helper's macOS code on Linux: builds the SystemCalls and HelperCore targets with
# VMTUI_DARWIN_CHECK=1, which compiles the Darwin branches against stand-ins declared as Apple
# declares them (helper/DarwinStandIns). A wrong argument type, a missing import or a misspelt
# constant in macOS code fails here. Nothing is linked or run. On a Mac, build normally instead.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
. "$repo/scripts/toolchain/env.sh"
if [ "$(uname -s)" = Darwin ]; then
  echo "check-darwin: on macOS the real SDK checks this code; run 'swift build --package-path helper'." >&2
  exit 0
fi
cd "$repo"
VMTUI_DARWIN_CHECK=1 bash scripts/toolchain/in-root.sh \
  swift build --package-path helper --scratch-path helper/.build-darwin-check --target HelperCore "$@"
echo "check-darwin: the macOS code paths compile against the Darwin, CryptoKit, Objective-C runtime and Virtualization stand-ins."
