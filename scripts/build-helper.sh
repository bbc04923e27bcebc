#!/usr/bin/env bash
# Builds the Swift helper and writes the stable entry point helper/.build/vmtui-helper that the
# TypeScript side spawns. Usage: bash scripts/build-helper.sh [release|debug]   (default release)
# Idempotent; quiet on success except for the compiler's own output on stderr.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
. "$repo/scripts/toolchain/env.sh"

config="${1:-release}"
case "$config" in
  release|debug) ;;
  *) echo "build-helper: '$config' is not a build configuration; use 'release' or 'debug'." >&2; exit 2 ;;
esac

cd "$repo"
link_args=()
if [ "$(uname -s)" = Linux ]; then
  # One executable with the Swift runtime and Foundation inside: binding a dozen shared Swift
  # libraries at run time was most of every helper start (vmtui list, each VM's host).
  # FoundationNetworking links libcurl by its development name; a root without libcurl's dev
  # package has only the runtime library, so the link finds it through a folder of our own.
  sysroot=/
  if uses_root; then sysroot="$VMTUI_ROOT"; fi
  link_args=(--static-swift-stdlib)
  curl_runtime="$(cd "$sysroot" && ls usr/lib/*-linux-gnu/libcurl.so.4 2>/dev/null | head -n 1)"
  if [ -n "$curl_runtime" ] && [ ! -e "$sysroot/${curl_runtime%.4}" ]; then
    mkdir -p helper/.build/link-extra
    ln -sfn "/$curl_runtime" helper/.build/link-extra/libcurl.so
    link_args+=(-Xlinker "-L$repo/helper/.build/link-extra")
  fi
fi
# Through a pipe, never a terminal: swift build adds colour flags to every compile when stderr is
# a terminal, so a build from a terminal after one from a script (or back) recompiled everything.
bash scripts/toolchain/in-root.sh swift build -c "$config" --package-path helper ${link_args[@]+"${link_args[@]}"} 2>&1 | cat >&2

binary="$repo/helper/.build/$config/vmtui-helper"
if [ ! -x "$binary" ]; then
  echo "build-helper: the build finished but $binary is missing; look at the build output above." >&2
  exit 1
fi

if [ "$(uname -s)" = Darwin ]; then
  bash scripts/sign-helper.sh "$binary" >&2
fi

entry="$repo/helper/.build/vmtui-helper"
tmp="$entry.tmp.$$"
rm -f "$tmp"
facts="$entry.root"
rm -f "$facts"
if uses_root; then
  # The binary needs the root's newer libc, so the entry point runs it through chroot: mounting
  # what is missing first (mount-root.sh), from a folder that exists inside the root, with this
  # machine's own os-release name (inside the root /etc/os-release is the root's).
  swift_path="/usr/libexec/swift/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  cat >"$tmp" <<LAUNCHER
#!/bin/sh
root="$VMTUI_ROOT"
if [ ! -d "\$root/proc/self" ] || ! [ "\$root$repo" -ef "$repo" ] || { [ -n "\${VMTUI_HOME:-}" ] && ! [ "\$root\$VMTUI_HOME" -ef "\$VMTUI_HOME" ]; }; then
  bash "$repo/scripts/toolchain/mount-root.sh" >&2 || exit 1
fi
cd -P . 2>/dev/null && here="\$PWD" || here="$repo"
[ "\$root\$here" -ef "\$here" ] || here="$repo"
if [ -z "\${VMTUI_HOST_DISTRIBUTION:-}" ] && [ -r /etc/os-release ]; then
  while IFS='=' read -r key value; do
    if [ "\$key" = PRETTY_NAME ]; then value="\${value#[\"\']}"; export VMTUI_HOST_DISTRIBUTION="\${value%[\"\']}"; fi
  done </etc/os-release
fi
PATH="$swift_path" exec chroot "\$root" /bin/sh -c 'cd "\$0" && exec "\$@"' "\$here" "$binary" "\$@"
LAUNCHER
  chmod 755 "$tmp"
  # What vmtui needs to run chroot itself once the root is mounted (src/rpc/helperLaunch.ts).
  printf 'root=%s\nbinary=%s\npath=%s\n' "$VMTUI_ROOT" "$binary" "$swift_path" >"$facts.tmp.$$"
  mv -f "$facts.tmp.$$" "$facts"
else
  ln -s "$binary" "$tmp"
fi
# Rename into place so a running client never sees a half-written entry point.
mv -f "$tmp" "$entry"
