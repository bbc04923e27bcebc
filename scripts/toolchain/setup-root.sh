#!/usr/bin/env bash
# Builds (once) the Debian trixie root that carries Swift 6, QEMU, a kernel and busybox on Linux
# hosts without a native Swift 6. Idempotent: a finished root is reused; a half-made one is completed.
set -euo pipefail
. "$(dirname "$0")/env.sh"

if ! uses_root; then
  echo "setup-root: native Swift 6 and QEMU found (or not Linux); no root needed." >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-root: building the Swift root needs root (debootstrap, chroot, mount). Run it with sudo, or install Swift 6 and QEMU natively." >&2
  exit 1
fi

mkdir -p "$VMTUI_TOOLCHAIN"
exec 9>"$VMTUI_TOOLCHAIN/.setup-root.lock"
flock 9

ready="$VMTUI_ROOT/.vmtui-ready"
if [ -f "$ready" ] && [ "$(cat "$ready")" = "$VMTUI_ROOT_RECIPE" ]; then
  bash "$(dirname "$0")/mount-root.sh"
  exit 0
fi

case "$(qemu_arch)" in
  x86_64) arch_pkgs="qemu-system-x86 linux-image-amd64 ovmf grub-efi-amd64-bin" ;;
  aarch64) arch_pkgs="qemu-system-arm linux-image-arm64 qemu-efi-aarch64 grub-efi-arm64-bin" ;;
  *) echo "setup-root: unsupported host architecture $(uname -m)." >&2; exit 1 ;;
esac

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "setup-root: installing debootstrap" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

if [ ! -x "$VMTUI_ROOT/usr/libexec/swift/bin/swift" ]; then
  echo "setup-root: debootstrap trixie with swiftlang into $VMTUI_ROOT (a few minutes)" >&2
  # A failed debootstrap leaves a root it cannot resume; start over.
  bash "$(dirname "$0")/mount-root.sh" --unmount 2>/dev/null || true
  # Never delete through a bind mount (it may show the home folder).
  if grep -qF " $VMTUI_ROOT/" /proc/mounts; then
    echo "setup-root: folders are still mounted inside $VMTUI_ROOT; unmount them (bash scripts/toolchain/mount-root.sh --unmount) and run this again." >&2
    exit 1
  fi
  rm -rf --one-file-system "$VMTUI_ROOT"
  mkdir -p "$VMTUI_TOOLCHAIN"
  if ! debootstrap --variant=minbase --include=swiftlang,libswiftlang,ca-certificates trixie "$VMTUI_ROOT" \
      >"$VMTUI_TOOLCHAIN/debootstrap.log" 2>&1; then
    tail -n 40 "$VMTUI_TOOLCHAIN/debootstrap.log" >&2
    echo "setup-root: debootstrap failed; the full log is $VMTUI_TOOLCHAIN/debootstrap.log." >&2
    exit 1
  fi
fi

bash "$(dirname "$0")/mount-root.sh"
echo "setup-root: installing build and guest packages inside the root" >&2
chroot "$VMTUI_ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libc6-dev libstdc++-14-dev zlib1g-dev qemu-utils busybox-static cpio xorriso mtools dosfstools btrfs-progs grub-common curl virtiofsd $arch_pkgs >&2
echo "$VMTUI_ROOT_RECIPE" >"$ready"
echo "setup-root: ready" >&2
