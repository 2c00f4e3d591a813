"""The window's Export (``ConversationService.export_to``) never damages an existing file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from foxchat.paths import database_path
from foxchat.services.conversations import ConversationService
from foxchat.store import Store
from tests.full_disk import file_size_limit


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(database_path()) as opened:
        yield opened


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_export_on_a_full_disk_keeps_the_old_file_whole(
    store: Store, qapp: object, tmp_path: Path, fmt: str
) -> None:
    cid = store.create_conversation(title="long chat")
    store.add_message(cid, parent_id=None, role="user", content="words " * 20_000)
    target = tmp_path / f"chat.{fmt}"
    earlier = json.dumps({"an": "earlier export", "pad": "x" * 6000})
    target.write_text(earlier, encoding="utf-8")
    service = ConversationService(store)
    errors: list[str] = []
    service.error.connect(errors.append)
    # Room for the old file's size, not for the new export: as on a full disk.
    with file_size_limit(len(earlier) + 1):
        written = service.export_to(target, cid, fmt)
    assert not written
    assert errors and "free some disk space" in errors[0]
    assert target.read_text(encoding="utf-8") == earlier
    # No temporary file is left behind either.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["data", target.name])
    service.deleteLater()


def test_export_replaces_the_file_and_keeps_it_private(
    store: Store, qapp: object, tmp_path: Path
) -> None:
    cid = store.create_conversation(title="short chat")
    store.add_message(cid, parent_id=None, role="user", content="hello")
    target = tmp_path / "chat.json"
    target.write_text("old", encoding="utf-8")
    service = ConversationService(store)
    assert service.export_to(target, cid, "json")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [c["title"] for c in document["conversations"]] == ["short chat"]
    assert target.stat().st_mode & 0o777 == 0o600
    service.deleteLater()
