#!/usr/bin/env bash
# Mounts what the Linux Swift root needs (idempotent): /proc, /dev, /sys, and the folders that must
# have the same path inside and out: the repository, the temp folder, the home folder and VMTUI_HOME.
# With --unmount, undoes it.
set -euo pipefail
. "$(dirname "$0")/env.sh"

same_dir() { [ "$(stat -c '%d:%i' "$1" 2>/dev/null)" = "$(stat -c '%d:%i' "$2" 2>/dev/null)" ]; }

if [ "${1:-}" = --unmount ]; then
  # Deepest first.
  grep -F " $VMTUI_ROOT/" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do
    umount -l "$(printf '%b' "$m")" || true
  done
  exit 0
fi

[ -d "$VMTUI_ROOT/usr" ] || { echo "mount-root: no root at $VMTUI_ROOT; run scripts/toolchain/setup-root.sh." >&2; exit 1; }

mountpoint -q "$VMTUI_ROOT/proc" || mount -t proc proc "$VMTUI_ROOT/proc"
mountpoint -q "$VMTUI_ROOT/sys" || mount --bind /sys "$VMTUI_ROOT/sys"
mountpoint -q "$VMTUI_ROOT/dev" || mount --bind /dev "$VMTUI_ROOT/dev"
if [ -d /dev/pts ] && ! mountpoint -q "$VMTUI_ROOT/dev/pts"; then mount --bind /dev/pts "$VMTUI_ROOT/dev/pts"; fi

bind_same() {
  local p="$1"
  [ -n "$p" ] || return 0
  mkdir -p "$p"
  p="$(cd "$p" && pwd -P)"
  mkdir -p "$VMTUI_ROOT$p"
  same_dir "$p" "$VMTUI_ROOT$p" && return 0
  # A bind whose source folder was deleted and made again points at the old one: redo it.
  if mountpoint -q "$VMTUI_ROOT$p"; then umount -l "$VMTUI_ROOT$p"; mkdir -p "$VMTUI_ROOT$p"; fi
  mount --bind "$p" "$VMTUI_ROOT$p"
}

bind_same /tmp
[ -n "${TMPDIR:-}" ] && bind_same "$TMPDIR"
bind_same "$REPO_TOP"
# Kernels, ISOs and disks that users name usually live under their home folder.
bind_same "$HOME"
bind_same "${VMTUI_HOME:-$HOME/.vmtui}"
exit 0
