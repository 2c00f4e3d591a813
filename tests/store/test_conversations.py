"""Conversations: the list order, settings, drafts, and soft delete with undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from foxchat.store import Store, StoreNotFoundError


def test_new_conversation_has_the_given_settings(store: Store) -> None:
    cid = store.create_conversation(
        title="Trip", model="gpt-4o", system_prompt="Be brief.", params_json='{"version": 1}'
    )
    conv = store.get_conversation(cid)
    assert (conv.title, conv.model, conv.system_prompt, conv.params_json) == (
        "Trip",
        "gpt-4o",
        "Be brief.",
        '{"version": 1}',
    )
    assert conv.draft == ""
    assert not conv.pinned
    assert conv.created_at == conv.updated_at


def test_defaults_for_a_new_chat(store: Store) -> None:
    conv = store.get_conversation(store.create_conversation())
    assert conv.title == "New chat"
    assert conv.model == ""


def test_list_puts_pinned_first_then_most_recent(store: Store) -> None:
    first = store.create_conversation(title="first")
    second = store.create_conversation(title="second")
    third = store.create_conversation(title="third")
    store.add_message(first, parent_id=None, role="user", content="bump")
    assert [c.id for c in store.list_conversations()] == [first, third, second]
    store.update_conversation(second, pinned=True)
    listed = store.list_conversations()
    assert [c.id for c in listed] == [second, first, third]
    assert listed[0].pinned


def test_update_changes_only_the_fields_given(store: Store) -> None:
    cid = store.create_conversation(title="a", model="m1", system_prompt="s")
    store.update_conversation(cid, title="b")
    conv = store.get_conversation(cid)
    assert (conv.title, conv.model, conv.system_prompt) == ("b", "m1", "s")


def test_draft_is_kept_without_moving_the_conversation(store: Store) -> None:
    older = store.create_conversation(title="older")
    newer = store.create_conversation(title="newer")
    before = store.get_conversation(older).updated_at
    store.save_draft(older, "half a thought")
    assert store.get_conversation(older).draft == "half a thought"
    assert store.get_conversation(older).updated_at == before
    assert [c.id for c in store.list_conversations()] == [newer, older]


def test_delete_hides_at_once_and_undo_brings_it_back(store: Store) -> None:
    cid = store.create_conversation(title="keep me")
    store.add_message(cid, parent_id=None, role="user", content="hello")
    store.delete_conversation(cid)
    assert store.list_conversations() == []
    store.undelete_conversation(cid)
    assert [c.id for c in store.list_conversations()] == [cid]
    assert store.message_count(cid) == 1


def test_purge_really_deletes_only_deleted_conversations(store: Store) -> None:
    gone = store.create_conversation(title="gone")
    kept = store.create_conversation(title="kept")
    root = store.add_message(gone, parent_id=None, role="user", content="bye")
    store.add_message(gone, parent_id=root, role="assistant", content="bye too")
    store.delete_conversation(gone)
    assert store.purge_deleted(older_than=0) == 1
    with pytest.raises(StoreNotFoundError):
        store.get_conversation(gone)
    with pytest.raises(StoreNotFoundError):
        store.get_message(root)
    assert [c.id for c in store.list_conversations()] == [kept]


def test_purging_a_very_long_conversation_works(store: Store) -> None:
    cid = store.create_conversation()
    parent = None
    for n in range(1500):  # deeper than SQLite's trigger recursion limit of 1000
        parent = store.add_message(cid, parent_id=parent, role="user", content=f"m{n}")
    store.delete_conversation(cid)
    assert store.purge_deleted(older_than=0) == 1
    assert store.message_count(cid) == 0


def test_unknown_conversation_is_a_clear_error(store: Store) -> None:
    with pytest.raises(StoreNotFoundError) as caught:
        store.get_conversation(999)
    assert "no longer exists" in caught.value.user_message
    with pytest.raises(StoreNotFoundError):
        store.update_conversation(999, title="x")
    with pytest.raises(StoreNotFoundError):
        store.save_draft(999, "x")


def test_store_is_a_context_manager(db_path: object) -> None:
    from pathlib import Path

    assert isinstance(db_path, Path)
    with Store.open(db_path) as opened:
        cid = opened.create_conversation(title="ctx")
    with Store.open(db_path) as reopened:
        assert reopened.get_conversation(cid).title == "ctx"


def test_a_second_window_starting_keeps_a_chat_the_first_still_offers_to_undo(
    store: Store, db_path: Path
) -> None:
    cid = store.create_conversation(title="undo me")
    store.add_message(cid, parent_id=None, role="user", content="still here?")
    store.delete_conversation(cid)  # the first window shows "Chat deleted. Undo"
    with Store.open(db_path) as second:  # a second window starts: it purges at start
        second.purge_deleted()
        reused = second.create_conversation(title="made in the second window")
    store.undelete_conversation(cid)
    assert store.get_conversation(cid).title == "undo me"
    assert store.message_count(cid) == 1
    assert reused != cid


def test_purged_and_deleted_ids_are_never_given_again(store: Store) -> None:
    store.create_conversation(title="older")
    newest = store.create_conversation(title="newest, then purged")
    store.delete_conversation(newest)
    assert store.purge_deleted(older_than=0) == 1
    again = store.create_conversation()
    assert again > newest
    root = store.add_message(again, parent_id=None, role="user", content="hi")
    reply = store.add_message(again, parent_id=root, role="assistant", content="hello")
    store.delete_message(reply)
    assert store.add_message(again, parent_id=root, role="assistant", content="hey") > reply
