#!/usr/bin/env bash
# Build the macOS release of FoxChat: FoxChat.app from PyInstaller, checked, in a DMG.
#
#   packaging/macos/build_app.sh
#
# Needs Python 3.11+ from python.org or Homebrew and the Xcode command line tools
# (hdiutil and codesign ship with macOS). Builds for the Mac it runs on (arm64
# or x86_64). The app is signed ad hoc only: to hand it to other people, sign it
# with a Developer ID and notarize it (see the README's packaging section).
# Output: dist/FoxChat.app and dist/FoxChat-<version>-macos-<arch>.dmg
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x build/venv/bin/python ]; then
    python3 -m venv build/venv
fi
build/venv/bin/pip install --quiet --upgrade pip
build/venv/bin/pip install --quiet . "pyinstaller>=6"
python=build/venv/bin/python

version=$("$python" -c 'import foxchat; print(foxchat.__version__)')
arch=$(uname -m)
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/foxchat.spec

app=dist/FoxChat.app
echo "build: self-check of $app"
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/foxchat" --self-check

# Ad hoc signature: Apple silicon refuses to run unsigned code at all.
codesign --force --deep --sign - "$app"

staging=build/dmg
rm -rf "$staging"
mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"  # drag-to-install target
dmg="dist/FoxChat-$version-macos-$arch.dmg"
rm -f "$dmg"
hdiutil create -volname "FoxChat $version" -srcfolder "$staging" -ov -format UDZO "$dmg"
echo "build: $(du -sh "$app" | cut -f1) in $app, $(du -h "$dmg" | cut -f1) in $dmg"
