"""Small user files are written whole or not at all, and unreadable ones kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from foxchat.jsonfile import move_aside, write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "settings.json"
    write_atomically(target, '{"version": 1}\n')

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, '{"version": 2}\n')
    assert target.read_text(encoding="utf-8") == '{"version": 1}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_an_unreadable_file_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    broken = tmp_path / "presets.json"
    broken.write_bytes(b"\xff\xfe not json")
    moved = move_aside(broken)
    assert moved is not None and moved.name.startswith("presets.json.broken-")
    assert moved.read_bytes() == b"\xff\xfe not json"
    assert not broken.exists()
    assert move_aside(tmp_path / "missing.json") is None
