"""Export and import: FoxChat JSON round trips exactly; bad input imports nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foxchat.store import ImportFormatError, MessageStatus, Store
from foxchat.store.models import ImportResult
from foxchat.store.transfer import describe_import
from tests.chinese import chinese

CHATGPT = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "chatgpt_conversations.json").read_text(
        encoding="utf-8"
    )
)


@pytest.fixture
def branchy(store: Store) -> Store:
    """Two conversations with an edit, a regeneration, tools and odd statuses."""
    cid = store.create_conversation(
        title="Branches", model="gpt-4o", system_prompt="Be kind.", params_json='{"version": 1}'
    )
    q1 = store.add_message(cid, parent_id=None, role="user", content="first try")
    store.add_message(cid, parent_id=q1, role="assistant", content="answer to first", model="m")
    q2 = store.add_message(cid, parent_id=None, role="user", content="edited question")
    a1 = store.add_message(cid, parent_id=q2, role="assistant", content="A", reasoning="hmm")
    store.finish_message(
        a1,
        status=MessageStatus.STOPPED,
        finish_reason="stop",
        usage_json="{}",
        details_json='{"sent": {"temperature": 1.3}, "system_fingerprint": "fp_9"}',
    )
    a2 = store.add_message(cid, parent_id=q2, role="assistant", tool_calls_json='[{"id": "c"}]')
    store.add_message(cid, parent_id=a2, role="tool", content="42", tool_call_id="c")
    store.set_active(a1)
    store.update_conversation(cid, pinned=True)
    store.save_draft(cid, "unsent words")
    other = store.create_conversation(title="Fehler 中文")
    q = store.add_message(other, parent_id=None, role="user", content="q")
    bad = store.add_message(other, parent_id=q, role="assistant", status=MessageStatus.STREAMING)
    store.finish_message(bad, status=MessageStatus.ERROR, error="Server said no.")
    return store


def _conversations(data: dict[str, Any]) -> list[Any]:
    conversations: list[Any] = data["conversations"]
    return conversations


def test_round_trip_gives_back_exactly_what_was_exported(branchy: Store, tmp_path: Path) -> None:
    exported = branchy.export_json()
    assert exported["format"] == "foxchat"
    assert exported["version"] == 1
    with Store.open(tmp_path / "other.sqlite3") as other:
        result = other.import_data(json.loads(json.dumps(exported)))
        assert (result.conversations, result.messages) == (2, 8)
        again = other.export_json()
        assert _conversations(again) == _conversations(exported)
        [first] = [c for c in other.list_conversations() if c.title == "Branches"]
        path = other.active_path(first.id)
        assert [m.content for m in path] == ["edited question", "A"]
        assert len(other.siblings(path[0].id)) == 2
        assert len(other.siblings(path[1].id)) == 2
        assert other.get_conversation(first.id).draft == "unsent words"
        assert path[1].details_json == (
            '{"sent": {"temperature": 1.3}, "system_fingerprint": "fp_9"}'
        )


def test_export_of_one_conversation(branchy: Store) -> None:
    cid = branchy.list_conversations()[-1].id
    exported = branchy.export_json([cid])
    assert [c["title"] for c in _conversations(exported)] == [branchy.get_conversation(cid).title]


def test_deleted_conversations_are_not_exported(branchy: Store) -> None:
    cid = branchy.list_conversations()[0].id
    branchy.delete_conversation(cid)
    assert len(_conversations(branchy.export_json())) == 1


def test_markdown_shows_the_active_branch_readably(branchy: Store) -> None:
    text = branchy.export_markdown()
    assert "# Branches" in text
    assert "## System prompt\n\nBe kind." in text
    assert "## You\n\nedited question" in text
    assert "## Assistant\n\n<details><summary>Reasoning</summary>\n\nhmm\n</details>\n\nA" in text
    assert "first try" not in text  # an inactive branch
    assert "*(reply error: Server said no.)*" in text
    assert "\n---\n" in text


def test_import_file_reads_json(branchy: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(branchy.export_json()), encoding="utf-8")
    result = branchy.import_file(path, skip_existing=False)
    assert result.conversations == 2
    assert len(branchy.list_conversations()) == 4


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "chats.json"
    path.write_text(json.dumps(CHATGPT), encoding="utf-8")
    first = store.import_file(path)
    assert (first.conversations, first.already_there) == (4, 0)
    before = store.export_json()["conversations"]
    second = store.import_file(path)
    assert (second.conversations, second.messages, second.already_there) == (0, 0, 4)
    assert store.export_json()["conversations"] == before
    assert describe_import(second) == (
        "Imported 0 conversations with 0 messages."
        " 4 conversations were already here and were skipped."
    )


def test_only_the_chats_not_here_yet_are_imported(branchy: Store) -> None:
    exported = branchy.export_json()
    extra = copy.deepcopy(_conversations(exported)[0])
    extra["title"] = "Branches, renamed in the other copy"
    _conversations(exported).append(extra)
    branchy.delete_conversation(branchy.list_conversations()[-1].id)  # deleted: not "here"
    result = branchy.import_data(exported)
    assert (result.conversations, result.already_there) == (2, 1)
    assert describe_import(result) == (
        "Imported 2 conversations with 8 messages. 1 conversation was already here and was skipped."
    )


def test_import_reports_progress_for_every_conversation(store: Store) -> None:
    heard: list[tuple[int, int]] = []
    store.import_data(CHATGPT, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def _broken_variants(good: dict[str, Any]) -> list[object]:
    variants: list[object] = []

    def variant(change: Any) -> None:
        data = copy.deepcopy(good)
        change(data)
        variants.append(data)

    variant(lambda d: d.update(version="1"))
    variant(lambda d: d.update(conversations={}))
    variant(lambda d: d["conversations"].append("nope"))
    variant(lambda d: d["conversations"][-1].update(title=None))
    variant(lambda d: d["conversations"][-1].update(pinned="yes"))
    variant(lambda d: d["conversations"][-1].update(created_at=float("nan")))
    variant(lambda d: d["conversations"][-1].update(active_root=99))
    variant(lambda d: d["conversations"][-1]["messages"][1].update(parent=7))
    variant(lambda d: d["conversations"][-1]["messages"][1].update(status="thinking"))
    variant(lambda d: d["conversations"][-1]["messages"][1].update(content=5))
    variant(lambda d: d["conversations"][-1]["messages"][0].update(active_child=1))
    variant(lambda d: d["conversations"][-1]["messages"][1].update(id=1))
    variant(lambda d: d["conversations"][-1]["messages"].append(None))
    variant(lambda d: d["conversations"][-1]["messages"][0].pop("role"))
    return variants


def test_each_kind_of_damage_imports_nothing(branchy: Store) -> None:
    good = branchy.export_json()
    before = branchy.export_json()["conversations"]
    for broken in _broken_variants(good):
        with pytest.raises(ImportFormatError) as caught:
            branchy.import_data(broken)
        assert "Nothing was imported" in caught.value.user_message
        assert _conversations(branchy.export_json()) == before


def test_file_from_a_newer_export_format_is_refused(store: Store) -> None:
    with pytest.raises(ImportFormatError) as caught:
        store.import_data({"format": "foxchat", "version": 99, "conversations": []})
    assert "newer FoxChat" in caught.value.message


@pytest.mark.parametrize(
    "data", [None, 1, "text", [], {}, [1, 2], {"format": "other"}, [{"title": "x"}], {"a": [1]}]
)
def test_unknown_json_is_refused(store: Store, data: object) -> None:
    with pytest.raises(ImportFormatError) as caught:
        store.import_data(data)
    assert "neither a FoxChat export nor ChatGPT" in caught.value.message


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"\xff\xfe\x00garbage", b"[" * 100_000, b'{"format": "foxchat"'],
)
def test_unreadable_files_are_clear_errors(store: Store, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError):
        store.import_file(path)
    assert store.list_conversations() == []


def test_missing_file_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as caught:
        store.import_file(tmp_path / "nope.json")
    assert "could not read" in caught.value.message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
foxchat_like = st.fixed_dictionaries(
    {"format": st.just("foxchat"), "version": st.just(1), "conversations": st.lists(json_values)}
)
chatgpt_like = st.lists(
    st.fixed_dictionaries(
        {"mapping": st.dictionaries(st.text(max_size=3), json_values, max_size=5)},
        optional={"title": json_values, "current_node": json_values, "create_time": json_values},
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | foxchat_like | chatgpt_like)
def test_arbitrary_json_never_crashes_or_half_imports(data: object) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "s.sqlite3") as store:
        try:
            result = store.import_data(data)
        except ImportFormatError:
            assert store.list_conversations() == []
        else:
            assert len(store.list_conversations()) == result.conversations


def test_text_sqlite_cannot_store_imports_nothing(store: Store) -> None:
    data = {
        "format": "foxchat",
        "version": 1,
        "conversations": [
            {
                "title": "fine",
                "created_at": 1.0,
                "updated_at": 1.0,
                "pinned": False,
                "model": "",
                "system_prompt": "",
                "params_json": "",
                "draft": "",
                "active_root": None,
                "messages": [],
            },
            {
                "title": "lone surrogate \ud800",
                "created_at": 10**400,
                "updated_at": 1.0,
                "pinned": False,
                "model": "",
                "system_prompt": "",
                "params_json": "",
                "draft": "",
                "active_root": None,
                "messages": [],
            },
        ],
    }
    for broken_field in ("created_at", "title"):
        attempt = copy.deepcopy(data)
        if broken_field == "title":
            attempt["conversations"][1]["created_at"] = 1.0  # type: ignore[index]
        with pytest.raises(ImportFormatError):
            store.import_data(attempt)
        assert store.list_conversations() == []


def test_chatgpt_nodes_with_odd_children_lists_import_nothing_or_work(store: Store) -> None:
    data = [{"mapping": {"a": {"parent": None, "children": [{"x": 1}, ["y"]], "message": None}}}]
    assert store.import_data(data).messages == 0


def test_the_import_report_has_the_right_number_forms() -> None:
    one = ImportResult(conversations=1, messages=1, already_there=1, skipped_messages=1)
    assert describe_import(one) == (
        "Imported 1 conversation with 1 message."
        " 1 conversation was already here and was skipped."
        " 1 message was skipped because its order in the file is broken."
    )
    assert describe_import(ImportResult(conversations=3, messages=1)) == (
        "Imported 3 conversations with 1 message."
    )


def test_the_import_report_speaks_chinese() -> None:
    with chinese():
        report = describe_import(ImportResult(conversations=2, messages=8, already_there=1))
    assert report == "已导入 2 个对话，共 8 条消息。1 个对话已存在，已跳过。"


def test_a_damaged_file_is_explained_in_chinese(store: Store) -> None:
    with chinese(), pytest.raises(ImportFormatError) as caught:
        store.import_data({"format": "foxchat", "version": 1, "conversations": [7]})
    assert caught.value.user_message.startswith("此 FoxChat 文件已损坏：第 1 个对话不是对象。")


def test_markdown_headings_speak_chinese(branchy: Store) -> None:
    with chinese():
        text = branchy.export_markdown()
    assert "## 你" in text and "## 助手" in text
