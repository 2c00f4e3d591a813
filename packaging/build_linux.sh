#!/usr/bin/env bash
# Build the Linux release of FoxChat: a one-folder PyInstaller bundle, checked and packed.
#
#   packaging/build_linux.sh            # from a clean clone: makes build/venv itself
#   PYTHON=.venv/bin/python packaging/build_linux.sh   # reuse an env that has pyinstaller
#
# DIST_DIR and WORK_DIR (default dist and build/pyinstaller) move the output
# and PyInstaller's scratch space, which the packaging test uses.
#
# Output: dist/FoxChat/ (run dist/FoxChat/foxchat) and
# dist/FoxChat-<version>-linux-<arch>.tar.gz, which also holds the .desktop
# file, the AppStream metainfo, the icons and install-desktop-entry.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PYTHON:-}" ]; then
    # A venv of its own, with FoxChat installed from this tree (not editable),
    # so the bundle holds exactly what a user's pip install would.
    if [ ! -x build/venv/bin/python ]; then
        python3 -m venv build/venv
    fi
    build/venv/bin/pip install --quiet --upgrade pip
    build/venv/bin/pip install --quiet . "pyinstaller>=6"
    PYTHON=build/venv/bin/python
fi

dist=${DIST_DIR:-dist}
work=${WORK_DIR:-build/pyinstaller}
version=$("$PYTHON" -c 'import foxchat; print(foxchat.__version__)')
arch=$(uname -m)
echo "build: FoxChat $version for linux-$arch with $("$PYTHON" -m PyInstaller --version)"

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" packaging/foxchat.spec

bundle=$dist/FoxChat
# Desktop integration travels inside the bundle, laid out like /usr/share.
install -Dm644 packaging/linux/foxchat.desktop "$bundle/share/applications/foxchat.desktop"
install -Dm644 packaging/linux/foxchat.metainfo.xml \
    "$bundle/share/metainfo/io.github.foxchat.FoxChat.metainfo.xml"
for png in foxchat/resources/icons/foxchat-*.png; do
    size=${png##*-}
    size=${size%.png}
    install -Dm644 "$png" "$bundle/share/icons/hicolor/${size}x${size}/apps/foxchat.png"
done
install -Dm644 foxchat/resources/icons/foxchat.svg \
    "$bundle/share/icons/hicolor/scalable/apps/foxchat.svg"
install -Dm755 packaging/linux/install-desktop-entry.sh "$bundle/install-desktop-entry.sh"

echo "build: self-check of the bundle"
QT_QPA_PLATFORM=offscreen "$bundle/foxchat" --self-check

archive="$dist/FoxChat-$version-linux-$arch.tar.gz"
tar -C "$dist" -czf "$archive" FoxChat
echo "build: $(du -sh "$bundle" | cut -f1) in $bundle, $(du -h "$archive" | cut -f1) packed in $archive"
