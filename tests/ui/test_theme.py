"""Both themes meet WCAG 2.2 AA: every colour pair measured, and the switches drawn."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from foxchat.ui.theme import (
    apply_theme,
    contrast_checks,
    contrast_ratio,
    dark_palette,
    light_palette,
    sheet_colours,
    style_sheet,
)

THEMES = {"light": (light_palette, False), "dark": (dark_palette, True)}


@pytest.fixture
def restore_theme(qapp: QApplication) -> Iterator[None]:
    style, palette = qapp.style().name(), qapp.palette()
    font, sheet = qapp.font(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_the_ratio_is_wcags() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    # The dark theme's unchecked switch before: fill 23,24,26 on window 31,33,36.
    assert contrast_ratio(QColor(23, 24, 26), QColor(31, 33, 36)) < 1.11
    half_black = QColor(0, 0, 0, 128)
    assert contrast_ratio(half_black, QColor("#ffffff")) < 4.5  # blended before measuring


@pytest.mark.parametrize("name", THEMES)
def test_every_colour_pair_meets_wcag_aa(name: str, qapp: QApplication) -> None:
    make, dark = THEMES[name]
    failures = [
        f"{check.what}: {check.foreground.name()} on {check.background.name()} "
        f"is {check.ratio:.2f}:1, needs {check.minimum}:1"
        for check in contrast_checks(make(), dark)
        if check.ratio < check.minimum
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", THEMES)
def test_the_style_sheet_uses_only_measured_colours(name: str, qapp: QApplication) -> None:
    make, dark = THEMES[name]
    palette = make()
    sheet = style_sheet(palette, dark)
    known = {colour.name() for colour in sheet_colours(palette, dark).values()}
    used = {m.lower() for m in re.findall(r"#[0-9a-fA-F]{6}\b", sheet)}
    assert used and used <= known
    measured = {c.foreground.name() for c in contrast_checks(palette, dark)}
    for colour in re.findall(r"[^-]color:\s*(#[0-9a-fA-F]{6})", sheet):
        assert colour.lower() in measured, colour


def edge_contrast(widget: QWidget, box: QCheckBox | QLineEdit, background: QColor) -> float:
    """The best contrast of any pixel on the control's edge with ``background``."""
    if isinstance(box, QCheckBox):
        option = QStyleOptionButton()
        box.initStyleOption(option)
        rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    else:
        rect = box.rect()
    rect.translate(box.mapTo(widget, QPoint(0, 0)))
    image = widget.grab().toImage()
    ratio = widget.devicePixelRatioF()
    row = int((rect.top() + rect.height() // 2) * ratio)
    best = 0.0
    for x in range(int(rect.left() * ratio) - 1, int((rect.left() + 4) * ratio)):
        best = max(best, contrast_ratio(image.pixelColor(x, row), background))
    return best


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.usefixtures("restore_theme")
def test_unchecked_switches_and_fields_show_their_edges(
    name: str, qapp: QApplication, qtbot: QtBot
) -> None:
    apply_theme(qapp, name, 10)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    switch = QCheckBox("Temperature")
    field = QLineEdit("0.7")
    layout.addWidget(switch)
    layout.addWidget(field)
    window.show()
    qtbot.waitExposed(window)
    background = window.palette().color(QPalette.ColorRole.Window)
    assert edge_contrast(window, switch, background) >= 3.0
    assert edge_contrast(window, field, background) >= 3.0


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.usefixtures("restore_theme")
def test_a_scroll_bar_handle_stands_out_and_is_drawn_flat(
    name: str, qapp: QApplication, qtbot: QtBot
) -> None:
    """Flat, from the style sheet: Fusion's gradients cost ~1 ms a paint, every streamed frame."""
    apply_theme(qapp, name, 10)
    bar = QScrollBar(Qt.Orientation.Vertical)
    qtbot.addWidget(bar)
    bar.resize(14, 400)
    bar.setRange(0, 1000)
    bar.setPageStep(100)
    bar.show()
    qtbot.waitExposed(bar)
    image = bar.grab().toImage()
    window = bar.palette().color(QPalette.ColorRole.Window)
    handle = image.pixelColor(image.width() // 2, 20)
    assert handle == sheet_colours(qapp.palette(), name == "dark")["boundary"]
    assert contrast_ratio(handle, window) >= 3.0
    assert image.pixelColor(image.width() // 2, image.height() - 20) == window  # no gradient
