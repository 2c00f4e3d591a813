"""Presets as the user keeps them: built-ins, own presets on disk, export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foxchat.api.params import GenerationParams
from foxchat.presets import BUILTIN_PRESETS, Preset, PresetError, PresetStore
from tests.chinese import chinese


def terse() -> Preset:
    params = GenerationParams(temperature=0.3, max_tokens=200, stop=("END",))
    params = params.with_enabled("temperature", True).with_enabled("max_tokens", True)
    return Preset("Terse", params.with_enabled("stop", True), "Answer in one sentence.")


def test_builtins_come_first_and_only_switch_on_what_they_set(tmp_path: Path) -> None:
    store = PresetStore(tmp_path / "presets.json")
    assert [p.name for p in store.all()] == ["Precise", "Balanced", "Creative"]
    assert all(p.builtin and p.system_prompt is None for p in store.all())
    by_name = {p.name: p.params for p in BUILTIN_PRESETS}
    assert by_name["Precise"].request_fields() == {"stream": True, "temperature": 0.2}
    assert by_name["Balanced"].request_fields() == {"stream": True, "temperature": 0.7}
    assert by_name["Creative"].request_fields() == {
        "stream": True,
        "temperature": 1.2,
        "presence_penalty": 0.6,
    }
    assert not (tmp_path / "presets.json").exists()  # nothing written until the user saves


def test_default_path_is_in_the_config_dir(isolated_env: Path) -> None:
    store = PresetStore()
    store.save(terse())
    assert (isolated_env / "presets.json").is_file()


def test_saved_presets_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    PresetStore(path).save(terse())
    reopened = PresetStore(path)
    assert reopened.all()[-1] == terse()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [p["name"] for p in data["presets"]] == ["Terse"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_same_name_replaces_and_builtins_are_protected(tmp_path: Path) -> None:
    store = PresetStore(tmp_path / "presets.json")
    store.save(terse())
    warmer = Preset("terse ", GenerationParams().with_enabled("temperature", True))
    store.save(warmer)
    names = [p.name for p in store.all()]
    assert names == ["Precise", "Balanced", "Creative", "terse"]
    assert store.all()[-1].system_prompt is None
    with pytest.raises(PresetError, match="built-in"):
        store.save(Preset("precise", GenerationParams()))
    with pytest.raises(PresetError, match="cannot be deleted"):
        store.delete("Balanced")
    with pytest.raises(PresetError, match="name"):
        store.save(Preset("   ", GenerationParams()))
    assert len(PresetStore(tmp_path / "presets.json").all()) == 4


def test_delete_removes_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    store = PresetStore(path)
    store.save(terse())
    store.delete("TERSE")
    assert [p.name for p in PresetStore(path).all()] == ["Precise", "Balanced", "Creative"]
    with pytest.raises(PresetError, match="no preset"):
        store.delete("Terse")


def test_export_import_round_trip_renames_clashes(tmp_path: Path) -> None:
    source = PresetStore(tmp_path / "a.json")
    source.save(terse())
    warm = Preset("Warm", BUILTIN_PRESETS[2].params.with_values(temperature=1.0))
    source.save(warm)
    exported = source.export_json(["Terse", "Creative", "Warm"])
    target = PresetStore(tmp_path / "b.json")
    target.save(Preset("Terse", GenerationParams()))
    # The built-in Creative is already there as it is: it is not copied.
    assert target.import_json(exported) == 2
    presets = {p.name: p for p in target.all()}
    assert list(presets) == ["Precise", "Balanced", "Creative", "Terse", "Terse (2)", "Warm"]
    assert presets["Terse (2)"].params == terse().params
    assert presets["Terse (2)"].system_prompt == "Answer in one sentence."
    assert presets["Warm"] == warm
    assert presets["Terse"].params == GenerationParams()  # the user's own is untouched
    # Importing the same file again adds nothing: every entry is already there.
    assert target.import_json(exported) == 0
    assert len(PresetStore(tmp_path / "b.json").all()) == 6


def test_importing_ones_own_export_adds_nothing(tmp_path: Path) -> None:
    store = PresetStore(tmp_path / "presets.json")
    store.save(terse())
    assert store.import_json(store.export_json(["Terse"])) == 0
    assert len(store.all()) == 4


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not json at all", "not valid JSON"),
        ('["a list"]', "not a FoxChat presets file"),
        ('{"presets": []}', "no version"),
        ('{"version": 9, "presets": []}', "newer FoxChat"),
        ('{"version": 1, "presets": [{"params": {"values": {}}}]}', "Preset 1 cannot"),
        (
            '{"version": 1, "presets": [{"name": "Ok", "params": {"values": {}}},'
            ' {"name": "Hot", "params": {"values": {"temperature": 7}}}]}',
            "Preset 2 (“Hot”) cannot be imported: temperature must be 0 to 2",
        ),
        (
            '{"version": 1, "presets": [{"name": "X", "params": {"values": {}},'
            ' "system_prompt": 3}]}',
            "system prompt is not text",
        ),
        (
            '{"version": 1, "presets": [{"name": "X", "params": {"values": {},'
            ' "enabled": ["warp"]}}]}',
            "does not know",
        ),
    ],
)
def test_a_bad_file_imports_nothing(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "presets.json"
    store = PresetStore(path)
    store.save(terse())
    before = path.read_bytes()
    with pytest.raises(PresetError) as caught:
        store.import_json(text)
    assert says in caught.value.user_message
    assert len(store.all()) == 4
    assert path.read_bytes() == before


def test_a_broken_file_is_moved_aside_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    path.write_text('{"version": 1, "presets": [', encoding="utf-8")
    store = PresetStore(path)
    assert len(store.all()) == 3
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("presets.json.broken-")]
    assert len(moved) == 1
    assert moved[0].read_text(encoding="utf-8") == '{"version": 1, "presets": ['
    store.save(terse())
    assert PresetStore(path).all()[-1] == terse()


def test_one_bad_entry_on_disk_costs_only_that_entry(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    good = json.loads(PresetStore(tmp_path / "x.json").export_json(["Precise"]))["presets"][0]
    good["name"] = "Mine"
    bad = {"name": "Broken", "params": "nope"}
    path.write_text(json.dumps({"version": 1, "presets": [bad, good]}), encoding="utf-8")
    assert [p.name for p in PresetStore(path).all()][-1] == "Mine"
    assert path.exists()


def test_a_failed_write_says_so_and_keeps_the_old_list(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")  # the config "folder" is a file: writes fail
    store = PresetStore(blocker / "presets.json")
    with pytest.raises(PresetError, match="could not save your presets"):
        store.save(terse())
    assert len(store.all()) == 3


def test_a_bad_import_is_explained_in_chinese(tmp_path: Path) -> None:
    store = PresetStore(tmp_path / "presets.json")
    with chinese(), pytest.raises(PresetError) as caught:
        store.import_json('{"version": 1, "presets": [{"params": {"values": {}}}]}')
    assert caught.value.user_message == "第 1 个预设无法导入：它没有名称。没有导入任何内容。"
