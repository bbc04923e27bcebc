#!/usr/bin/env bash
# Everything vmtui needs to build and run, installed idempotently (a second run takes seconds):
# Node >= 22, on Linux the Swift/QEMU root (unless native Swift 6 and QEMU exist), tmux, npm
# packages, the helper and the TypeScript build. Source it to get PATH set, or run it.
set -euo pipefail
_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$_here/env.sh"

_nodebin="$(bash "$_here/setup-node.sh")"
[ -n "$_nodebin" ] && export PATH="$_nodebin:$PATH"

if [ "$(uname -s)" = Linux ]; then
  bash "$_here/setup-root.sh"
  if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
  fi
  # ssh and ssh-keygen for the provisioning tests (a throwaway key, a login through the forward).
  if ! command -v ssh-keygen >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null
  fi
elif ! command -v swift >/dev/null 2>&1; then
  echo "setup: no 'swift' found; install Xcode (or its command line tools) first." >&2
  exit 1
fi

cd "$REPO_TOP"
# Marked before building, so a source saved during the build still counts as newer than the stamp.
mkdir -p dist && : >dist/.setup-stamp.new
# npm ci only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
bash "$REPO_TOP/scripts/build-helper.sh" release
npm run --silent build
# scripts/vmtui.sh skips setup while no source is newer than this stamp (its first line: Node's folder).
printf '%s\n' "$_nodebin" >dist/.setup-stamp.new && mv -f dist/.setup-stamp.new dist/.setup-stamp
bash "$_here/link-bin.sh"
