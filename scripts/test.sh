#!/usr/bin/env bash
# Sets up and runs every test: the Swift helper's (swift test) and the TypeScript ones
# (unit, rpc against the real helper, UI, end-to-end with tmux and QEMU). Lists skipped tests and
# prints `total: N passed, N failed, N skipped` last (scripts/test-summary.sh; on CI a skip for want
# of something the setup provides is a failure).
set -uo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
# Tests set up what they need and leave the home folder alone (no `vmtui` link in ~/.local/bin).
export VMTUI_NO_LINK=1
. "$top/scripts/toolchain/setup.sh" >&2
set +e  # setup.sh set -e; here every suite runs and the total is printed even when one fails
cd "$top"
logdir="$(mktemp -d)"
# The tiny guest the end-to-end tests boot (kernel + busybox initramfs), cached with the toolchain.
export VMTUI_TEST_GUEST_DIR="${VMTUI_TEST_GUEST_DIR:-$VMTUI_TOOLCHAIN/guest}"
bash scripts/guest/build-tiny-guest.sh "$VMTUI_TEST_GUEST_DIR" >&2
# The same guest on a UEFI-bootable ISO (GRUB, EFI only), for the ISO install tests.
export VMTUI_TEST_ISO_DIR="${VMTUI_TEST_ISO_DIR:-$VMTUI_TOOLCHAIN/iso}"
bash scripts/guest/build-tiny-iso.sh "$VMTUI_TEST_ISO_DIR" >&2
bash scripts/guest/build-tiny-iso.sh --menu "$VMTUI_TEST_ISO_DIR" >&2
# A Debian image (systemd, sshd, cloud-init, DHCP; EFI boot) for the image and provisioning tests.
export VMTUI_TEST_DEBIAN_DIR="${VMTUI_TEST_DEBIAN_DIR:-$VMTUI_TOOLCHAIN/debian}"
bash scripts/guest/build-debian-image.sh "$VMTUI_TEST_DEBIAN_DIR" >&2

echo "== Swift helper tests"
bash scripts/toolchain/in-root.sh swift test --package-path helper 2>&1 | tee "$logdir/swift.log"
swift_rc=${PIPESTATUS[0]}

echo "== TypeScript tests"
# The spec reporter for people; TAP to a file for the totals and the skip reasons.
node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$logdir/node.tap" "dist/test/**/*.test.js" 2>&1 | tee "$logdir/node.log"
node_rc=${PIPESTATUS[0]}

echo "== macOS code, checked on Linux"
# Each counts as one test: the Darwin branches compile against Apple's declarations, and every
# newer-than-macOS-13 API sits behind #available. The Swift 6 preview only prints its count.
checks_pass=0 checks_fail=0
check() {
  if "$@" >"$logdir/check.log" 2>&1; then checks_pass=$((checks_pass + 1)); tail -n 1 "$logdir/check.log"
  else checks_fail=$((checks_fail + 1)); grep -aE 'error:' "$logdir/check.log" | sort -u | head -n 20; tail -n 3 "$logdir/check.log"; echo "FAILED: $*"; fi
}
check bash scripts/check-darwin.sh
check node dist/scripts/check-availability.js
bash scripts/swift6-preview.sh | tail -n 1

bash scripts/test-summary.sh "$logdir/swift.log" "$swift_rc" "$logdir/node.tap" "$node_rc" "$checks_pass" "$checks_fail"
rc=$?
rm -rf "$logdir"
exit $rc
