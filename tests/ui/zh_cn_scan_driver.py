"""Starts the real app in Chinese and reports every English word a person could read.

Usage: ``python tests/ui/zh_cn_scan_driver.py CONVERSATION_ID`` with
``LANG=zh_CN.UTF-8``, ``FOXCHAT_DATA_DIR`` (seeded by the test with a chat
that has a reply), ``FOXCHAT_BASE_URL`` (the test's fake server, scripted to
refuse the next message) and the key in a keyring (``tests.slow_keyring``).

The language is chosen the way ``foxchat`` chooses it at start (settings,
then the system), before the app's modules are imported. The app is built by
its composition root; the chat is opened and a message sent, which the server
refuses, so the chat shows a reply and an error. Then it walks every visible
widget of the main window (with the parameters sidebar open), the welcome
dialog and each tab of the Settings dialog, and prints one JSON object per
line for each text with English words left after the allow-list:
``{"screen", "class", "object", "inside", "what", "text"}`` (``inside``: the
nearest enclosing FoxChat widget, which names the file to look in), then
``scan-done``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import re
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from foxchat import i18n
from foxchat.paths import settings_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from foxchat.app import FoxChatApp

#: Said to the fake server's refusal; the scan must see the chat's error.
ASKED = "请用三句话总结本周新闻。"

#: Names and terms that stay in Latin letters in the Chinese interface (glossary).
ALLOWED = frozenset(
    {
        "FoxChat",
        "API",
        "JSON",
        "Schema",
        "URL",
        "Markdown",
        "PDF",
        "HTML",
        "LaTeX",
        "curl",
        "token",
        "tokens",
        "Top",  # "Top P", kept as is by the glossary
        "Python",
        "VPN",
        "SQLite",
        "OpenAI",
        "ChatGPT",
        "Ctrl",
        "Shift",
        "Alt",
        "Esc",
        "Enter",
        "Return",
        "Tab",
        "debug",  # the --debug switch
        "Base",  # "接口地址（Base URL）": the name the providers' pages use
        "FoxAPI",  # the default provider's name
        "Windows",
        "English",  # the Language setting names each language in its own words
        "GPT",  # model family names (api/model_rules), proper names
        "DeepSeek",
        "Anthropic",
        "Claude",
        "macOS",
    }
)

#: Key names only count as allowed inside a shortcut in brackets: "删除（Delete）".
_SHORTCUT = re.compile(
    r"[（(]\s*(?:(?:Ctrl|Shift|Alt|Meta)\+)*(?:[A-Z][a-z]+|F\d{1,2}|[-+,0-9])\s*[）)]"
)
_URL = re.compile(r"\b(?:https?|socks5h?)://\S*")
#: Environment variables are names a person types as they are: HTTPS_PROXY.
_ENV_VAR = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
_FILE_PATTERN = re.compile(r"\*\.\w+")
_KEY = re.compile(r"\bsk-[\w-]*")
_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str, model_ids: frozenset[str]) -> list[str]:
    """The words in ``text`` a Chinese reader should not meet (model ids and names aside)."""
    for pattern in (_URL, _ENV_VAR, _FILE_PATTERN, _KEY, _SHORTCUT):
        text = pattern.sub(" ", text)
    for model in sorted(model_ids, key=len, reverse=True):
        text = text.replace(model, " ")
    return [word for word in _WORD.findall(text) if word not in ALLOWED]


def _plain(text: str) -> str:
    """Rich text as the words it shows."""
    if "<" not in text:
        return text
    from PySide6.QtGui import QTextDocumentFragment

    return QTextDocumentFragment.fromHtml(text).toPlainText()


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(what, text) for every text of ``widget`` a person can read or hear."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QMenu,
        QMenuBar,
        QPlainTextEdit,
        QTabBar,
        QTextEdit,
    )

    if widget.isWindow():
        yield "window title", widget.windowTitle()
    yield "tooltip", widget.toolTip()
    yield "accessible name", widget.accessibleName()
    yield "accessible description", widget.accessibleDescription()
    if isinstance(widget, QLabel):
        yield "text", _plain(widget.text())
    elif isinstance(widget, QAbstractButton):
        yield "text", widget.text()
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        yield "placeholder", widget.placeholderText()
    elif isinstance(widget, QGroupBox):
        yield "title", widget.title()
    elif isinstance(widget, QAbstractSpinBox):
        yield "special value", widget.specialValueText()
        yield "suffix", getattr(widget, "suffix", lambda: "")()
    if isinstance(widget, QComboBox):
        for row in range(widget.count()):
            yield "item", widget.itemText(row)
    elif isinstance(widget, QTabBar):
        for tab in range(widget.count()):
            yield "tab", widget.tabText(tab)
            yield "tab tooltip", widget.tabToolTip(tab)
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for row in range(min(model.rowCount(), 200)):
            index = model.index(row, 0)
            for what, role in (
                ("row", Qt.ItemDataRole.DisplayRole),
                ("row tooltip", Qt.ItemDataRole.ToolTipRole),
                ("row accessible text", Qt.ItemDataRole.AccessibleTextRole),
            ):
                value = index.data(role)
                if isinstance(value, str):
                    yield what, value
    if isinstance(widget, QMenuBar | QMenu):
        for action in widget.actions():
            yield "menu item", action.text().replace("&", "")
            yield "menu tooltip", action.toolTip() if action.toolTip() != action.text() else ""
            menu = action.menu()
            if isinstance(menu, QMenu):
                yield from (("submenu " + what, text) for what, text in texts_of(menu))


def scan(screen: str, top: QWidget, model_ids: frozenset[str]) -> list[dict[str, str]]:
    """Every English text in the visible widgets of ``top``."""
    from PySide6.QtWidgets import QWidget

    found: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible() and not widget.isWindow():
            continue
        for what, text in texts_of(widget):
            if not text or not english_words(text, model_ids):
                continue
            key = (type(widget).__name__, widget.objectName(), text)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                {
                    "screen": screen,
                    "class": type(widget).__name__,
                    "object": widget.objectName(),
                    "inside": _owner(widget),
                    "what": what,
                    "text": text,
                }
            )
    return found


def _owner(widget: QWidget) -> str:
    """The widget or its nearest enclosing widget of a FoxChat class (the file to look in)."""
    parent: QWidget | None = widget
    while parent is not None:
        if type(parent).__module__.startswith("foxchat."):
            return f"{type(parent).__module__}.{type(parent).__name__}"
        parent = parent.parentWidget()
    return ""


async def _settle(seconds: float = 0.4) -> None:
    await asyncio.sleep(seconds)


async def walk(app: FoxChatApp, conversation_id: int) -> list[dict[str, str]]:
    """Open each screen the issue names and scan it."""
    from foxchat.ui.compare.setup_dialog import CompareSetupDialog
    from foxchat.ui.settings_dialog import SettingsDialog
    from foxchat.ui.welcome_dialog import WelcomeDialog

    window = app.window
    window.resize(1280, 800)
    await _settle(1.0)  # the key is read and the model list fetched
    window.open_conversation(conversation_id)
    window.send(ASKED)
    deadline = time.monotonic() + 15
    await _settle()
    while app.chat.is_streaming(conversation_id) and time.monotonic() < deadline:
        await _settle(0.1)
    if not window.sidebar.isVisible():
        window.sidebar_action.trigger()
    await _settle(1.0)  # the sidebar builds its panel in steps
    models = MODEL_IDS | {window.sidebar.model()}
    found = scan("main window", window, models)

    setup = CompareSetupDialog(window.sidebar.model(), window.sidebar.params(), sorted(models))
    setup.open()
    await _settle()
    found += scan("compare set-up", setup, models)
    setup.reject()
    setup.deleteLater()

    window.new_conversation()
    await _settle()
    found += scan("new chat", window, models)

    welcome = WelcomeDialog(app.prefs.base_url(), parent=window)
    welcome.open()
    await _settle()
    found += scan("welcome", welcome, models)
    welcome.reject()
    welcome.deleteLater()

    app.open_settings()
    await _settle()
    settings = window.findChildren(SettingsDialog)[-1]
    for tab in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(tab)
        await _settle(0.2)
        found += scan(f"settings tab {tab}", settings, models)
    settings.reject()
    await _settle(0.2)
    return found


#: The server's model ids (the second argument, comma-separated): names, not words.
MODEL_IDS = frozenset(sys.argv[2].split(",")) if len(sys.argv) > 2 else frozenset()


async def run(conversation_id: int) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from foxchat.app import FoxChatApp
    from foxchat.settings import load_settings
    from foxchat.store import Store

    qt_app = QApplication.instance()
    assert isinstance(qt_app, QApplication)
    store = Store.open()
    try:
        app = FoxChatApp(qt_app, store, load_settings())
        app.start()
        for item in await walk(app, conversation_id):
            print(json.dumps(item, ensure_ascii=False), flush=True)
        await app.shutdown()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        del app
        gc.collect()
    finally:
        store.close()


def main() -> int:
    # As ``foxchat`` does, before any module whose words are translated is imported.
    i18n.install(i18n.choose(i18n.language_setting(settings_path())))
    import qasync
    from PySide6.QtWidgets import QApplication

    from foxchat.ui.translations import install_qt_translations

    qt_app = QApplication(sys.argv[:1])
    translator = install_qt_translations(qt_app, i18n.current())
    qasync.run(run(int(sys.argv[1])))
    print(f"scan-done language={i18n.current()}", flush=True)
    del translator, qt_app
    return 0


if __name__ == "__main__":
    sys.exit(main())
