"""The message tree: branches, active path, streaming, finishing and deleting."""

from __future__ import annotations

from pathlib import Path

import pytest

from foxchat.store import MessageStatus, Store, StoreChangedError, StoreNotFoundError


@pytest.fixture
def chat(store: Store) -> int:
    return store.create_conversation(title="Tree")


def _contents(store: Store, cid: int) -> list[str]:
    return [m.content for m in store.active_path(cid)]


def test_messages_form_the_active_path_in_order(store: Store, chat: int) -> None:
    user = store.add_message(chat, parent_id=None, role="user", content="Hi")
    reply = store.add_message(chat, parent_id=user, role="assistant", content="Hello!")
    path = store.active_path(chat)
    assert [m.id for m in path] == [user, reply]
    assert path[1].parent_id == user
    assert path[1].conversation_id == chat
    assert path[1].status is MessageStatus.COMPLETE


def test_regeneration_is_an_alternative_and_nothing_is_overwritten(store: Store, chat: int) -> None:
    user = store.add_message(chat, parent_id=None, role="user", content="Q")
    first = store.add_message(chat, parent_id=user, role="assistant", content="A1")
    second = store.add_message(chat, parent_id=user, role="assistant", content="A2")
    assert _contents(store, chat) == ["Q", "A2"]
    assert store.siblings(first) == [first, second]
    store.set_active(first)
    assert _contents(store, chat) == ["Q", "A1"]
    assert store.get_message(second).content == "A2"


def test_edited_first_message_makes_sibling_roots(store: Store, chat: int) -> None:
    original = store.add_message(chat, parent_id=None, role="user", content="teh question")
    store.add_message(chat, parent_id=original, role="assistant", content="answer 1")
    edited = store.add_message(chat, parent_id=None, role="user", content="the question")
    assert store.siblings(edited) == [original, edited]
    assert _contents(store, chat) == ["the question"]
    store.set_active(original)
    assert _contents(store, chat) == ["teh question", "answer 1"]


def test_switching_deep_in_the_tree_keeps_later_choices(store: Store, chat: int) -> None:
    q = store.add_message(chat, parent_id=None, role="user", content="q")
    a1 = store.add_message(chat, parent_id=q, role="assistant", content="a1")
    f1 = store.add_message(chat, parent_id=a1, role="user", content="follow-up on a1")
    store.add_message(chat, parent_id=q, role="assistant", content="a2")
    store.set_active(a1)
    assert _contents(store, chat) == ["q", "a1", "follow-up on a1"]
    assert store.siblings(f1) == [f1]


def test_streaming_reply_is_saved_as_it_grows_then_finished(store: Store, chat: int) -> None:
    user = store.add_message(chat, parent_id=None, role="user", content="Tell me a story")
    reply = store.add_message(
        chat, parent_id=user, role="assistant", status=MessageStatus.STREAMING, model="gpt-4o"
    )
    store.update_streaming_text(reply, "Once upon", "thinking…")
    partial = store.get_message(reply)
    assert (partial.content, partial.reasoning, partial.status) == (
        "Once upon",
        "thinking…",
        MessageStatus.STREAMING,
    )
    store.finish_message(
        reply,
        status=MessageStatus.COMPLETE,
        content="Once upon a time.",
        finish_reason="stop",
        usage_json='{"total_tokens": 12}',
    )
    done = store.get_message(reply)
    assert done.content == "Once upon a time."
    assert done.reasoning == "thinking…"
    assert done.status is MessageStatus.COMPLETE
    assert (done.finish_reason, done.usage_json, done.model) == (
        "stop",
        '{"total_tokens": 12}',
        "gpt-4o",
    )


def test_failed_reply_keeps_its_text_and_error(store: Store, chat: int) -> None:
    user = store.add_message(chat, parent_id=None, role="user", content="q")
    reply = store.add_message(
        chat, parent_id=user, role="assistant", status=MessageStatus.STREAMING
    )
    store.update_streaming_text(reply, "partial")
    store.finish_message(reply, status=MessageStatus.ERROR, error="The server stopped answering.")
    failed = store.get_message(reply)
    assert failed.status is MessageStatus.ERROR
    assert failed.content == "partial"
    assert failed.error == "The server stopped answering."


def test_tool_messages_keep_calls_and_ids(store: Store, chat: int) -> None:
    user = store.add_message(chat, parent_id=None, role="user", content="weather?")
    call = store.add_message(
        chat,
        parent_id=user,
        role="assistant",
        tool_calls_json='[{"id": "call_1", "type": "function"}]',
    )
    result = store.add_message(
        chat, parent_id=call, role="tool", content="3 °C", tool_call_id="call_1"
    )
    assert store.get_message(call).tool_calls_json == '[{"id": "call_1", "type": "function"}]'
    assert store.get_message(result).tool_call_id == "call_1"


