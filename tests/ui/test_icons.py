"""The action icons: shipped with their licence, drawn crisp, in the palette's colours."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from foxchat.ui.icons import ICON_FILES, LUCIDE_DIR, icon, icon_button
from foxchat.ui.theme import dark_palette, light_palette


@pytest.fixture
def restore_palette(qapp: QApplication) -> Iterator[None]:
    palette = qapp.palette()
    yield
    qapp.setPalette(palette)


def _opaque_colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }


def test_every_icon_and_the_licence_ship_inside_the_package() -> None:
    for name, file_name in ICON_FILES.items():
        assert (LUCIDE_DIR / f"{file_name}.svg").is_file(), name
    licence = (LUCIDE_DIR / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("ISC License")
    assert "Lucide" in licence


@pytest.mark.parametrize("name", sorted(ICON_FILES))
def test_each_icon_is_drawn_in_the_colour_asked_for(name: str, qapp: QApplication) -> None:
    image = icon(name, QColor("#c02040")).pixmap(24, 24).toImage()
    assert image.size() == QSize(24, 24)
    colours = _opaque_colours(image)
    assert colours == {"#c02040"}, f"{name}: an empty or miscoloured drawing: {colours}"


def test_the_icon_follows_the_theme_without_being_set_again(
    qapp: QApplication, restore_palette: None
) -> None:
    copy = icon("copy")
    qapp.setPalette(light_palette())
    light = _opaque_colours(copy.pixmap(24, 24).toImage())
    qapp.setPalette(dark_palette())
    dark = _opaque_colours(copy.pixmap(24, 24).toImage())
    assert light == {light_palette().color(QPalette.ColorRole.ButtonText).name()}
    assert dark == {dark_palette().color(QPalette.ColorRole.ButtonText).name()}


def test_a_disabled_button_greys_its_icon(qapp: QApplication, restore_palette: None) -> None:
    qapp.setPalette(dark_palette())
    image = icon("send").pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    disabled = dark_palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    assert _opaque_colours(image) == {disabled.name()}


def test_a_hidpi_screen_gets_a_drawing_at_its_own_resolution(qapp: QApplication) -> None:
    pixmap = icon("search", QColor("black")).pixmap(QSize(16, 16), 2.0)
    assert pixmap.size() == QSize(32, 32)
    assert pixmap.devicePixelRatio() == 2.0
    # Drawn at 32 device pixels, not a 16-pixel drawing blown up: the same
    # pixels as the icon asked for at 32.
    at_32 = icon("search", QColor("black")).pixmap(QSize(32, 32), 1.0).toImage()
    assert pixmap.toImage().convertToFormat(at_32.format()) == at_32


def test_the_same_icon_is_built_once(qapp: QApplication) -> None:
    assert icon("pin").cacheKey() == icon("pin").cacheKey()
    assert icon("pin", QColor("red")).cacheKey() != icon("pin").cacheKey()


def test_an_unknown_name_says_which_names_exist(qapp: QApplication) -> None:
    with pytest.raises(KeyError, match="copy"):
        icon("no-such-icon")


def test_an_icon_button_carries_its_tooltip_and_accessible_name(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    button = icon_button("settings", "Open the settings (Ctrl+,)", "Settings", parent)
    assert button.toolTip() == "Open the settings (Ctrl+,)"
    assert button.accessibleName() == "Settings"
    assert not button.icon().isNull()
    assert button.text() == ""
