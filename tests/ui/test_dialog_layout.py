"""Welcome and Settings as a person sees them: whole text, aligned fields, the app icon.

Measured in both themes, with the dialogs no larger than an 800x600 screen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from foxchat.settings import Settings
from foxchat.ui.settings_dialog import SettingsDialog
from foxchat.ui.theme import apply_theme
from foxchat.ui.welcome_dialog import WelcomeDialog
from tests.chinese import chinese

SCREEN = (800, 600)


@pytest.fixture(params=["light", "dark"])
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    style, palette = qapp.style().name(), qapp.palette()
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp, request.param, 10)
    yield str(request.param)
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def _shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog


def _clipped(page: QWidget) -> list[str]:
    """Visible one-line labels, buttons and table headings narrower than their text."""
    found: list[str] = []
    for label in page.findChildren(QLabel):
        visible = label.isVisible() and not label.wordWrap() and bool(label.text())
        if visible and label.width() < label.sizeHint().width():
            found.append(f"label {label.text()!r}: {label.width()} < {label.sizeHint().width()}")
    for button in page.findChildren(QAbstractButton):
        visible = button.isVisible() and bool(button.text())
        if visible and button.width() < button.minimumSizeHint().width():
            found.append(f"button {button.text()!r}")
    for header in page.findChildren(QHeaderView):
        if not header.isVisible():
            continue
        for section in range(header.count()):
            if header.sectionSize(section) < header.sectionSizeHint(section):
                heading = header.model().headerData(section, header.orientation())
                found.append(f"heading {heading!r}: {header.sectionSize(section)} px")
    return found


def test_settings_fit_a_small_screen_with_every_tab_whole(qtbot: QtBot, themed: str) -> None:
    dialog = _shown(qtbot, SettingsDialog(Settings(model_prices={"gpt-4o": (2.5, 10.0)})))
    assert isinstance(dialog, SettingsDialog)
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    assert not dialog.windowIcon().isNull()
    tabs = dialog.tabs
    problems = []
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        problems += [f"{tabs.tabText(index)}: {p}" for p in _clipped(tabs.currentWidget())]
    assert problems == []


def test_a_list_or_a_number_keeps_its_own_width(qtbot: QtBot, themed: str) -> None:
    dialog = _shown(qtbot, SettingsDialog(Settings()))
    assert isinstance(dialog, SettingsDialog)
    dialog.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    # A theme list as wide as the dialog reads as a text field.
    assert dialog.theme_combo.width() < dialog.width() / 2
    assert dialog.font_size_spin.width() < dialog.width() / 2


def test_the_welcome_is_whole_with_its_fields_in_one_column(qtbot: QtBot, themed: str) -> None:
    dialog = _shown(qtbot, WelcomeDialog())
    assert isinstance(dialog, WelcomeDialog)
    dialog.advanced_button.setChecked(True)
    QApplication.processEvents()
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    assert not dialog.windowIcon().isNull()
    logo = dialog.findChild(QLabel, "welcomeLogo")
    assert logo is not None and not logo.pixmap().isNull()
    key_x = dialog.key_edit.mapTo(dialog, QPoint(0, 0)).x()
    address_x = dialog.base_url_edit.mapTo(dialog, QPoint(0, 0)).x()
    assert key_x == address_x, "the key and address fields start in one column"
    assert _clipped(dialog) == []


def test_settings_in_chinese_fit_a_small_screen_with_every_tab_whole(
    qtbot: QtBot, themed: str
) -> None:
    with chinese():
        dialog = _shown(qtbot, SettingsDialog(Settings(model_prices={"gpt-4o": (2.5, 10.0)})))
    assert isinstance(dialog, SettingsDialog)
    assert dialog.tabs.tabText(0) == "账户"
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    problems = []
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        problems += [
            f"{dialog.tabs.tabText(index)}: {p}" for p in _clipped(dialog.tabs.currentWidget())
        ]
    assert problems == []


def test_the_welcome_in_chinese_is_whole(qtbot: QtBot, themed: str) -> None:
    with chinese():
        dialog = _shown(qtbot, WelcomeDialog())
    assert isinstance(dialog, WelcomeDialog)
    assert dialog.windowTitle() == "欢迎使用 FoxChat"
    dialog.advanced_button.setChecked(True)
    QApplication.processEvents()
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]
    assert _clipped(dialog) == []