def test_adding_a_message_moves_the_conversation_up(store: Store) -> None:
    older = store.create_conversation(title="older")
    store.create_conversation(title="newer")
    store.add_message(older, parent_id=None, role="user", content="bump")
    assert store.list_conversations()[0].id == older


def test_delete_removes_the_subtree_and_picks_a_remaining_sibling(store: Store, chat: int) -> None:
    q = store.add_message(chat, parent_id=None, role="user", content="q")
    a1 = store.add_message(chat, parent_id=q, role="assistant", content="a1")
    a2 = store.add_message(chat, parent_id=q, role="assistant", content="a2")
    follow = store.add_message(chat, parent_id=a2, role="user", content="more")
    store.delete_message(a2)
    assert _contents(store, chat) == ["q", "a1"]
    assert store.siblings(a1) == [a1]
    with pytest.raises(StoreNotFoundError):
        store.get_message(follow)
    assert store.message_count(chat) == 2


def test_deleting_an_inactive_branch_keeps_the_active_one(store: Store, chat: int) -> None:
    q = store.add_message(chat, parent_id=None, role="user", content="q")
    a1 = store.add_message(chat, parent_id=q, role="assistant", content="a1")
    store.add_message(chat, parent_id=q, role="assistant", content="a2")
    store.delete_message(a1)
    assert _contents(store, chat) == ["q", "a2"]


def test_deleting_the_only_root_empties_the_conversation(store: Store, chat: int) -> None:
    q = store.add_message(chat, parent_id=None, role="user", content="q")
    store.add_message(chat, parent_id=q, role="assistant", content="a")
    store.delete_message(q)
    assert store.active_path(chat) == []
    assert store.message_count(chat) == 0


def test_a_parent_from_another_conversation_is_refused(store: Store, chat: int) -> None:
    other = store.create_conversation()
    foreign = store.add_message(other, parent_id=None, role="user", content="x")
    with pytest.raises(StoreNotFoundError):
        store.add_message(chat, parent_id=foreign, role="assistant", content="y")
    assert store.message_count(chat) == 0


def test_unknown_message_ids_are_clear_errors(store: Store) -> None:
    for call in (
        lambda: store.get_message(404),
        lambda: store.siblings(404),
        lambda: store.set_active(404),
        lambda: store.delete_message(404),
        lambda: store.update_streaming_text(404, "x"),
        lambda: store.finish_message(404, status=MessageStatus.COMPLETE),
    ):
        with pytest.raises(StoreNotFoundError):
            call()


def test_only_at_end_writes_after_the_last_message_it_names(store: Store, chat: int) -> None:
    first = store.add_message(chat, parent_id=None, role="user", content="Hi", only_at_end=True)
    reply = store.add_message(chat, parent_id=first, role="assistant", content="Hello")
    after = store.add_message(chat, parent_id=reply, role="user", content="Bye", only_at_end=True)
    assert _contents(store, chat) == ["Hi", "Hello", "Bye"]
    assert store.active_path(chat)[-1].id == after


def test_only_at_end_refuses_history_another_window_wrote_or_switched_to(
    store: Store, chat: int, db_path: Path
) -> None:
    user = store.add_message(chat, parent_id=None, role="user", content="Q")
    reply = store.add_message(chat, parent_id=user, role="assistant", content="A1")
    # This window shows [Q, A1]. Another one (its own connection) writes on.
    with Store.open(db_path) as other:
        other_user = other.add_message(chat, parent_id=reply, role="user", content="theirs")
    with pytest.raises(StoreChangedError) as caught:
        store.add_message(chat, parent_id=reply, role="user", content="mine", only_at_end=True)
    assert "another FoxChat window" in caught.value.user_message
    assert store.message_count(chat) == 3  # nothing written
    assert store.active_path(chat)[-1].id == other_user
    # Read again, then it may write.
    store.add_message(chat, parent_id=other_user, role="user", content="mine", only_at_end=True)
    # A branch switch elsewhere moves the end as well.
    alternative = store.add_message(chat, parent_id=user, role="assistant", content="A2")
    with Store.open(db_path) as other:
        other.set_active(reply)
    with pytest.raises(StoreChangedError):
        store.add_message(chat, parent_id=alternative, role="user", content="x", only_at_end=True)


def test_only_at_end_on_an_empty_chat_needs_it_still_empty(
    store: Store, chat: int, db_path: Path
) -> None:
    with Store.open(db_path) as other:
        other.add_message(chat, parent_id=None, role="user", content="first elsewhere")
    with pytest.raises(StoreChangedError):
        store.add_message(chat, parent_id=None, role="user", content="mine", only_at_end=True)
    assert _contents(store, chat) == ["first elsewhere"]
