#!/usr/bin/env bash
# Proves the tiny test guest works: builds it into a temp folder, boots it twice under QEMU (TCG)
# with a 64 MiB sparse raw disk, and checks the boot marker, console echo, setmarker, the ACPI power
# button (QMP system_powerdown), the marker after a reboot and the console poweroff command.
# Prints PASS/FAIL per step and the boot times; exits non-zero on any failure.
#
#   bash scripts/guest/boot-check.sh [--keep]      (--keep leaves the temp folder for inspection)
# Env: VMTUI_GUEST_ACCEL (default tcg; kvm only where /dev/kvm really works).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd "$HERE/../.." && pwd -P)"
. "$REPO/scripts/toolchain/env.sh"

keep=0
[ "${1:-}" = --keep ] && keep=1

PY="${PYTHON3:-python3}"
command -v "$PY" >/dev/null 2>&1 || { echo "boot-check: needs python3 on this machine" >&2; exit 1; }

# Short path: unix socket paths must stay under ~108 bytes. /tmp is the same inside the root.
work="$(mktemp -d /tmp/vmtui-bootcheck.XXXXXX)"
cleanup() { if [ "$keep" = 1 ]; then echo "boot-check: kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

if uses_root; then
  launcher=(bash "$REPO/scripts/toolchain/in-root.sh")
  bash "$REPO/scripts/toolchain/mount-root.sh"
else
  launcher=()
fi

t0=$(date +%s.%N)
bash "$HERE/build-tiny-guest.sh" "$work/guest"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$(stat -c %s "$work/guest/initrd.gz")" \
  'BEGIN { printf "PASS: build guest (%.1f s, initrd.gz %d bytes)\n", b - a, n }'

truncate -s 64M "$work/disk.img"

cd "$REPO"
"$PY" "$HERE/boot_check.py" --kernel "$work/guest/vmlinuz" --initrd "$work/guest/initrd.gz" \
  --disk "$work/disk.img" --workdir "$work" --accel "${VMTUI_GUEST_ACCEL:-tcg}" -- "${launcher[@]}"
