#!/usr/bin/env bash
# Clone benchmark: a 20 GiB sparse disk image holding 1 GiB of data, cloned by vmtui-helper
# (`vmtui-helper clone-file`, the routine behind vm/clone and snapshots) beside coreutils on the
# same file system, in the same run:
#   - the temporary folder's file system (ext4 here): ours (sparse copy) vs `cp --sparse=always`;
#   - a btrfs image on a loop device, when it can be made (root, mkfs.btrfs): ours (reflink) vs
#     `cp --reflink=always`, and our forced copy (--copy) vs `cp --sparse=always --reflink=never`.
# Every copy is made durable before its clock stops (ours fsyncs; cp is followed by `sync FILE`).
# Five rounds per pair after a warm-up, the order alternating; medians and every run are printed.
# The source is in the page cache for every run (it was just written); caches are not dropped,
# since that would disturb everything else on the machine.
#
# "allocated" is st_blocks of the copy (shared blocks count in full); "file system space used" is
# the drop in free space across the copy (after sync): about zero for a reflink. Ours is timed
# inside the helper (no process start), cp with its process start and the sync: a few ms.
#
# Usage: bash scripts/bench/clone.sh [logical GiB (20)] [data MiB (1024)]
# Builds the helper in release mode first. Not a test: it prints figures and ratios.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
. "$repo/scripts/toolchain/env.sh"
logical_gib="${1:-20}"
data_mib="${2:-1024}"

if [ "${VMTUI_BENCH_INSIDE:-0}" != 1 ]; then
  cd "$repo"
  bash scripts/build-helper.sh release  # the same build flags as vmtui's own helper, so nothing is rebuilt
  # The helper needs the root's libc, and mkfs.btrfs lives there: run the rest inside the root.
  VMTUI_BENCH_INSIDE=1 exec bash scripts/toolchain/in-root.sh bash scripts/bench/clone.sh "$logical_gib" "$data_mib"
fi

