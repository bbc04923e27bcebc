#!/usr/bin/env bash
# Builds the Swift helper and writes the stable entry point helper/.build/vmtui-helper that the
# TypeScript side spawns. Usage: bash scripts/build-helper.sh [release|debug]   (default release)
# Idempotent; quiet on success except for the compiler's own output on stderr.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
. "$repo/scripts/toolchain/env.sh"

config="${1:-release}"
case "$config" in
  release|debug) ;;
  *) echo "build-helper: '$config' is not a build configuration; use 'release' or 'debug'." >&2; exit 2 ;;
esac

cd "$repo"
bash scripts/toolchain/in-root.sh swift build -c "$config" --package-path helper >&2

binary="$repo/helper/.build/$config/vmtui-helper"
if [ ! -x "$binary" ]; then
  echo "build-helper: the build finished but $binary is missing; look at the build output above." >&2
  exit 1
fi

if [ "$(uname -s)" = Darwin ]; then
  bash scripts/sign-helper.sh "$binary" >&2
fi

entry="$repo/helper/.build/vmtui-helper"
tmp="$entry.tmp.$$"
rm -f "$tmp"
if uses_root; then
  # The binary needs the root's newer libc, so the entry point runs it through in-root.sh, from a
  # folder that exists inside the root (in-root.sh keeps the current folder).
  cat >"$tmp" <<LAUNCHER
#!/bin/sh
[ -d "$VMTUI_ROOT\$(pwd -P)" ] || cd "$repo"
exec bash "$repo/scripts/toolchain/in-root.sh" "$binary" "\$@"
LAUNCHER
  chmod 755 "$tmp"
else
  ln -s "$binary" "$tmp"
fi
# Rename into place so a running client never sees a half-written entry point.
mv -f "$tmp" "$entry"
