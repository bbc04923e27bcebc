#!/usr/bin/env bash
# Builds the Debian test image from Debian's packages: OUTDIR/debian.raw, an EFI-bootable raw GPT
# disk (2 GiB virtual, sparse) with systemd, openssh-server, cloud-init (NoCloud only) and DHCP on
# every Ethernet link, its kernel and systemd printing on the serial console. No user, password or
# SSH host key is baked in: a NoCloud seed (`cidata`) brings the user and keys; host keys are made at
# first boot.
#
#   bash scripts/guest/build-debian-image.sh OUTDIR
#
# Layout: partition 1 is the ESP holding only a standalone GRUB (its config embedded) at the
# removable-media path, so firmware boots it without NVRAM entries; partition 2 is the ext4 root
# that GRUB loads /vmlinuz and /initrd.img from (the guest's own kernel: upgrades take effect).
# Built without loop devices or mounts: debootstrap a tree, `mkfs.ext4 -d` it into a file, `mkfs.vfat`
# and mtools for the ESP, sfdisk for the GPT, dd at the partition offsets.
#
# Idempotent and cached: does nothing when OUTDIR/.debian-stamp matches this script's hash and the
# architecture; otherwise builds in OUTDIR/.build.* and renames the image into place, so readers see
# either the old image or the whole new one. A lock keeps two runs from building at once (the second
# waits, then finds the image up to date). Downloaded packages are kept in OUTDIR/.debs.
# Linux only, as root (debootstrap and chroot). Missing host tools are installed with apt-get.
# Env: VMTUI_DEBIAN_SUITE (default trixie), VMTUI_DEBIAN_MIRROR (default: debootstrap's own).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd "$HERE/../.." && pwd -P)"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
[ "$(uname -s)" = Linux ] || { echo "build-debian-image: builds on Linux only (debootstrap)." >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "build-debian-image: run it as root (debootstrap and chroot need it)." >&2; exit 1; }

OUT="$1"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd -P)"
. "$REPO/scripts/toolchain/env.sh"

SUITE="${VMTUI_DEBIAN_SUITE:-trixie}"
case "$(qemu_arch)" in
  x86_64) debarch=amd64 grubplat=x86_64-efi efiname=BOOTX64.EFI console="console=tty0 console=ttyS0,115200" ;;
  aarch64) debarch=arm64 grubplat=arm64-efi efiname=BOOTAA64.EFI console="console=hvc0 console=ttyAMA0,115200" ;;
  *) echo "build-debian-image: no Debian EFI image recipe for $(uname -m)." >&2; exit 1 ;;
esac

image="$OUT/debian.raw"
stamp="$(sha256sum "$SELF" | cut -c1-64) $debarch $SUITE"
up_to_date() { [ -f "$image" ] && [ -f "$OUT/.debian-stamp" ] && [ "$(cat "$OUT/.debian-stamp")" = "$stamp" ]; }
if up_to_date; then
  echo "build-debian-image: $image is up to date"
  exit 0
fi

# --- Host tools -----------------------------------------------------------------------------------
missing=()
for pair in debootstrap:debootstrap mkfs.ext4:e2fsprogs mkfs.vfat:dosfstools mcopy:mtools sfdisk:fdisk; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-debian-image: installing ${missing[*]}" >&2
  command -v apt-get >/dev/null 2>&1 ||
    { echo "build-debian-image: missing ${missing[*]}; install them, then run this again." >&2; exit 1; }
  apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq "$@" >/dev/null; }
  apt_get install "${missing[@]}" || { apt_get update && apt_get install "${missing[@]}"; }
fi
export PATH="$PATH:/usr/sbin:/sbin"

# --- One build at a time ----------------------------------------------------------------------------
exec 9>"$OUT/.lock"
flock -w 3600 9 || { echo "build-debian-image: another build has held $OUT/.lock for an hour; stop it or remove the lock." >&2; exit 1; }
if up_to_date; then
  echo "build-debian-image: $image is up to date (built by another run)"
  exit 0
fi

