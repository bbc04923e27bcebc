# Shared settings for the toolchain scripts. Source it; it defines paths only.
# VMTUI_TOOLCHAIN: cache folder for Node 24 and the Linux Swift root (kept across runs).
VMTUI_TOOLCHAIN="${VMTUI_TOOLCHAIN:-${XDG_CACHE_HOME:-$HOME/.cache}/vmtui-toolchain}"
VMTUI_ROOT="$VMTUI_TOOLCHAIN/swift-root"
VMTUI_NODE_DIR="$VMTUI_TOOLCHAIN/node24"
# Bump when the root's package list changes, so old roots are completed.
VMTUI_ROOT_RECIPE=7
REPO_TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# True when this machine has its own Swift 6 and QEMU, so no root is needed.
native_swift_ok() {
  [ "${VMTUI_FORCE_ROOT:-0}" = 1 ] && return 1
  command -v swift >/dev/null 2>&1 || return 1
  swift --version 2>/dev/null | grep -qE 'Swift version (6|[7-9])\.' || return 1
  [ "$(uname -s)" = Darwin ] && return 0
  command -v "qemu-system-$(qemu_arch)" >/dev/null 2>&1
}

qemu_arch() {
  case "$(uname -m)" in
    x86_64|amd64) echo x86_64 ;;
    aarch64|arm64) echo aarch64 ;;
    *) uname -m ;;
  esac
}

uses_root() {
  [ "$(uname -s)" = Linux ] && ! native_swift_ok
}
