#!/usr/bin/env bash
# Signs the helper ad hoc with the virtualization entitlement (Virtualization.framework refuses an
# unsigned process). macOS only; elsewhere there is nothing to do.
# Usage: bash scripts/sign-helper.sh [path/to/vmtui-helper]   (default helper/.build/release/vmtui-helper)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$(uname -s)" != Darwin ]; then
  echo "Signing applies to macOS only; nothing to do on $(uname -s)."
  exit 0
fi

binary="${1:-$repo/helper/.build/release/vmtui-helper}"
entitlements="$repo/helper/vmtui-helper.entitlements"
if [ ! -f "$binary" ]; then
  echo "sign-helper: no helper binary at $binary; build it first with 'bash scripts/build-helper.sh'." >&2
  exit 1
fi

codesign --force --sign - --entitlements "$entitlements" "$binary"
codesign --verify --verbose "$binary"
codesign -d --entitlements - "$binary"