stage="$(mktemp -d "$OUT/.build.XXXXXX")"
tree="$stage/root"
unmount_tree() {
  # Deepest first; debootstrap may leave its own mounts behind when it fails.
  { grep -F " $tree/" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do
    umount -l "$(printf '%b' "$m")" || true
  done
}
# VMTUI_DEBIAN_KEEP=1 leaves the build folder for a look after a failure.
cleanup() {
  unmount_tree
  if [ "${VMTUI_DEBIAN_KEEP:-0}" = 1 ]; then echo "build-debian-image: kept $stage" >&2; else rm -rf --one-file-system "$stage"; fi
}
trap cleanup EXIT
trap 'echo "build-debian-image: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
t0=$(date +%s)

# --- Root tree ------------------------------------------------------------------------------------
packages=(
  systemd systemd-sysv udev dbus systemd-resolved libpam-systemd libnss-myhostname libnss-resolve
  "linux-image-cloud-$debarch" initramfs-tools zstd "grub-efi-$debarch-bin"
  openssh-server sudo iproute2
  # debootstrap resolves no virtual packages: python3-cryptography needs what this one provides.
  python3-cffi-backend
  cloud-init cloud-guest-utils fdisk gdisk e2fsprogs
)
mkdir -p "$OUT/.debs"
echo "build-debian-image: debootstrap $SUITE ($debarch) into $tree" >&2
mirror=()
[ -n "${VMTUI_DEBIAN_MIRROR:-}" ] && mirror=("$VMTUI_DEBIAN_MIRROR")
debootstrap --arch="$debarch" --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
  --cache-dir="$OUT/.debs" "$SUITE" "$tree" "${mirror[@]}" >"$stage/debootstrap.log" 2>&1 ||
  { tail -n 30 "$stage/debootstrap.log" >&2; grep -A3 -E '^dpkg: (error|dependency)' "$tree/debootstrap/debootstrap.log" >&2 || true; echo "build-debian-image: debootstrap failed (log above)." >&2; exit 1; }

rootuuid="$(cat /proc/sys/kernel/random/uuid)"

# Identity is made at first boot: hostname from the seed, machine-id by systemd, host keys below.
echo debian >"$tree/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$tree/etc/hosts"
: >"$tree/etc/machine-id"
rm -f "$tree/var/lib/dbus/machine-id" "$tree"/etc/ssh/ssh_host_*
ln -sf /run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"
# The kernel mounts the root read-write (rw on its command line): no fsck pass, nothing to remount.
printf 'UUID=%s\t/\text4\tdefaults,errors=remount-ro\t0\t0\n' "$rootuuid" >"$tree/etc/fstab"

# DHCP on every Ethernet link, by systemd-networkd (cloud-init's network rendering is off).
cat >"$tree/etc/systemd/network/80-vmtui-dhcp.network" <<'EOF'
[Match]
Type=ether
Name=en* eth*

[Network]
DHCP=yes
EOF
# With no link up (a VM without a NIC) the default waits 2 minutes for the network.
mkdir -p "$tree/etc/systemd/system/systemd-networkd-wait-online.service.d"
cat >"$tree/etc/systemd/system/systemd-networkd-wait-online.service.d/vmtui.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=/usr/lib/systemd/systemd-networkd-wait-online --any --timeout=30
EOF

# sshd needs a host key even when no seed ran cloud-init (ds-identify turns it off then). Only
# ed25519 and ECDSA: an RSA key takes long to make under emulation.
mkdir -p "$tree/etc/ssh/sshd_config.d" "$tree/etc/systemd/system/ssh.service.d"
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\n' \
  >"$tree/etc/ssh/sshd_config.d/10-vmtui-hostkeys.conf"
cat >"$tree/etc/systemd/system/ssh.service.d/vmtui-hostkeys.conf" <<'EOF'
[Service]
ExecStartPre=/bin/sh -c 'test -s /etc/ssh/ssh_host_ed25519_key || ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key'
ExecStartPre=/bin/sh -c 'test -s /etc/ssh/ssh_host_ecdsa_key || ssh-keygen -q -t ecdsa -N "" -f /etc/ssh/ssh_host_ecdsa_key'
EOF

# cloud-init: the NoCloud seed only, and only the modules a seed from vmtui (or a user's user-data
# doing the usual) needs; each module costs seconds of Python under TCG.
cat >"$tree/etc/cloud/cloud.cfg.d/90-vmtui.cfg" <<'EOF'
datasource_list: [NoCloud, None]
network: {config: disabled}
ssh_genkeytypes: [ed25519, ecdsa]
cloud_init_modules:
  - seed_random
  - bootcmd
  - write_files
  - growpart
  - resizefs
  - set_hostname
  - update_hostname
  - update_etc_hosts
  - users_groups
  - ssh
  - set_passwords
cloud_config_modules:
  - timezone
  - runcmd
cloud_final_modules:
  - package_update_upgrade_install
  - write_files_deferred
  - scripts_vendor
  - scripts_per_once
  - scripts_per_boot
  - scripts_per_instance
  - scripts_user
  - ssh_authkey_fingerprints
  - keys_to_console
  - final_message
  - power_state_change
EOF

# A small initramfs (the kernel unpacks it slowly under TCG): only the disk drivers a VM's root is
# on; the cloud kernel has ext4, virtio-pci and NVMe built in.
printf 'MODULES=list\nCOMPRESS=zstd\n' >"$tree/etc/initramfs-tools/conf.d/vmtui.conf"
printf '%s\n' virtio_blk virtio_scsi sd_mod virtio_mmio >>"$tree/etc/initramfs-tools/modules"

# Timers and units a throwaway test guest does not need (each slows an emulated boot).
mask_units=(apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer
  e2scrub_reap.service fstrim.timer systemd-binfmt.service proc-sys-fs-binfmt_misc.automount
  dev-hugepages.mount sys-kernel-debug.mount sys-kernel-tracing.mount)

cat >"$stage/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
set default=0
search --no-floppy --fs-uuid --set=root $rootuuid
menuentry "Debian (vmtui test image)" {
  linux /vmlinuz root=UUID=$rootuuid rw $console
  initrd /initrd.img
}
EOF
cp "$stage/grub.cfg" "$tree/tmp/vmtui-grub.cfg"

mount -t proc proc "$tree/proc"
chroot "$tree" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/sh -eu -c '
  systemctl -q enable systemd-networkd.service systemd-resolved.service
  systemctl -q mask "$@"
  update-initramfs -u -k all >/dev/null
  grub-mkstandalone -O "'"$grubplat"'" -o /tmp/vmtui-boot.efi \
    --modules="part_gpt ext2 search search_fs_uuid serial linux normal" \
    --locales= --themes= --fonts= "boot/grub/grub.cfg=/tmp/vmtui-grub.cfg"
  apt-get clean
' sh "${mask_units[@]}"
umount "$tree/proc"
mv "$tree/tmp/vmtui-boot.efi" "$stage/boot.efi"
rm -rf "$tree/tmp/"* "$tree/var/lib/apt/lists/"* "$tree/var/cache/apt/"*.bin "$tree/var/lib/cloud/"*
find "$tree/var/log" -type f -delete
[ -e "$tree/vmlinuz" ] && [ -e "$tree/initrd.img" ] ||
  { echo "build-debian-image: the tree has no /vmlinuz or /initrd.img; the kernel did not install." >&2; exit 1; }

# --- Disk -----------------------------------------------------------------------------------------
MiB=$((1024 * 1024))
disk_mib=2048 esp_start=1 esp_mib=64
root_start=$((esp_start + esp_mib))
root_mib=$((disk_mib - root_start - 1)) # the last MiB holds the backup GPT

truncate -s $((esp_mib * MiB)) "$stage/esp.img"
mkfs.vfat -n ESP "$stage/esp.img" >/dev/null
mmd -i "$stage/esp.img" ::/EFI ::/EFI/BOOT
mcopy -i "$stage/esp.img" "$stage/boot.efi" "::/EFI/BOOT/$efiname"

truncate -s $((root_mib * MiB)) "$stage/root.img"
mkfs.ext4 -q -F -L debian-root -U "$rootuuid" -d "$tree" "$stage/root.img"

truncate -s $((disk_mib * MiB)) "$stage/disk.raw"
sfdisk -q "$stage/disk.raw" <<EOF
label: gpt
start=$((esp_start * MiB / 512)), size=$((esp_mib * MiB / 512)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC3B8, name="ESP"
start=$((root_start * MiB / 512)), size=$((root_mib * MiB / 512)), type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"
EOF
dd if="$stage/esp.img" of="$stage/disk.raw" bs=1M seek=$esp_start conv=notrunc,sparse status=none
dd if="$stage/root.img" of="$stage/disk.raw" bs=1M seek=$root_start conv=notrunc,sparse status=none

rm -f "$OUT/.debian-stamp"
mv -f "$stage/disk.raw" "$image"
printf '%s\n' "$stamp" >"$OUT/.debian-stamp"
echo "build-debian-image: built $image in $(($(date +%s) - t0)) s ($(du -k "$image" | cut -f1) KiB used of ${disk_mib} MiB, $SUITE $debarch)"
