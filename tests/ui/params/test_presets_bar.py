"""The "Preset" row on its own: managing presets through its menu, with real files.

File pickers are the bar's injected ``AskPath`` functions, answered here by a
:class:`Picker`; the name prompt and yes/no questions are answered by replacing
their static methods, as a user's click would.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from foxchat.api.params import GenerationParams
from foxchat.presets import Preset, PresetStore
from foxchat.ui.params.json_editor import error_color
from foxchat.ui.params.presets_bar import FILE_FILTER, PresetsBar
from foxchat.ui.params.save_preset_dialog import SavePresetDialog
from tests.full_disk import file_size_limit

HOT = GenerationParams(temperature=1.5).with_enabled("temperature", True)


@pytest.fixture
def store(tmp_path: Path) -> PresetStore:
    return PresetStore(tmp_path / "presets.json")


class Picker:
    """A file picker the user answers with ``answer`` (None: cancelled); records each ask."""

    def __init__(self) -> None:
        self.answer: Path | None = None
        self.asked: list[tuple[str, Path, str]] = []

    def __call__(self, parent: QWidget, title: str, start: Path, file_filter: str) -> Path | None:
        self.asked.append((title, start, file_filter))
        return self.answer


@pytest.fixture
def save_picker() -> Picker:
    return Picker()


@pytest.fixture
def open_picker() -> Picker:
    return Picker()


@pytest.fixture
def bar(
    qtbot: QtBot, store: PresetStore, save_picker: Picker, open_picker: Picker
) -> Iterator[PresetsBar]:
    widget = PresetsBar(store, ask_save_path=save_picker, ask_open_path=open_picker)
    qtbot.addWidget(widget)
    widget.resize(280, 80)
    widget.show()
    yield widget
    widget.close()


def answer(monkeypatch: pytest.MonkeyPatch, owner: type, method: str, value: object) -> list[Any]:
    """Make a static dialog method return ``value``; the list records each call's arguments."""
    calls: list[Any] = []

    def fake(*args: Any, **kwargs: Any) -> object:
        calls.append((args, kwargs))
        return value

    monkeypatch.setattr(owner, method, staticmethod(fake))
    return calls


def names(bar: PresetsBar) -> list[str]:
    combo = bar.combo
    return [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]


def choose(bar: PresetsBar, name: str) -> None:
    index = bar.combo.findData(name)
    assert index >= 0, name
    bar.combo.setCurrentIndex(index)
    bar.combo.activated.emit(index)


def test_choosing_a_preset_asks_to_apply_exactly_it(bar: PresetsBar) -> None:
    chosen: list[object] = []
    bar.apply_requested.connect(chosen.append)
    assert names(bar) == ["Precise", "Balanced", "Creative"]
    assert bar.combo.currentIndex() == -1
    assert bar.combo.placeholderText() == "Custom settings"
    choose(bar, "Creative")
    assert len(chosen) == 1
    preset = chosen[0]
    assert isinstance(preset, Preset) and preset.name == "Creative"


def test_the_combo_follows_the_chat(bar: PresetsBar, store: PresetStore) -> None:
    balanced = store.find("Balanced")
    assert balanced is not None
    bar.show_current(balanced.params, "anything")
    assert bar.combo.currentData() == "Balanced"
    bar.show_current(HOT, "")
    assert bar.combo.currentIndex() == -1  # "Custom settings"


