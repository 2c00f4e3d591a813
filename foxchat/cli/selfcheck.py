"""``foxchat --self-check``: prove an installation or bundle works, without a window or a key.

It imports every FoxChat module (a bundle that forgot one fails here, not in
front of a user), opens a throwaway database and searches it, renders a
Markdown sample into a ``QTextDocument``, scales an image and loads the PDF
reader (attachments), finds the icons, and says which
keyring would hold the API key. One line per check; exit 0 when all pass, 1
naming what failed. Nothing is sent over the network and the user's data dir
is only named, never opened.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import foxchat
from foxchat import __version__
from foxchat.i18n import _, ngettext

#: The word the store check saves and then looks for (long enough for trigram search).
SEARCH_WORD = "vulpine"
#: A sample with the parts replies use most: heading, list, code, table, emphasis.
MARKDOWN_SAMPLE = """# Self-check

Steps:
1. **bold** and *italic*
2. `inline code`

```python
print("fox")
```

| model | tokens |
|---|---|
| fox-1 | 42 |
"""
#: Words the rendered document must contain, proving each part came through.
RENDERED_WORDS = ("Self-check", "bold", "inline code", 'print("fox")', "fox-1")

Check = Callable[[], str]


def foxchat_module_names() -> Iterator[str]:
    """Every module and package under ``foxchat``, found without importing them."""
    yield "foxchat"
    for info in pkgutil.walk_packages(foxchat.__path__, "foxchat.", onerror=lambda _name: None):
        yield info.name


def check_imports() -> str:
    """Import every module; a bundle missing one fails here."""
    failed: list[str] = []
    names = sorted(set(foxchat_module_names()))
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any import-time error is what this check reports
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    if failed:
        raise RuntimeError(_("could not import {modules}").format(modules="; ".join(failed)))
    return ngettext("{count} module", "{count} modules", len(names)).format(count=len(names))


def check_store() -> str:
    """Create, write and search a database in a temporary folder."""
    from foxchat.store import Store

    with (
        tempfile.TemporaryDirectory(prefix="foxchat-selfcheck-") as tmp,
        Store.open(Path(tmp) / "x.sqlite3") as store,
    ):
        cid = store.create_conversation(title="Self-check")
        mid = store.add_message(cid, parent_id=None, role="user", content=f"a {SEARCH_WORD} hi")
        hits = store.search(SEARCH_WORD)
        if not any(hit.message_id == mid for hit in hits):
            raise RuntimeError(
                _("saved a message but searching for {word} missed it").format(
                    word=repr(SEARCH_WORD)
                )
            )
        return _("SQLite {version}, saved and found a message").format(
            version=sqlite3.sqlite_version
        )


def check_attachments() -> str:
    """Scale an image with Pillow and load pypdf: a bundle without them cannot attach files."""
    import pypdf

    from foxchat.attachments import image_from_pixels

    image = image_from_pixels("RGB", (64, 48), bytes(64 * 48 * 3), "check", max_side=32)
    if (image.width, image.height) != (32, 24):
        raise RuntimeError(
            _("an image was scaled to {width}x{height}, not 32x24").format(
                width=image.width, height=image.height
            )
        )
    return _("Pillow scaled an image, pypdf {version} is there").format(version=pypdf.__version__)


def ensure_qt_platform() -> None:
    """Use the offscreen platform where there is no display, so no window system is needed."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and not has_display:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


class QtCheck:
    """Starts Qt (or reuses a running QApplication) and keeps it for the later checks."""

    def __init__(self) -> None:
        self.app: object = None

    def __call__(self) -> str:
        import PySide6
        from PySide6.QtCore import qVersion
        from PySide6.QtWidgets import QApplication

        # A QApplication, not a QGuiApplication: the widget modules are loaded too.
        self.app = QApplication.instance() or QApplication([sys.argv[0] or "foxchat"])
        platform = QApplication.platformName()
        return _("PySide6 {pyside}, Qt {qt}, {platform} platform").format(
            pyside=PySide6.__version__, qt=qVersion(), platform=platform
        )


