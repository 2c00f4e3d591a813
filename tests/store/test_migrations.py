"""Files from every earlier FoxChat open, are backed up first, and lose nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from foxchat.store import MessageStatus, Store, schema
from tests.store.old_versions import BUILDERS


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_every_earlier_version_has_a_builder() -> None:
    assert set(BUILDERS) == set(range(1, schema.CURRENT_VERSION))


@pytest.mark.parametrize("version", sorted(BUILDERS))
def test_old_file_is_backed_up_then_migrated_with_its_chats(db_path: Path, version: int) -> None:
    BUILDERS[version](db_path)
    with Store.open(db_path) as store:
        [summary] = store.list_conversations()
        path = store.active_path(summary.id)
        assert summary.title == "Old chat about volcanoes"
        assert [m.content for m in path] == [
            "Why do volcanoes erupt?",
            "Gas-rich magma rises and pressure",
        ]
        assert path[1].status is MessageStatus.INTERRUPTED  # was streaming when it closed
        assert store.siblings(path[1].id) == [2, 3]
        assert store.search("volcanoes")  # the new search index was filled
        assert store.search("magma")
    assert _version(db_path) == schema.CURRENT_VERSION
    [backup] = sorted(db_path.parent.glob(f"{db_path.name}.v{version}-backup-*"))
    assert _version(backup) == version
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_new_and_current_files_make_no_backup(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.create_conversation()
    with Store.open(db_path):
        pass
    assert _version(db_path) == schema.CURRENT_VERSION
    assert list(db_path.parent.glob("*backup*")) == []


def test_two_migrations_keep_two_backups(db_path: Path) -> None:
    BUILDERS[1](db_path)
    Store.open(db_path).close()
    BUILDERS[1](db_path.with_name("second.sqlite3"))
    Store.open(db_path.with_name("second.sqlite3")).close()
    assert len(list(db_path.parent.glob("*.v1-backup-*"))) == 2


def test_each_migration_step_is_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "half.sqlite3"
    BUILDERS[1](path)
    conn = sqlite3.connect(path, isolation_level=None)
    # A step that fails half-way (the FTS table already exists) must leave version 1 intact.
    conn.execute("CREATE VIRTUAL TABLE title_fts USING fts5(title)")
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn)
    assert schema.user_version(conn) == 1
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'message_fts'").fetchone()[0]
        == 0
    )
    conn.close()


def test_a_version_2_file_keeps_its_ids_and_never_reuses_one(db_path: Path) -> None:
    BUILDERS[2](db_path)
    with Store.open(db_path) as store:
        [summary] = store.list_conversations()
        assert [m.id for m in store.active_path(summary.id)] == [1, 3]
        store.delete_message(3)  # the newest message: version 2 would give 3 again
        reply = store.add_message(summary.id, parent_id=1, role="assistant", content="Lava.")
        assert reply == 4
        assert store.search("Lava")  # the rebuilt table's search triggers work
        store.update_conversation(summary.id, title="Renamed volcano chat")
        assert store.search("Renamed")
        store.delete_conversation(summary.id)
        store.purge_deleted(older_than=0)
        assert store.message_count(summary.id) == 0  # the cascade survived the rebuild
        assert store.create_conversation() == summary.id + 1
    conn = sqlite3.connect(db_path)
    try:
        tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        assert "AUTOINCREMENT" in tables["conversations"]
        assert "AUTOINCREMENT" in tables["messages"]
        assert not {"conversations_v3", "messages_v3"} & set(tables)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM message_fts").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_step_that_would_break_references_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken-step.sqlite3"
    BUILDERS[2](path)
    # A step that drops the messages but keeps the chat pointing at them.
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS[:2], ("DELETE FROM messages",)))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            schema.migrate(conn, target=3)
        assert schema.user_version(conn) == 2
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # switched back on
    finally:
        conn.close()


def test_version_3_replies_read_with_nothing_recorded_and_new_ones_keep_details(
    db_path: Path,
) -> None:
    BUILDERS[3](db_path)
    with Store.open(db_path) as store:
        [summary] = store.list_conversations()
        old = store.active_path(summary.id)[1]
        assert old.details_json is None
        store.finish_message(
            old.id, status=MessageStatus.COMPLETE, details_json='{"system_fingerprint": "fp_1"}'
        )
        assert store.get_message(old.id).details_json == '{"system_fingerprint": "fp_1"}'


def test_token_probabilities_are_kept_apart_and_go_with_their_reply(db_path: Path) -> None:
    BUILDERS[4](db_path)
    with Store.open(db_path) as store:
        [summary] = store.list_conversations()
        reply = store.active_path(summary.id)[1]
        assert store.logprobs(reply.id) is None
        store.save_logprobs(reply.id, '[["Gas", -0.1, []]]')
        assert store.logprobs(reply.id) == '[["Gas", -0.1, []]]'
        exported = store.export_json()
        store.delete_message(reply.id)
        assert store.logprobs(reply.id) is None, "deleted with the reply"
    with Store.open(db_path.with_name("other.sqlite3")) as other:
        other.import_data(exported)
        [summary] = other.list_conversations()
        again = other.active_path(summary.id)[1]
        assert other.logprobs(again.id) == '[["Gas", -0.1, []]]'