helper="$repo/helper/.build/release/vmtui-helper"
[ -x "$helper" ] || { echo "clone.sh: $helper is missing; the release build above did not make it." >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/vmtui-clone-bench.XXXXXX")"
mnt="$work/btrfs"
cleanup() {
  if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
allocated() { stat -c '%b %B' "$1" | awk '{ printf "%d", $1 * $2 }'; }
gib() { awk -v b="$1" 'BEGIN { printf "%.3f GiB", b / 1073741824 }'; }
avail() { df --output=avail -B1 "$1" | tail -1 | tr -d ' '; }
field() { sed -E "s/.*\"$1\":\"?([^,\"}]*).*/\1/" <<<"$2"; }

# The source: holes everywhere except 16 extents of random data spread over the disk.
make_source() {
  local file="$1" chunks=16
  truncate -s "${logical_gib}G" "$file"
  local chunk_mib=$(( data_mib / chunks )) step_mib=$(( logical_gib * 1024 / chunks ))
  for i in $(seq 0 $(( chunks - 1 ))); do
    head -c "$(( chunk_mib * 1048576 ))" /dev/urandom \
      | dd of="$file" bs=1M seek=$(( i * step_mib + 7 )) conv=notrunc,fsync status=none iflag=fullblock
  done
}

# run_ours SRC DST [--copy]: one clone by the helper; sets secs, strategy, alloc.
run_ours() {
  local out
  out="$("$helper" clone-file ${3:-} "$1" "$2")"
  secs="$(field seconds "$out")"; strategy="$(field strategy "$out")"; alloc="$(field allocatedBytes "$out")"
}

# run_cp SRC DST cp-args...: one cp, made durable (sync FILE fsyncs it); sets secs, alloc.
run_cp() {
  local src="$1" dst="$2" t0 t1; shift 2
  t0="$(now)"; cp "$@" "$src" "$dst"; sync "$dst"; t1="$(now)"
  secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"; alloc="$(allocated "$dst")"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# compare LABEL SRC OURS-FLAG cp-args...: a warm-up, then five rounds, the order alternating; medians printed.
compare() {
  local label="$1" src="$2" flag="$3"; shift 3
  local dir ours=() theirs=() ours_alloc theirs_alloc ours_strategy round free0 free1 ours_used theirs_used
  dir="$(dirname "$src")"
  # One untimed run of each first, so neither pays for what the previous step left (writeback, discards).
  run_ours "$src" "$dir/ours.img" "$flag"; run_cp "$src" "$dir/cp.img" "$@"; rm -f "$dir/ours.img" "$dir/cp.img"; sync
  for round in 1 2 3 4 5; do
    if [ $(( round % 2 )) = 1 ]; then
      free0="$(avail "$dir")"
      run_ours "$src" "$dir/ours.img" "$flag"; ours+=("$secs"); ours_alloc="$alloc"; ours_strategy="$strategy"
      sync; free1="$(avail "$dir")"; ours_used=$(( free0 - free1 ))
      [ "$round" = 1 ] && { cmp -s "$src" "$dir/ours.img" || { echo "clone.sh: our clone differs from its source" >&2; exit 1; }; }
      run_cp "$src" "$dir/cp.img" "$@"; theirs+=("$secs"); theirs_alloc="$alloc"
      sync; theirs_used=$(( free1 - $(avail "$dir") ))
    else
      run_cp "$src" "$dir/cp.img" "$@"; theirs+=("$secs"); theirs_alloc="$alloc"
      run_ours "$src" "$dir/ours.img" "$flag"; ours+=("$secs")
    fi
    rm -f "$dir/ours.img" "$dir/cp.img"; sync
  done
  local a b
  a="$(median "${ours[@]}")"; b="$(median "${theirs[@]}")"
  printf '%-9s %-40s %8.3f s  (runs %s)  allocated %s, file system space used %s\n' "$label" "vmtui-helper clone-file ${flag:+$flag }-> $ours_strategy" "$a" "${ours[*]}" "$(gib "$ours_alloc")" "$(gib "$ours_used")"
  printf '%-9s %-40s %8.3f s  (runs %s)  allocated %s, file system space used %s\n' "$label" "cp $*" "$b" "${theirs[*]}" "$(gib "$theirs_alloc")" "$(gib "$theirs_used")"
  echo "          time ratio vmtui-helper / cp: $(ratio "$a" "$b")"
}

src="$work/source.img"
echo "Making a ${logical_gib} GiB sparse image with ${data_mib} MiB of data in $work ..." >&2
make_source "$src"
sync
fs="$(stat -f -c %T "$work")"
echo "source: $(gib "$(stat -c %s "$src")") logical, $(gib "$(allocated "$src")") allocated, on $fs; $(nproc) cores, load $(cut -d" " -f1-3 /proc/loadavg); medians of 5"
echo
compare "$fs" "$src" "" --sparse=always
echo

btrfs_reason=""
if [ "$(id -u)" != 0 ]; then btrfs_reason="not root"
elif ! command -v mkfs.btrfs >/dev/null; then btrfs_reason="mkfs.btrfs is not installed (apt-get install btrfs-progs)"
else
  mkdir -p "$mnt"
  truncate -s "$(( data_mib * 3 + 1024 ))M" "$work/btrfs.img"
  if ! mkfs.btrfs -q "$work/btrfs.img" >/dev/null 2>&1; then btrfs_reason="mkfs.btrfs failed"
  elif ! mount -o loop "$work/btrfs.img" "$mnt" 2>/dev/null; then btrfs_reason="cannot mount a loop device here"
  fi
fi
if [ -n "$btrfs_reason" ]; then
  echo "btrfs: skipped ($btrfs_reason)"
  exit 0
fi
bsrc="$mnt/source.img"
cp --sparse=always --reflink=never "$src" "$bsrc"
sync
rm -f "$src"
compare btrfs "$bsrc" "" --reflink=always
# coreutils 9 reflinks by default (--reflink=auto), so the plain copy needs --reflink=never.
compare btrfs "$bsrc" --copy --sparse=always --reflink=never
