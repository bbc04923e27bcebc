#!/usr/bin/env bash
# Runs a command inside the Linux Swift root, in the current folder, with the environment kept and
# the Swift toolchain first on PATH. Where no root is needed (macOS, native Swift 6), runs it as is.
set -euo pipefail
. "$(dirname "$0")/env.sh"

if ! uses_root; then exec "$@"; fi
if [ ! -f "$VMTUI_ROOT/.vmtui-ready" ]; then
  echo "vmtui: the Swift toolchain root is missing at $VMTUI_ROOT; run 'bash scripts/toolchain/setup.sh' first." >&2
  exit 127
fi
bash "$(dirname "$0")/mount-root.sh"
here="$(pwd -P)"
exec chroot "$VMTUI_ROOT" /usr/bin/env PATH="/usr/libexec/swift/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  /bin/sh -c 'cd "$0" && exec "$@"' "$here" "$@"
