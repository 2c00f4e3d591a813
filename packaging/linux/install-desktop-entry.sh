#!/usr/bin/env bash
# Add FoxChat (this unpacked bundle) to your desktop's application menu, for you only.
#
#   ./install-desktop-entry.sh              # menu entry + icons in ~/.local/share
#   ./install-desktop-entry.sh --uninstall  # remove them again
#
# Nothing is written outside ~/.local/share and no root rights are needed.
# Run it again after moving the FoxChat folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
share=${XDG_DATA_HOME:-$HOME/.local/share}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$share/applications/foxchat.desktop"
    find "$share/icons/hicolor" -path '*/apps/foxchat.*' -delete 2>/dev/null || true
    echo "FoxChat's menu entry was removed. Your conversations were not touched."
    exit 0
fi

if [ ! -x "$here/foxchat" ]; then
    echo "Run this script from inside the unpacked FoxChat folder." >&2
    exit 1
fi
mkdir -p "$share/applications"
# The menu entry must name this folder's program, since it is not on PATH.
sed -e "s|^Exec=foxchat|Exec=\"$here/foxchat\"|" -e "s|^TryExec=foxchat|TryExec=$here/foxchat|" \
    "$here/share/applications/foxchat.desktop" > "$share/applications/foxchat.desktop"
cp -r "$here/share/icons" "$share/"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "FoxChat is now in your application menu (it may take a moment to appear)."
