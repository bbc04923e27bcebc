#!/usr/bin/env bash
# qcow2 → raw benchmark: the helper's qcow2 reader (`vmtui-helper convert-image`, what
# `vmtui create --image` runs) beside `qemu-img convert -O raw` on the same file, in the same run.
# The source is a disk of a few hundred MiB with random (incompressible) data, text (which
# compresses) and holes, made by qemu-img in two forms: a plain qcow2 and a compressed one
# (`qemu-img convert -c`, deflate). Both outputs are checked equal (sha256) before timing.
# Every output is made durable before its clock stops (ours fsyncs; qemu-img is followed by
# `sync FILE`), both timed from outside, process start included. A warm-up, then seven rounds
# (VMTUI_BENCH_ROUNDS) per pair, the order alternating; medians of wall and CPU time printed.
# Caches are not dropped (that would disturb everything else on the machine): the source is in the
# page cache for both.
#
# The ratio printed is speed (qemu-img's time / ours): ≥ 1 means the helper is as fast or faster.
# Goal: ≥ 0.9.
#
# Usage: bash scripts/bench/qcow2-convert.sh [virtual MiB (1024)] [random MiB (192)] [text MiB (192)]
# Builds the helper in release mode first. Not a test: it prints figures and ratios.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
. "$repo/scripts/toolchain/env.sh"
virtual_mib="${1:-1024}"
random_mib="${2:-192}"
text_mib="${3:-192}"
rounds="${VMTUI_BENCH_ROUNDS:-7}"

if [ "${VMTUI_BENCH_INSIDE:-0}" != 1 ]; then
  cd "$repo"
  bash scripts/build-helper.sh release  # the same build flags as vmtui's own helper, so nothing is rebuilt
  # The helper needs the root's libc, and qemu-img lives there: run the rest inside the root.
  VMTUI_BENCH_INSIDE=1 exec bash scripts/toolchain/in-root.sh bash scripts/bench/qcow2-convert.sh "$virtual_mib" "$random_mib" "$text_mib"
fi

helper="$repo/helper/.build/release/vmtui-helper"
[ -x "$helper" ] || { echo "qcow2-convert.sh: $helper is missing; the release build above did not make it." >&2; exit 1; }
command -v qemu-img >/dev/null || { echo "qcow2-convert.sh: qemu-img is missing (Debian: qemu-utils)." >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/vmtui-qcow2-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# The raw source: eight stretches of random data and eight of text, spread over the disk.
raw="$work/source.raw"
truncate -s "${virtual_mib}M" "$raw"
step=$(( virtual_mib / 16 ))
for i in $(seq 0 7); do
  head -c "$(( random_mib * 1048576 / 8 ))" /dev/urandom \
    | dd of="$raw" bs=1M seek=$(( (2 * i) * step + 1 )) conv=notrunc status=none iflag=fullblock
  # yes ends by SIGPIPE when head has enough; that is not a failure.
  { yes "vmtui qcow2 benchmark line $i: the quick brown fox jumps over the lazy dog" || true; } | head -c "$(( text_mib * 1048576 / 8 ))" \
    | dd of="$raw" bs=1M seek=$(( (2 * i + 1) * step + 1 )) conv=notrunc status=none iflag=fullblock
done
qemu-img convert -f raw -O qcow2 "$raw" "$work/plain.qcow2"
qemu-img convert -f raw -O qcow2 -c "$raw" "$work/compressed.qcow2"
want="$(sha256sum <"$raw" | cut -d' ' -f1)"
rm -f "$raw"
sync

# timed CMD...: runs it, sets secs (wall) and cpu (user + sys, its threads and children included).
TIMEFORMAT='%R %U %S'
timed() {
  local t
  t="$( { time "$@" >/dev/null; } 2>&1 )"
  secs="$(awk '{ printf "%.3f", $1 }' <<<"$t")"; cpu="$(awk '{ printf "%.3f", $2 + $3 }' <<<"$t")"
}

# Both timed the same way, process start and the flush to disk included.
run_ours() { rm -f "$2"; timed "$helper" convert-image "$1" "$2"; }
run_qemu() { rm -f "$2"; timed sh -c 'qemu-img convert -f qcow2 -O raw "$1" "$2" && sync "$2"' qemu "$1" "$2"; }

compare() {
  local label="$1" src="$2" ours=() theirs=() ours_cpu=() theirs_cpu=() round
  run_ours "$src" "$work/ours.raw"; run_qemu "$src" "$work/qemu.raw"
  for out in ours qemu; do
    [ "$(sha256sum <"$work/$out.raw" | cut -d' ' -f1)" = "$want" ] || { echo "qcow2-convert.sh: $out's conversion of $label differs from the source" >&2; exit 1; }
  done
  rm -f "$work/ours.raw" "$work/qemu.raw"; sync
  for round in $(seq 1 "$rounds"); do
    if [ $(( round % 2 )) = 1 ]; then
      run_ours "$src" "$work/ours.raw"; ours+=("$secs"); ours_cpu+=("$cpu")
      run_qemu "$src" "$work/qemu.raw"; theirs+=("$secs"); theirs_cpu+=("$cpu")
    else
      run_qemu "$src" "$work/qemu.raw"; theirs+=("$secs"); theirs_cpu+=("$cpu")
      run_ours "$src" "$work/ours.raw"; ours+=("$secs"); ours_cpu+=("$cpu")
    fi
    rm -f "$work/ours.raw" "$work/qemu.raw"; sync
  done
  local a b ac bc
  a="$(median "${ours[@]}")"; b="$(median "${theirs[@]}")"
  ac="$(median "${ours_cpu[@]}")"; bc="$(median "${theirs_cpu[@]}")"
  printf '%-11s %-28s %7.3f s wall, %6.3f s CPU  (wall runs %s)\n' "$label" "vmtui-helper convert-image" "$a" "$ac" "${ours[*]}"
  printf '%-11s %-28s %7.3f s wall, %6.3f s CPU  (wall runs %s)\n' "$label" "qemu-img convert -O raw" "$b" "$bc" "${theirs[*]}"
  echo "            speed ratio, qemu-img time / ours (goal >= 0.9): wall $(ratio "$b" "$a"), CPU $(ratio "$bc" "$ac")"
}

echo "source: ${virtual_mib} MiB virtual, ${random_mib} MiB random + ${text_mib} MiB text; plain qcow2 $(du -m "$work/plain.qcow2" | cut -f1) MiB, compressed $(du -m "$work/compressed.qcow2" | cut -f1) MiB; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(qemu-img --version | head -1); medians of $rounds"
echo
compare plain "$work/plain.qcow2"
echo
compare compressed "$work/compressed.qcow2"