def test_save_current_with_prompt(
    bar: PresetsBar, store: PresetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    bar.show_current(HOT, "Write like a poet.")
    asked = answer(monkeypatch, SavePresetDialog, "get_details", ("Poet", True))
    bar.save_action.trigger()
    assert asked[0][1]["has_prompt"] is True
    assert names(bar)[-1] == "Poet"
    assert bar.combo.currentData() == "Poet"
    assert "Saved “Poet”" in bar.message.text() and bar.message.isVisibleTo(bar)
    reopened = PresetStore(store.path).find("Poet")
    assert reopened == Preset("Poet", HOT, "Write like a poet.")


def test_save_without_prompt_and_cancel(
    bar: PresetsBar, store: PresetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    bar.show_current(HOT, "Write like a poet.")
    answer(monkeypatch, SavePresetDialog, "get_details", ("Hot", False))
    bar.save_action.trigger()
    assert store.find("Hot") == Preset("Hot", HOT, None)
    answer(monkeypatch, SavePresetDialog, "get_details", None)
    bar.save_action.trigger()
    assert len(store.all()) == 4


def test_saving_over_a_name_asks_first(
    bar: PresetsBar, store: PresetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(Preset("Mine", GenerationParams()))
    bar.show_current(HOT, "")
    answer(monkeypatch, SavePresetDialog, "get_details", ("mine", False))
    question = answer(monkeypatch, QMessageBox, "question", QMessageBox.StandardButton.No)
    bar.save_action.trigger()
    assert len(question) == 1 and "“Mine” already exists" in question[0][0][2]
    found = store.find("Mine")
    assert found is not None and found.params == GenerationParams()
    answer(monkeypatch, QMessageBox, "question", QMessageBox.StandardButton.Yes)
    bar.save_action.trigger()
    found = store.find("Mine")
    assert found is not None and found.params == HOT
    assert len(store.all()) == 4


def test_a_builtin_name_is_refused_in_plain_words(
    bar: PresetsBar, store: PresetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer(monkeypatch, SavePresetDialog, "get_details", ("Precise", False))
    bar.save_action.trigger()
    assert "built-in preset" in bar.message.text()
    assert bar.message.palette().color(bar.message.foregroundRole()) == error_color(bar.palette())
    assert len(store.all()) == 3


def test_delete_the_shown_preset(
    bar: PresetsBar, store: PresetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(Preset("Mine", HOT))
    bar.show_current(GenerationParams(), "")
    bar.menu.aboutToShow.emit()
    assert not bar.delete_action.isEnabled()  # nothing of the user's is shown
    bar.show_current(HOT, "")
    assert bar.combo.currentData() == "Mine"
    bar.menu.aboutToShow.emit()
    assert bar.delete_action.isEnabled() and "Mine" in bar.delete_action.text()
    answer(monkeypatch, QMessageBox, "question", QMessageBox.StandardButton.No)
    bar.delete_action.trigger()
    assert store.find("Mine") is not None
    answer(monkeypatch, QMessageBox, "question", QMessageBox.StandardButton.Yes)
    bar.delete_action.trigger()
    assert store.find("Mine") is None
    assert PresetStore(store.path).find("Mine") is None
    assert names(bar) == ["Precise", "Balanced", "Creative"]
    assert bar.combo.currentIndex() == -1
    assert bar.message.text() == "Deleted “Mine”."


def test_builtins_cannot_be_deleted(bar: PresetsBar) -> None:
    choose(bar, "Precise")
    bar.menu.aboutToShow.emit()
    assert not bar.delete_action.isEnabled()
    bar.delete_shown()
    assert "built-in ones stay" in bar.message.text()
    assert names(bar) == ["Precise", "Balanced", "Creative"]


def test_export_then_import_elsewhere(
    qtbot: QtBot,
    bar: PresetsBar,
    store: PresetStore,
    tmp_path: Path,
    save_picker: Picker,
    open_picker: Picker,
) -> None:
    store.save(Preset("Hot", HOT, "Be bold."))
    store.save(Preset("Plain", GenerationParams()))
    target = tmp_path / "shared" / "my-presets.json"
    target.parent.mkdir()
    save_picker.answer = target
    bar.export_action.trigger()
    assert save_picker.asked == [
        ("Export presets", Path.home() / "foxchat-presets.json", FILE_FILTER)
    ]
    assert bar.message.text() == "Exported 2 presets to my-presets.json."
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert [p["name"] for p in exported["presets"]] == ["Hot", "Plain"]

    other_store = PresetStore(tmp_path / "other.json")
    other_store.save(Preset("Hot", GenerationParams()))
    other = PresetsBar(other_store, ask_open_path=open_picker)
    qtbot.addWidget(other)
    open_picker.answer = target
    other.import_action.trigger()
    assert other.message.text() == "Imported 2 presets. Choose one here to apply it."
    assert names(other) == ["Precise", "Balanced", "Creative", "Hot", "Hot (2)", "Plain"]
    assert other_store.find("Hot (2)") == Preset("Hot (2)", HOT, "Be bold.")
    other.import_action.trigger()
    assert other.message.text() == "Every preset in that file is already in your list."


def test_export_with_nothing_saved_says_so(bar: PresetsBar, save_picker: Picker) -> None:
    bar.export_presets()
    assert save_picker.asked == []
    assert "nothing to export" in bar.message.text()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe not text", "not a FoxChat presets file"),
        (b'{"version": 1, "presets": [{"name": "A", "params": {"values": {"n": 99}}}]}', "n must"),
        (b"[1, 2", "not valid JSON"),
    ],
)
def test_a_bad_import_file_adds_nothing_and_explains(
    bar: PresetsBar,
    store: PresetStore,
    tmp_path: Path,
    open_picker: Picker,
    content: bytes,
    says: str,
) -> None:
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    open_picker.answer = source
    bar.import_presets()
    assert says in bar.message.text()
    assert names(bar) == ["Precise", "Balanced", "Creative"]
    assert not store.path.exists()


def test_cancelled_pickers_do_nothing(
    bar: PresetsBar, store: PresetStore, open_picker: Picker, save_picker: Picker
) -> None:
    bar.import_presets()
    assert open_picker.asked == [("Import presets", Path.home(), FILE_FILTER)]
    assert not bar.message.isVisibleTo(bar)
    store.save(Preset("Mine", HOT))
    bar.export_presets()
    assert len(save_picker.asked) == 1
    assert not bar.message.isVisibleTo(bar)


def test_missing_import_file_is_explained(
    bar: PresetsBar, tmp_path: Path, open_picker: Picker
) -> None:
    open_picker.answer = tmp_path / "gone.json"
    bar.import_presets()
    assert "could not read gone.json" in bar.message.text()


def save_button(dialog: SavePresetDialog) -> Callable[[], bool]:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    return button.isEnabled


def test_save_dialog_needs_a_name_and_a_prompt_to_include(qtbot: QtBot) -> None:
    dialog = SavePresetDialog(suggested_name="", has_prompt=False)
    qtbot.addWidget(dialog)
    assert not save_button(dialog)()
    assert not dialog.include_prompt.isEnabled() and not dialog.include_prompt.isChecked()
    QTest.keyClicks(dialog.name_edit, "  Short answers ")
    assert save_button(dialog)()
    assert dialog.name() == "Short answers"
    with_prompt = SavePresetDialog(suggested_name="Mine", has_prompt=True)
    qtbot.addWidget(with_prompt)
    assert with_prompt.include_prompt.isChecked() and save_button(with_prompt)()


def test_export_on_a_full_disk_keeps_the_earlier_file(
    bar: PresetsBar, store: PresetStore, tmp_path: Path, save_picker: Picker
) -> None:
    store.save(Preset("Long", GenerationParams(), "Be thorough. " * 2000))
    target = tmp_path / "shared" / "my-presets.json"
    target.parent.mkdir()
    target.write_text('{"an": "earlier export"}', encoding="utf-8")
    save_picker.answer = target
    with file_size_limit(4096):
        bar.export_presets()
    assert "could not write" in bar.message.text()
    assert target.read_text(encoding="utf-8") == '{"an": "earlier export"}'
    assert [p.name for p in target.parent.iterdir()] == [target.name]
