#!/usr/bin/env bash
# Builds a tiny UEFI-bootable ISO of the vmtui test guest: OUTDIR/tiny.iso holds GRUB (EFI only,
# timeout 0, serial console) and the tiny guest's kernel and initramfs (build-tiny-guest.sh), so a
# VM booted from it prints the guest's markers (VMTUI-GUEST-BOOTED, ...) on its serial console.
#
#   bash scripts/guest/build-tiny-iso.sh OUTDIR
#   bash scripts/guest/build-tiny-iso.sh --menu OUTDIR
#
# --menu builds OUTDIR/menu.iso instead: GRUB waits on a two-entry menu (no timeout), drawn on the
# screen and the serial console, for the screen tests (a known picture that an arrow key changes).
#
# Idempotent: does nothing when OUTDIR/tiny.iso is newer than the guest and this script.
# The tiny guest is built (or found up to date) in $VMTUI_TEST_GUEST_DIR, else OUTDIR/guest.
# grub-mkrescue, xorriso and mtools run inside the Linux toolchain root (in-root.sh) when one is used.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd "$HERE/../.." && pwd -P)"

# --- Inner stage: runs where grub-mkrescue is (inside the root). --------------------------------
if [ "${1:-}" = --inner ]; then
  stage="$2" platform="$3"
  # Only the EFI platform: the tests boot OVMF/AAVMF, and grub-pc (BIOS) is not installed.
  grub-mkrescue --directory="/usr/lib/grub/$platform" -o "$stage/tiny.iso" "$stage/tree" \
    -- -volid VMTUI_TINY >/dev/null 2>"$stage/mkrescue.log" || { cat "$stage/mkrescue.log" >&2; exit 1; }
  exit 0
fi

menu=0
if [ "${1:-}" = --menu ]; then menu=1; shift; fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--menu] OUTDIR" >&2
  exit 2
fi
OUT="$1"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd -P)"
GUEST="${VMTUI_TEST_GUEST_DIR:-$OUT/guest}"
bash "$HERE/build-tiny-guest.sh" "$GUEST"
GUEST="$(cd "$GUEST" && pwd -P)"

. "$REPO/scripts/toolchain/env.sh"
case "$(qemu_arch)" in
  x86_64) platform=x86_64-efi console=ttyS0 ;;
  aarch64) platform=arm64-efi console=ttyAMA0 ;;
  *) echo "build-tiny-iso: no GRUB EFI platform for $(uname -m)." >&2; exit 1 ;;
esac
if [ "${VMTUI_GUEST_INSIDE_ROOT:-0}" != 1 ] && uses_root; then
  SYS="$VMTUI_ROOT"
  RUN=(env VMTUI_GUEST_INSIDE_ROOT=1 bash "$REPO/scripts/toolchain/in-root.sh")
  bash "$REPO/scripts/toolchain/mount-root.sh"
else
  SYS=""
  RUN=()
fi
for f in "$SYS/usr/bin/grub-mkrescue" "$SYS/usr/bin/xorriso" "$SYS/usr/bin/mformat"; do
  [ -x "$f" ] || { echo "build-tiny-iso: missing $f (install grub-common, xorriso and mtools)" >&2; exit 1; }
done
[ -d "$SYS/usr/lib/grub/$platform" ] || {
  echo "build-tiny-iso: missing $SYS/usr/lib/grub/$platform (install grub-efi-${platform%-efi}-bin; on x86-64: grub-efi-amd64-bin)" >&2
  exit 1
}

iso="$OUT/tiny.iso"
[ "$menu" = 1 ] && iso="$OUT/menu.iso"
inputs=("$GUEST/vmlinuz" "$GUEST/initrd.gz" "$HERE/build-tiny-iso.sh")
stamp="platform=$platform guest=$GUEST"
stampfile="$OUT/.$(basename "$iso" .iso)-iso-stamp"
[ "$menu" = 1 ] || stampfile="$OUT/.tiny-iso-stamp"
if [ -f "$iso" ] && [ -f "$stampfile" ] && [ "$(cat "$stampfile")" = "$stamp" ] &&
  [ -z "$(find "${inputs[@]}" -newer "$iso" 2>/dev/null)" ]; then
  echo "build-tiny-iso: $iso is up to date"
  exit 0
fi

# /tmp is the same path inside the root and out.
stage="$(mktemp -d /tmp/vmtui-iso-build.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/tree/boot/grub"
cp "$GUEST/vmlinuz" "$GUEST/initrd.gz" "$stage/tree/"
# The serial terminal as well, so a stuck GRUB shows up in console.log instead of on a screen nobody has.
cat >"$stage/tree/boot/grub/grub.cfg" <<GRUB
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
set default=0
menuentry "vmtui tiny guest" {
  linux /vmlinuz console=$console panic=-1
  initrd /initrd.gz
}
GRUB
if [ "$menu" = 1 ]; then
  sed -i 's/^set timeout=0$/set timeout=-1/' "$stage/tree/boot/grub/grub.cfg"
  cat >>"$stage/tree/boot/grub/grub.cfg" <<GRUB
menuentry "vmtui second entry (the screen tests move to it)" {
  linux /vmlinuz console=$console panic=-1
  initrd /initrd.gz
}
GRUB
fi
(cd "$REPO" && "${RUN[@]}" bash "$HERE/build-tiny-iso.sh" --inner "$stage" "$platform")
rm -f "$stampfile"
cp "$stage/tiny.iso" "$iso.tmp" && mv -f "$iso.tmp" "$iso"
printf '%s\n' "$stamp" >"$stampfile"
echo "build-tiny-iso: built $iso ($(stat -c %s "$iso") bytes, $platform)"
