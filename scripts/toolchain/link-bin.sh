#!/usr/bin/env bash
# Lets a user type `vmtui`: links scripts/vmtui.sh as `vmtui` into ~/.local/bin (or ~/bin when only
# that one is on PATH) and, when that folder is not on PATH, says the one line to add. Says it once,
# when it makes the link; never replaces a file it did not make. VMTUI_NO_LINK=1 skips it.
set -euo pipefail
[ "${VMTUI_NO_LINK:-0}" = 1 ] && exit 0
. "$(dirname "$0")/env.sh"
target="$REPO_TOP/scripts/vmtui.sh"
on_path() { case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac; }
dir="$HOME/.local/bin"
if ! on_path "$dir" && on_path "$HOME/bin" && [ -d "$HOME/bin" ]; then dir="$HOME/bin"; fi
link="$dir/vmtui"
[ -L "$link" ] && [ "$(readlink "$link")" = "$target" ] && exit 0
if [ -e "$link" ] || [ -L "$link" ]; then
  echo "setup: $link is not vmtui's link, so it was left alone; run vmtui with 'bash $target'." >&2
  exit 0
fi
if [ -L "$dir" ] || ! mkdir -p "$dir" 2>/dev/null || ! ln -s "$target" "$link" 2>/dev/null; then
  echo "setup: could not link vmtui into $dir; run it with 'bash $target'." >&2
  exit 0
fi
if on_path "$dir"; then
  echo "setup: linked $link; type 'vmtui' to run it." >&2
else
  echo "setup: linked $link; to type 'vmtui', add this line to your shell's profile: export PATH=\"$dir:\$PATH\"" >&2
fi
