"""ChatGPT's conversations.json: branches, edits, hidden nodes, titles and times."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from foxchat.store import ImportFormatError, MessageStatus, Store, StoredMessage
from foxchat.store.transfer import describe_import
from tests.attachments import samples

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "chatgpt_conversations.json"
T0 = 1717000000.0


@pytest.fixture
def imported(store: Store) -> Store:
    result = store.import_file(FIXTURE)
    assert (result.conversations, result.messages) == (4, 15)
    return store


def _by_title(store: Store) -> dict[str, int]:
    return {c.title: c.id for c in store.list_conversations()}


def _path(store: Store, title: str) -> list[StoredMessage]:
    return store.active_path(_by_title(store)[title])


def test_titles_times_and_models_are_kept(imported: Store) -> None:
    kyoto = imported.get_conversation(_by_title(imported)["Kyoto family trip"])
    assert (kyoto.created_at, kyoto.updated_at, kyoto.model) == (T0, T0 + 125, "gpt-4o")
    assert _path(imported, "Kyoto family trip")[0].created_at == T0 + 60
    assert "Imported chat" in _by_title(imported)  # the untitled one
    assert imported.list_conversations()[0].title == "Imported chat"  # the newest


def test_current_node_is_the_active_branch_and_edits_are_alternatives(imported: Store) -> None:
    path = _path(imported, "Kyoto family trip")
    assert [m.content for m in path] == [
        "Plan a 3-day trip to Kyoto in autumn, with kids",
        "Day 1: Kiyomizu-dera (紅葉). Day 2: Railway Museum. Day 3: Nara deer park.",
        "Where should we stay?",
        "Stay near Kyoto Station for easy day trips.",
    ]
    original, edited = imported.siblings(path[0].id)
    assert edited == path[0].id
    assert imported.get_message(original).content == "Plan a 3-day trip to Kyoto"
    first_regen, second_regen = imported.siblings(path[1].id)
    assert second_regen == path[1].id
    assert "Tofuku-ji" in imported.get_message(first_regen).content
    imported.set_active(original)
    assert [m.content for m in _path(imported, "Kyoto family trip")][1].startswith("Day 1: Fushimi")


def test_hidden_system_context_and_tool_nodes_are_skipped(imported: Store) -> None:
    kyoto = _path(imported, "Kyoto family trip")
    assert {m.role for m in kyoto} == {"user", "assistant"}
    assert all("temples" not in m.content for m in kyoto)  # custom instructions stay hidden
    csv = _path(imported, "Sum a CSV column")
    assert [(m.role, m.content) for m in csv] == [
        ("user", "[image]\n\nRead this chart and sum column B of sales.csv"),
        ("assistant", "The total of column B is **4521**."),
    ]
    assert csv[1].parent_id == csv[0].id  # re-hung over the skipped tool call and output
    weather = _path(imported, "Imported chat")
    assert [m.role for m in weather] == ["user", "assistant"]
    assert weather[0].created_at == T0 + 3 * 86400  # no timestamp: the conversation's


def test_thoughts_become_reasoning_and_a_stopped_reply_is_marked(imported: Store) -> None:
    haiku = _path(imported, "日本語の俳句")
    assert haiku[1].reasoning == "5-7-5 の音数を数える。"
    assert haiku[1].model == "o3"
    assert haiku[1].finish_reason == "stop"
    assert haiku[3].status is MessageStatus.STOPPED
    assert imported.search("俳句")


def test_a_chatgpt_zip_export_is_read_directly(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(FIXTURE, "conversations.json")
        zipped.writestr("chat.html", "<html></html>")
    assert store.import_file(archive).conversations == 4


def _one_image_chat(pointer: str, text: str = "What is in this photo?") -> dict[str, Any]:
    """A ChatGPT conversation whose question holds the image ``pointer`` and ``text``."""
    parts: list[object] = [
        {"content_type": "image_asset_pointer", "asset_pointer": pointer, "width": 640},
        text,
    ]
    return {
        "title": "Photo question",
        "create_time": T0,
        "current_node": "a",
        "mapping": {
            "q": {
                "id": "q",
                "parent": None,
                "children": ["a"],
                "message": {
                    "author": {"role": "user"},
                    "content": {"content_type": "multimodal_text", "parts": parts},
                },
            },
            "a": {
                "id": "a",
                "parent": "q",
                "children": [],
                "message": {
                    "author": {"role": "assistant"},
                    "content": {"content_type": "text", "parts": ["A cat."]},
                },
            },
        },
    }


def test_images_in_a_chatgpt_zip_become_attachments(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "chatgpt-export.zip"
    photo = samples.photo_jpeg(800, 600)
    conversations = [
        _one_image_chat("file-service://file-Ab12"),
        _one_image_chat("file-service://file-Missing", "And this one?"),
    ]
    conversations[1]["title"] = "Lost photo"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("conversations.json", json.dumps(conversations))
        zipped.writestr("file-Ab12-holiday.jpg", photo)
        zipped.writestr("file-Ab123-other.jpg", b"not the one asked for")
    assert store.import_file(archive).conversations == 2
    question, answer = _path(store, "Photo question")
    assert question.content == "What is in this photo?"  # no "[image]" left in the text
    [image] = store.attachments([question.id])[question.id]
    assert (image.kind, image.name, image.width, image.height) == ("image", "holiday.jpg", 800, 600)
    assert store.attachments([answer.id]) == {}
    # The file is not in the zip: the placeholder stays, nothing is attached.
    [lost, _reply] = _path(store, "Lost photo")
    assert lost.content == "[image]\n\nAnd this one?"
    assert store.attachments([lost.id]) == {}


def test_an_unreadable_image_in_the_zip_stays_a_placeholder(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("conversations.json", json.dumps([_one_image_chat("sediment://file_9")]))
        zipped.writestr("dalle/file_9.png", b"\x89PNG\r\n\x1a\n damaged")
    store.import_file(archive)
    question, _answer = _path(store, "Photo question")
    assert question.content == "[image]\n\nWhat is in this photo?"
    assert store.attachments([question.id]) == {}


def _fixture() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def test_a_damaged_conversation_imports_nothing_from_the_file(store: Store) -> None:
    data = _fixture()
    data[2]["mapping"]["u"]["parent"] = 17  # not a node id
    with pytest.raises(ImportFormatError) as caught:
        store.import_data(data)
    assert "conversation 3" in caught.value.message
    assert store.list_conversations() == []


def test_single_conversation_object_is_accepted(store: Store) -> None:
    assert store.import_data(_fixture()[1]).conversations == 1


def _node(node_id: str, parent: str | None, children: list[str], text: str | None) -> Any:
    """One mapping node; ``text`` None is the empty root, else a user/assistant turn."""
    message = None
    if text is not None:
        role = "user" if int(node_id[1:]) % 2 else "assistant"
        message = {
            "id": node_id,
            "author": {"role": role},
            "create_time": T0 + int(node_id[1:]),
            "content": {"content_type": "text", "parts": [text]},
            "recipient": "all",
        }
    return {"id": node_id, "parent": parent, "children": children, "message": message}


def _chain(title: str, count: int, *, root: bool = True) -> dict[str, Any]:
    """A conversation r -> m1 -> m2 … -> m<count>, current node the last one."""
    ids = [f"m{i}" for i in range(1, count + 1)]
    mapping = {"r": _node("r", None, ids[:1], None)} if root else {}
    for index, node_id in enumerate(ids):
        parent = ids[index - 1] if index else ("r" if root else None)
        mapping[node_id] = _node(node_id, parent, ids[index + 1 : index + 2], f"turn {node_id}")
    return {"title": title, "create_time": T0, "mapping": mapping, "current_node": ids[-1]}


def test_a_parent_circle_is_placed_from_the_reply_lists_and_said(store: Store) -> None:
    chat = _chain("Circle", 7)
    chat["mapping"]["m1"]["parent"] = "m7"  # m1 -> m7 -> m6 … -> m1: no root reaches them
    result = store.import_data([chat])
    assert (result.conversations, result.messages) == (1, 7)
    assert (result.repaired_messages, result.skipped_messages) == (7, 0)
    assert [m.content for m in _path(store, "Circle")] == [f"turn m{i}" for i in range(1, 8)]
    assert describe_import(result) == (
        "Imported 1 conversation with 7 messages. 7 messages had a broken order in the file;"
        " they were placed after the messages that list them as replies."
    )


def test_messages_no_list_reaches_are_skipped_and_counted(store: Store) -> None:
    chat = _chain("Partly broken", 5)
    chat["mapping"]["m2"]["children"] = []  # nothing lists m3 any more
    chat["mapping"]["m3"]["parent"] = "m5"  # m3 -> m5 -> m4 -> m3
    result = store.import_data([chat])
    assert (result.conversations, result.messages, result.skipped_messages) == (1, 2, 3)
    assert [m.content for m in _path(store, "Partly broken")] == ["turn m1", "turn m2"]
    assert describe_import(result) == (
        "Imported 1 conversation with 2 messages."
        " 3 messages were skipped because their order in the file is broken."
    )


def test_a_conversation_with_nothing_in_order_is_left_out_not_imported_empty(
    store: Store,
) -> None:
    rooted = _chain("Rooted circle", 4)
    rooted["mapping"]["r"]["children"] = []
    rooted["mapping"]["m1"]["parent"] = "m4"
    rootless = _chain("Rootless circle", 3, root=False)
    rootless["mapping"]["m1"]["parent"] = "m3"
    result = store.import_data([_chain("Fine", 2), rooted, rootless])
    assert [c.title for c in store.list_conversations()] == ["Fine"]
    assert (result.conversations, result.skipped_messages, result.empty_conversations) == (1, 7, 2)
    assert describe_import(result) == (
        "Imported 1 conversation with 2 messages."
        " 7 messages were skipped because their order in the file is broken."
        " 2 conversations were left out because none of their messages could be read in order."
    )
