#!/usr/bin/env bash
# Builds the helper library (HelperCore, where all the logic is) in Swift 6 language mode and prints how many diagnostics that gives (goal 0:
# then switching Package.swift's swiftLanguageModes to .v6 is a one-line change). Never fails the
# run. A module with errors stops the build there, so until the count is 0 it is a lower bound.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
log="$(mktemp)"
bash scripts/toolchain/in-root.sh swift build --package-path helper --scratch-path helper/.build-swift6 --target HelperCore \
  -Xswiftc -swift-version -Xswiftc 6 >"$log" 2>&1
status=$?
diagnostics=$(grep -E '^/.*: (error|warning): ' "$log" | sort -u)
count=$(printf '%s' "$diagnostics" | grep -c . || true)
[ -n "$diagnostics" ] && printf '%s\n' "$diagnostics" | sed "s|$repo/||" | cut -c1-240
if [ "$status" -eq 0 ]; then
  echo "swift6-preview: the helper builds in Swift 6 language mode with $count diagnostics (goal 0)."
else
  echo "swift6-preview: the Swift 6 language mode build stops with $count diagnostics (goal 0; a lower bound while a module fails)."
fi
rm -f "$log"
exit 0
