"""The attachment options in Settings: image size and the long-document limit."""

from __future__ import annotations

from tests.ui.test_settings_dialog import Opened, opened, original

__all__ = ["opened", "original"]  # the fixtures, imported for pytest


def test_image_size_and_document_limit_come_out_as_set(opened: Opened) -> None:
    dialog = opened.dialog
    assert dialog.image_size_spin.value() == 2048
    assert dialog.document_limit_spin.value() == 100_000
    dialog.image_size_spin.setValue(1024)
    dialog.document_limit_spin.setValue(20_000)
    dialog.buttons.accepted.emit()
    saved = opened.saved()
    assert (saved.image_max_side, saved.document_char_limit) == (1024, 20_000)
    assert dialog.image_size_spin.accessibleName() == "Longest side of attached images in pixels"
