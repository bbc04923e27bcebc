#!/usr/bin/env bash
# Builds the vmtui tiny test guest: OUTDIR/vmlinuz (the Debian kernel, copied) and OUTDIR/initrd.gz
# (busybox, scripts/guest/init, and the few kernel modules it needs).
#
#   bash scripts/guest/build-tiny-guest.sh OUTDIR
#
# Idempotent: does nothing when OUTDIR holds outputs newer than every input and built from the same
# kernel. Works from the host (the kernel, busybox and cpio are taken from the Linux toolchain root,
# the archive is made inside it with in-root.sh) and where QEMU and the kernel are native.
# Env: VMTUI_GUEST_KERNEL=<version> picks a kernel when /boot holds several (default: newest).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd "$HERE/../.." && pwd -P)"

# Modules the guest loads (with their dependencies, from modules.dep). Missing ones are fine when
# the kernel has them built in (checked against modules.builtin).
WANTED_MODULES="virtio_pci virtio_blk virtio_net virtio_console button evdev"

# --- Inner stage: runs where busybox, cpio and the kernel modules are (inside the root). --------
if [ "${1:-}" = --inner ]; then
  stage="$2" kver="$3"
  moddir="/lib/modules/$kver"
  root="$stage/root"
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,etc,root,lib/modules}
  cp /usr/bin/busybox "$root/bin/busybox"
  for app in $("$root/bin/busybox" --list); do
    [ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
  done
  ln -s ../bin/busybox "$root/sbin/busybox"
  install -m 0755 "$HERE/init" "$root/init"
  install -m 0755 "$HERE/udhcpc.script" "$root/etc/udhcpc.script"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
  # The kernel opens /dev/console for /init before devtmpfs is mounted.
  mknod -m 600 "$root/dev/console" c 5 1
  mknod -m 666 "$root/dev/null" c 1 3

  # Dependency closure, dependencies first (modules.dep lists a module's deps so that loading them
  # in reverse order works).
  declare -A dep_of=() seen=()
  while IFS= read -r line; do
    mod="${line%%:*}"
    dep_of["$mod"]="${line#*:}"
  done <"$moddir/modules.dep"
  declare -A path_of=()
  for p in "${!dep_of[@]}"; do
    b="${p##*/}"; b="${b%%.ko*}"; b="${b//-/_}"
    path_of["$b"]="$p"
  done
  order=()
  add_mod() {
    local p="$1" deps i
    [ -n "${seen[$p]:-}" ] && return 0
    seen["$p"]=1
    read -r -a deps <<<"${dep_of[$p]}"
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do add_mod "${deps[i]}"; done
    order+=("$p")
  }
  for m in $WANTED_MODULES; do
    if [ -n "${path_of[$m]:-}" ]; then
      add_mod "${path_of[$m]}"
    elif grep -qE "/${m//_/[_-]}\.ko$" "$moddir/modules.builtin"; then
      echo "build-tiny-guest: $m is built into the kernel"
    else
      echo "build-tiny-guest: warning: module $m not found for $kver" >&2
    fi
  done
  : >"$root/etc/modules"
  for p in "${order[@]}"; do
    f="${p##*/}"
    case "$f" in
      *.ko.xz) busybox xzcat "$moddir/$p" >"$root/lib/modules/${f%.xz}"; f="${f%.xz}" ;;
      *.ko.gz) gzip -dc "$moddir/$p" >"$root/lib/modules/${f%.gz}"; f="${f%.gz}" ;;
      *.ko.zst) zstd -dcq "$moddir/$p" >"$root/lib/modules/${f%.zst}"; f="${f%.zst}" ;;
      *) cp "$moddir/$p" "$root/lib/modules/$f" ;;
    esac
    echo "$f" >>"$root/etc/modules"
  done
  echo "build-tiny-guest: modules: $(tr '\n' ' ' <"$root/etc/modules")"

  (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
    gzip -9n >"$stage/initrd.gz"
  cp "/boot/vmlinuz-$kver" "$stage/vmlinuz"
  rm -rf "$root"
  exit 0
fi

# --- Outer stage. -------------------------------------------------------------------------------
if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
OUT="$1"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd -P)"

. "$REPO/scripts/toolchain/env.sh"
if [ "${VMTUI_GUEST_INSIDE_ROOT:-0}" != 1 ] && uses_root; then
  SYS="$VMTUI_ROOT"
  RUN=(env VMTUI_GUEST_INSIDE_ROOT=1 bash "$REPO/scripts/toolchain/in-root.sh")
  bash "$REPO/scripts/toolchain/mount-root.sh"
else
  SYS=""
  RUN=()
fi

if [ -n "${VMTUI_GUEST_KERNEL:-}" ]; then
  kver="$VMTUI_GUEST_KERNEL"
else
  kver="$(ls "$SYS/boot" 2>/dev/null | sed -n 's/^vmlinuz-//p' | sort -V | tail -n 1)"
fi
if [ -z "$kver" ] || [ ! -f "$SYS/boot/vmlinuz-$kver" ] || [ ! -d "$SYS/lib/modules/$kver" ]; then
  echo "build-tiny-guest: no kernel in $SYS/boot with modules in $SYS/lib/modules (install linux-image-amd64)" >&2
  exit 1
fi
for f in "$SYS/usr/bin/busybox" "$SYS/usr/bin/cpio"; do
  [ -x "$f" ] || { echo "build-tiny-guest: missing $f (install busybox-static and cpio)" >&2; exit 1; }
done

inputs=("$SYS/boot/vmlinuz-$kver" "$SYS/lib/modules/$kver/modules.dep" "$SYS/usr/bin/busybox"
  "$HERE/init" "$HERE/udhcpc.script" "$HERE/build-tiny-guest.sh")
stamp="kernel=$kver busybox=$(stat -c %s:%Y "$SYS/usr/bin/busybox")"
if [ -f "$OUT/vmlinuz" ] && [ -f "$OUT/initrd.gz" ] && [ -f "$OUT/.tiny-guest-stamp" ] &&
  [ "$(cat "$OUT/.tiny-guest-stamp")" = "$stamp" ] &&
  [ -z "$(find "${inputs[@]}" -newer "$OUT/initrd.gz" 2>/dev/null)" ] &&
  [ -z "$(find "${inputs[@]}" -newer "$OUT/vmlinuz" 2>/dev/null)" ]; then
  echo "build-tiny-guest: $OUT is up to date (kernel $kver)"
  exit 0
fi

# The stage folder must exist on both sides: /tmp is the same path inside the root and out.
stage="$(mktemp -d /tmp/vmtui-guest-build.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
(cd "$REPO" && "${RUN[@]}" bash "$HERE/build-tiny-guest.sh" --inner "$stage" "$kver")
rm -f "$OUT/.tiny-guest-stamp"
cp "$stage/vmlinuz" "$OUT/vmlinuz.tmp" && mv -f "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
cp "$stage/initrd.gz" "$OUT/initrd.gz.tmp" && mv -f "$OUT/initrd.gz.tmp" "$OUT/initrd.gz"
touch "$OUT/vmlinuz" "$OUT/initrd.gz"
printf '%s\n' "$stamp" >"$OUT/.tiny-guest-stamp"
echo "build-tiny-guest: built $OUT/vmlinuz ($(stat -c %s "$OUT/vmlinuz") bytes) and $OUT/initrd.gz ($(stat -c %s "$OUT/initrd.gz") bytes), kernel $kver"
