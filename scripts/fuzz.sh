#!/usr/bin/env bash
# Fuzzes the helper's framing and dispatch: random and mutated frames through a real Connection
# with serve's and a per-VM host's method tables. Seeded and replayable:
#   bash scripts/fuzz.sh [--seed N] [--count N] [serve|host ...]
# Prints one line of counts per target; fails on a crash, a hang or unbounded memory.
set -uo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
seed=1 count=100000 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    serve|host) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1'; use [--seed N] [--count N] [serve|host]" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(serve host)
helper="${VMTUI_HELPER:-$top/helper/.build/vmtui-helper}"
[ -x "$helper" ] || { echo "fuzz.sh: no helper at $helper; build it with 'bash scripts/build-helper.sh release'." >&2; exit 2; }
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
for target in "${targets[@]}"; do
  # The helper's own log (each refused frame is a line) goes to a file; its tail is shown on failure.
  "$helper" fuzz "$target" --seed "$seed" --count "$count" 2>"$log"
  rc=$?
  if [ $rc -ne 0 ]; then
    if [ $rc -ge 128 ] || grep -q 'Program crashed\|Fatal error' "$log"; then
      echo "fuzz $target: seed $seed: CRASH (status $rc); replay with: bash scripts/fuzz.sh --seed $seed --count $count $target"
      grep -m3 'Fatal error\|crashed' "$log"
    fi
    tail -n 5 "$log" >&2
    status=1
  fi
done
exit $status
