"""The main window's first size: its default, shrunk to fit a small screen."""

from __future__ import annotations

from PySide6.QtCore import QSize

from foxchat.ui.window_size import DEFAULT, first_size
from tests.asyncqt import run
from tests.ui.harness import Harness, harness

__all__ = ["harness"]  # the fixture, imported for pytest


def test_a_large_screen_gets_the_default_size() -> None:
    assert first_size(QSize(1920, 1080)) == DEFAULT


def test_a_small_screen_gets_a_window_that_fits_with_room_for_its_frame() -> None:
    size = first_size(QSize(800, 600))
    assert size.width() < 800 and size.height() < 600
    assert size.width() >= 640 and size.height() >= 480  # the window's minimum


def test_an_unknown_screen_gets_the_default_size() -> None:
    assert first_size(QSize()) == DEFAULT


def test_the_main_window_starts_inside_the_screen(harness: Harness) -> None:
    # The offscreen test screen is 800x600: the default 1180x760 ran off it.
    async def scenario() -> None:
        window = harness.start().window
        available = window.screen().availableGeometry().size()
        assert window.width() < available.width() and window.height() < available.height()

    run(harness.loop, scenario())
