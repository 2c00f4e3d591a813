"""The real file pickers behind ``AskPath``: what they ask Qt and what they answer.

The system dialog is modal, so its static methods are replaced by what a
user's choice (or Cancel) returns; widget tests inject their own AskPath.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from foxchat.ui.file_picker import ask_open_path, ask_save_path

FILTER = "FoxChat presets (*.json);;All files (*)"


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget
    widget.close()


def replace_dialog(monkeypatch: pytest.MonkeyPatch, method: str, chosen: str) -> list[Any]:
    calls: list[Any] = []

    def fake(*args: Any) -> tuple[str, str]:
        calls.append(args)
        return chosen, FILTER if chosen else ""

    monkeypatch.setattr(QFileDialog, method, staticmethod(fake))
    return calls


def test_a_chosen_file_comes_back_as_a_path(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    saves = replace_dialog(monkeypatch, "getSaveFileName", str(target))
    assert ask_save_path(parent, "Export presets", tmp_path / "start.json", FILTER) == target
    assert saves == [(parent, "Export presets", str(tmp_path / "start.json"), FILTER)]
    opens = replace_dialog(monkeypatch, "getOpenFileName", str(target))
    assert ask_open_path(parent, "Import presets", tmp_path, FILTER) == target
    assert opens == [(parent, "Import presets", str(tmp_path), FILTER)]


def test_cancel_answers_none(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_dialog(monkeypatch, "getSaveFileName", "")
    replace_dialog(monkeypatch, "getOpenFileName", "")
    assert ask_save_path(parent, "Export presets", tmp_path, FILTER) is None
    assert ask_open_path(parent, "Import presets", tmp_path, FILTER) is None
