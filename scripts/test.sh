#!/usr/bin/env bash
# Sets up and runs every test: the Swift helper's (swift test) and the TypeScript ones
# (unit, rpc against the real helper, UI, end-to-end with tmux and QEMU). Prints a total at the end.
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

echo "== Swift helper tests"
bash scripts/toolchain/in-root.sh swift test --package-path helper 2>&1 | tee "$logdir/swift.log"
swift_rc=${PIPESTATUS[0]}

echo "== TypeScript tests"
node --test --test-concurrency=1 "dist/test/**/*.test.js" 2>&1 | tee "$logdir/node.log"
node_rc=${PIPESTATUS[0]}

# XCTest: "Executed N tests, with F failures"; swift-testing: "Test run with N tests passed/failed".
swift_total=$(grep -E '^\s*Executed [0-9]+ tests?, with' "$logdir/swift.log" | tail -1 | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
swift_fail=$(grep -E '^\s*Executed [0-9]+ tests?, with' "$logdir/swift.log" | tail -1 | sed -E 's/.*with ([0-9]+) failures?.*/\1/')
node_pass=$(grep -E '^ℹ pass [0-9]+' "$logdir/node.log" | tail -1 | awk '{print $3}')
node_fail=$(grep -E '^ℹ fail [0-9]+' "$logdir/node.log" | tail -1 | awk '{print $3}')
swift_total=${swift_total:-0}; swift_fail=${swift_fail:-0}; node_pass=${node_pass:-0}; node_fail=${node_fail:-0}
passed=$((swift_total - swift_fail + node_pass))
failed=$((swift_fail + node_fail))
rm -rf "$logdir"
if [ "$swift_rc" -ne 0 ] || [ "$node_rc" -ne 0 ]; then
  [ "$failed" -eq 0 ] && failed=1
fi
echo "total: $passed passed, $failed failed"
[ "$swift_rc" -eq 0 ] && [ "$node_rc" -eq 0 ]