def check_render() -> str:
    """Render the Markdown sample into a QTextDocument and read it back."""
    from PySide6.QtGui import QTextDocument

    from foxchat.render import render_markdown

    document = QTextDocument()
    document.setHtml(render_markdown(MARKDOWN_SAMPLE))
    text = document.toPlainText()
    missing = [word for word in RENDERED_WORDS if word not in text]
    if missing:
        raise RuntimeError(_("the rendered sample lacks {words}").format(words=", ".join(missing)))
    return ngettext(
        "Markdown sample rendered ({count} character of text)",
        "Markdown sample rendered ({count} characters of text)",
        len(text),
    ).format(count=len(text))


def check_icons() -> str:
    """The app icon's files are where the window looks for them."""
    from foxchat.resources import ICON_SIZES, app_icon, icon_png

    missing = [str(size) for size in ICON_SIZES if not icon_png(size).is_file()]
    if missing:
        raise RuntimeError(
            _("icon PNGs missing for sizes {sizes}").format(sizes=", ".join(missing))
        )
    if app_icon().isNull():
        raise RuntimeError(_("the app icon could not be loaded"))
    return ngettext(
        "app icon at {count} size", "app icon at {count} sizes", len(ICON_SIZES)
    ).format(count=len(ICON_SIZES))


def check_keyring() -> str:
    """Which keyring would hold the key; no keyring is allowed (session-only keys)."""
    from foxchat.secrets import KeyStore

    name = KeyStore.backend_name()
    if KeyStore.backend_available():
        return _("{name} (keys are saved there)").format(name=name)
    return _("none usable ({name}): a key is kept for one session only").format(name=name)


def describe_paths() -> str:
    """Where the user's data would live; named only, nothing is created."""
    from foxchat import paths

    return _("data {data}, logs {logs}").format(data=paths.data_dir(), logs=paths.log_dir())


def checks() -> list[tuple[str, Check]]:
    """The checks in order; Qt starts before the ones that draw."""
    return [
        ("imports", check_imports),
        ("store", check_store),
        ("attachments", check_attachments),
        ("qt", QtCheck()),
        ("render", check_render),
        ("icons", check_icons),
        ("keyring", check_keyring),
        ("paths", describe_paths),
    ]


def _check_label(name: str) -> str:
    """A check's name as the report prints it, in the person's language."""
    labels = {
        "imports": _("imports"),
        "store": _("store"),
        "attachments": _("attachments"),
        "qt": _("qt"),
        "render": _("render"),
        "icons": _("icons"),
        "keyring": _("keyring"),
        "paths": _("paths"),
    }
    return labels.get(name, name)


def run_self_check(args: argparse.Namespace) -> int:
    """Run every check, print one line each, return 0 if all passed, else 1."""
    debug = bool(getattr(args, "debug", False))
    ensure_qt_platform()
    heading = (
        _("FoxChat {version} (bundle), Python {python}, {platform}")
        if getattr(sys, "frozen", False)
        else _("FoxChat {version}, Python {python}, {platform}")
    )
    print(heading.format(version=__version__, python=sys.version.split()[0], platform=sys.platform))
    failed: list[str] = []
    for name, check in checks():
        try:
            detail = check()
        except Exception as exc:  # each failure is reported, then the next check runs
            failed.append(name)
            print(
                _("FAIL {name}: {problem}").format(
                    name=_check_label(name), problem=f"{type(exc).__name__}: {exc}"
                )
            )
            if debug:
                traceback.print_exc()
        else:
            print(_("ok   {name}: {detail}").format(name=_check_label(name), detail=detail))
    if failed:
        names = ", ".join(_check_label(name) for name in failed)
        print(_("self-check failed: {names}").format(names=names))
        return 1
    print(_("self-check passed"))
    return 0
