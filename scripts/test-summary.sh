#!/usr/bin/env bash
# The totals of a test run, from XCTest's output and node's TAP:
#   bash scripts/test-summary.sh SWIFT_LOG SWIFT_RC NODE_TAP NODE_RC [CHECKS_PASSED CHECKS_FAILED]
# (the last two count other checks of the run, such as the macOS code checks, as tests).
# Lists each skipped test with its reason, then prints `total: N passed, N failed, N skipped` last.
# With CI=true a skip whose cause the setup should have provided (a loop device, tmpfs, btrfs-progs,
# a built helper, tmux, QEMU) counts as failed. Exits 0 only if nothing failed.
set -uo pipefail
swift_log=$1 swift_rc=$2 node_tap=$3 node_rc=$4 checks_pass=${5:-0} checks_fail=${6:-0}

# XCTest's last "Executed" line is the whole run's: "Executed 203 tests, with 0 failures (0 unexpected)"
# or "Executed 2 tests, with 1 test skipped and 0 failures (0 unexpected)". Its count includes skips.
line=$(grep -E 'Executed [0-9]+ tests?, with' "$swift_log" 2>/dev/null | tail -1)
swift_total=$(sed -nE 's/.*Executed ([0-9]+) tests?, with.*/\1/p' <<<"$line")
swift_skip=$(sed -nE 's/.*with ([0-9]+) tests? skipped and.*/\1/p' <<<"$line")
# Its "failures" are failed assertions, several per test at times: count the failed tests instead.
swift_fail=$(grep -cE "^Test Case '.+' failed \(" "$swift_log" 2>/dev/null)
swift_total=${swift_total:-0} swift_skip=${swift_skip:-0} swift_fail=${swift_fail:-0}

# node's TAP: every test and subtest is an "ok"/"not ok" line; the summary comments count them.
count() { sed -nE "s/^# $1 ([0-9]+)$/\1/p" "$node_tap" 2>/dev/null | tail -1; }
node_pass=$(count pass) node_fail=$(count fail) node_skip=$(count skipped) node_cancelled=$(count cancelled)
node_pass=${node_pass:-0} node_fail=${node_fail:-0} node_skip=${node_skip:-0} node_cancelled=${node_cancelled:-0}

skips=$(mktemp)
trap 'rm -f "$skips"' EXIT
# XCTest on Linux: "<file>:<line>: Class.testName : Test skipped - reason"; on macOS the name is
# "-[Module.Class testName]".
sed -nE 's/^.*: (-\[[^]]+\]|[A-Za-z0-9_.]+) : Test skipped( - (.*))?$/swift \1: \3/p' "$swift_log" 2>/dev/null >>"$skips"
# TAP: "ok 3 - name # SKIP reason", indented for subtests.
sed -nE 's/^ *ok [0-9]+ - (.*) # SKIP ?(.*)$/node \1: \2/p' "$node_tap" 2>/dev/null >>"$skips"

skipped=$((swift_skip + node_skip))
passed=$((swift_total - swift_skip - swift_fail + node_pass + checks_pass))
failed=$((swift_fail + node_fail + node_cancelled + checks_fail))
# A suite that failed without a count (a build error, a crash) still fails the run.
if [ "$swift_rc" -ne 0 ] && [ "$swift_fail" -eq 0 ]; then failed=$((failed + 1)); echo "swift test exited with status $swift_rc without a failed test: see its output above."; fi
if [ "$node_rc" -ne 0 ] && [ "$node_fail" -eq 0 ] && [ "$node_cancelled" -eq 0 ]; then failed=$((failed + 1)); echo "node --test exited with status $node_rc without a failed test: see its output above."; fi

if [ -s "$skips" ]; then
  echo "skipped:"
  sed 's/: $/: (no reason given)/; s/^/  /' "$skips"
fi
if [ "${CI:-}" = true ]; then
  # What scripts/toolchain/setup.sh installs or a CI machine has: a skip for want of it is a broken setup.
  provided='loop device|tmpfs|btrfs|mkfs|helper binary|helper is not built|not built|tmux|qemu'
  wanting=$(grep -Ei "$provided" "$skips" || true)
  if [ -n "$wanting" ]; then
    echo "CI: these skips mean the setup did not provide what they need, so they count as failed:"
    sed 's/^/  /' <<<"$wanting"
    n=$(grep -c . <<<"$wanting")
    failed=$((failed + n))
  fi
fi
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
