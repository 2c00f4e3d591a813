"""Render the SVG app icon to the PNG, .ico and .icns files the app and installers use.

Run it after changing ``foxchat/resources/icons/foxchat.svg`` and commit what it
writes; the build does not need it. It uses Qt's own SVG renderer (QtSvg ships
in PySide6-Essentials), so no other tool is needed::

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Writes ``foxchat/resources/icons/foxchat-<N>.png`` for every size in
``ICON_SIZES`` (the window icon and the Linux hicolor theme), plus
``packaging/windows/foxchat.ico`` and ``packaging/macos/foxchat.icns``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "foxchat" / "resources" / "icons"
SVG_PATH = ICON_DIR / "foxchat.svg"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_PATH = ROOT / "packaging" / "windows" / "foxchat.ico"
ICNS_PATH = ROOT / "packaging" / "macos" / "foxchat.icns"


def png_path(size: int) -> Path:
    """Where the PNG of one size lives."""
    return ICON_DIR / f"foxchat-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon at ``size`` x ``size`` pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def write(image: QImage, path: Path, fmt: str) -> None:
    """Save ``image``; stop with a clear message when Qt cannot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"make_icons: could not write {path}: {writer.errorString()}")


def main() -> int:
    """Write every icon file; returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(SVG_PATH))
    if not renderer.isValid():
        print(f"make_icons: {SVG_PATH} is not an SVG Qt can draw", file=sys.stderr)
        return 1
    for size in ICON_SIZES:
        write(render(renderer, size), png_path(size), "png")
        print(f"wrote {png_path(size).relative_to(ROOT)}")
    # Windows' .ico holds one image here; 256 px is what Explorer scales from.
    write(render(renderer, 256), ICO_PATH, "ico")
    print(f"wrote {ICO_PATH.relative_to(ROOT)}")
    # Qt's icns writer picks the icon type from the image size: 512 px is "ic09".
    write(render(renderer, 512), ICNS_PATH, "icns")
    print(f"wrote {ICNS_PATH.relative_to(ROOT)}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
