"""Search: ranked hits, safe highlighting, prefixes, CJK, and staying in step."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foxchat.store import MessageStatus, Store


@pytest.fixture
def filled(store: Store) -> Store:
    pasta = store.create_conversation(title="Carbonara recipe")
    q = store.add_message(pasta, parent_id=None, role="user", content="How do I make carbonara?")
    store.add_message(
        pasta,
        parent_id=q,
        role="assistant",
        content="Whisk eggs with pecorino, then toss with hot spaghetti and guanciale.",
    )
    china = store.create_conversation(title="学习中文")
    q = store.add_message(china, parent_id=None, role="user", content="怎么说谢谢\uff1f")
    store.add_message(
        china, parent_id=q, role="assistant", content="你可以说“谢谢你”。这是中文里最常用的感谢。"
    )
    japan = store.create_conversation(title="東京旅行")
    q = store.add_message(
        japan, parent_id=None, role="user", content="東京でおすすめの寿司屋は\uff1f"
    )
    store.add_message(japan, parent_id=q, role="assistant", content="築地の寿司屋が人気です。")
    return store


def _marked(snippet: str) -> list[str]:
    parts = snippet.split("\x02")[1:]
    return [p.split("\x03")[0] for p in parts]


def test_finds_message_text_and_marks_the_match(filled: Store) -> None:
    hits = filled.search("pecorino")
    assert len(hits) == 1
    assert hits[0].title == "Carbonara recipe"
    assert hits[0].message_id is not None
    assert _marked(hits[0].snippet) == ["pecorino"]


def test_prefix_of_a_word_matches(filled: Store) -> None:
    hits = filled.search("spag")
    assert [_marked(h.snippet) for h in hits] == [["spag"]]
    assert "spaghetti" in hits[0].snippet.replace("\x02", "").replace("\x03", "")


def test_title_matches_have_no_message_and_rank_first(filled: Store) -> None:
    hits = filled.search("carbonara")
    assert hits[0].message_id is None
    assert hits[0].title == "Carbonara recipe"
    assert {h.message_id is None for h in hits} == {True, False}
    messages = [h.rank for h in hits if h.message_id is not None]
    assert messages == sorted(messages)


def test_every_word_must_match(filled: Store) -> None:
    assert len(filled.search("eggs guanciale")) == 1
    assert filled.search("eggs sushi") == []


def test_case_does_not_matter(filled: Store) -> None:
    assert len(filled.search("PECORINO")) == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("中文", "学习中文"),
        ("谢", "学习中文"),
        ("寿司屋", "東京旅行"),
        ("東京", "東京旅行"),
        ("築", "東京旅行"),
    ],
)
def test_chinese_and_japanese_are_found_even_one_or_two_characters(
    filled: Store, query: str, expected: str
) -> None:
    hits = filled.search(query)
    assert hits, query
    assert {h.title for h in hits} == {expected}
    assert all(query in _marked(h.snippet) for h in hits)


def test_edited_text_is_found_and_old_text_is_not(store: Store) -> None:
    cid = store.create_conversation()
    q = store.add_message(cid, parent_id=None, role="user", content="q")
    reply = store.add_message(cid, parent_id=q, role="assistant", status=MessageStatus.STREAMING)
    store.update_streaming_text(reply, "a draft with zebra")
    store.finish_message(reply, status=MessageStatus.COMPLETE, content="final with giraffe")
    assert store.search("zebra") == []
    assert [h.message_id for h in store.search("giraffe")] == [reply]


def test_deleted_words_are_no_longer_found(store: Store) -> None:
    cid = store.create_conversation(title="Walrus facts")
    q = store.add_message(cid, parent_id=None, role="user", content="Tell me about narwhals")
    store.delete_message(q)
    assert store.search("narwhal") == []
    store.update_conversation(cid, title="Seal facts")
    assert store.search("walrus") == []
    assert len(store.search("seal")) == 1


def test_deleted_conversations_leave_search_and_come_back_on_undo(filled: Store) -> None:
    [title_hit] = [h for h in filled.search("carbonara") if h.message_id is None]
    filled.delete_conversation(title_hit.conversation_id)
    assert filled.search("carbonara") == []
    filled.undelete_conversation(title_hit.conversation_id)
    assert filled.search("carbonara")
    filled.delete_conversation(title_hit.conversation_id)
    filled.purge_deleted(older_than=0)
    assert filled.search("pecorino") == []


def test_streaming_text_is_searchable_once_it_settles(store: Store) -> None:
    cid = store.create_conversation()
    reply = store.add_message(cid, parent_id=None, role="assistant", status=MessageStatus.STREAMING)
    store.update_streaming_text(reply, "about photosynthesis")
    assert store.search("photosynthesis") == []
    store.finish_message(reply, status=MessageStatus.STOPPED)
    assert [h.message_id for h in store.search("photosynthesis")] == [reply]


def test_reasoning_text_is_searchable(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(
        cid, parent_id=None, role="assistant", content="42", reasoning="consider the towel"
    )
    [hit] = store.search("towel")
    assert _marked(hit.snippet) == ["towel"]


def test_snippet_markers_in_stored_text_cannot_fake_highlights(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(cid, parent_id=None, role="user", content="\x02fake\x03 and real words")
    [hit] = store.search("real")
    assert _marked(hit.snippet) == ["real"]


def test_long_text_gives_a_short_snippet_around_the_match(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(
        cid, parent_id=None, role="user", content="filler " * 500 + "needle " + "x" * 500
    )
    [hit] = store.search("needle")
    assert len(hit.snippet) < 200
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert _marked(hit.snippet) == ["needle"]


def test_snippets_show_markdown_tables_and_markup_as_plain_words(store: Store) -> None:
    cid = store.create_conversation()
    reply = (
        "## Backup options\n\n"
        "| option | what it does |\n"
        "|---|:---:|\n"
        "| `-a` | keeps **dates** and folders |\n"
        "| `--delete` | removes files you [deleted](https://example.com/rsync) |\n\n"
        "> Run it *weekly*."
    )
    store.add_message(cid, parent_id=None, role="assistant", content=reply)
    [hit] = store.search("folders")
    plain = hit.snippet.replace("\x02", "").replace("\x03", "")
    for markup in ("|", "---", "**", "`", "##", "](", "> "):
        assert markup not in plain, markup
    assert "keeps dates and folders" in plain
    assert "removes files you deleted" in plain and "Run it weekly." in plain
    assert _marked(hit.snippet) == ["folders"]


def test_snippet_keeps_words_that_only_look_like_markup(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(
        cid, parent_id=None, role="user", content="Is 2*3*4 = 24 in snake_case_name or a|b?"
    )
    [hit] = store.search("snake")
    plain = hit.snippet.replace("\x02", "").replace("\x03", "")
    assert plain == "Is 2*3*4 = 24 in snake_case_name or a|b?"


def test_limit_is_respected(store: Store) -> None:
    cid = store.create_conversation()
    for n in range(20):
        store.add_message(cid, parent_id=None, role="user", content=f"apple number {n}")
    assert len(store.search("apple", limit=5)) == 5


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "AND",
        "OR NOT",
        "a*",
        "*",
        "(",
        ")",
        "NEAR(a b)",
        "col:x",
        "^x",
        "-",
        "+",
        "'; DROP TABLE messages; --",
        "%",
        "_",
        "\\",
        "   ",
        "",
        '"unclosed phrase',
        "C++",
    ],
)
def test_queries_with_operators_and_punctuation_never_raise(filled: Store, query: str) -> None:
    filled.search(query)
    assert filled.search("pecorino")  # and the store still works


def test_quoted_phrase_and_literal_operators(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(cid, parent_id=None, role="user", content="black AND white photos")
    store.add_message(cid, parent_id=None, role="user", content="white and black cats")
    assert len(store.search('"black AND white"')) == 1
    assert len(store.search("C++")) == 0


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_queries_never_raise(query: str) -> None:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "s.sqlite3") as store:
        cid = store.create_conversation(title="t")
        store.add_message(cid, parent_id=None, role="user", content="some text 中文")
        for hit in store.search(query):
            assert hit.snippet.count("\x02") == hit.snippet.count("\x03")


def _chat_of(texts: list[str], title: str = "Many") -> dict[str, object]:
    """FoxChat JSON for one chat of user messages in a row, oldest first."""
    messages = [
        {
            "id": n,
            "parent": n - 1 if n > 1 else None,
            "active_child": n + 1 if n < len(texts) else None,
            "role": "user",
            "content": text,
            "reasoning": "",
            "tool_calls_json": None,
            "tool_call_id": None,
            "model": None,
            "finish_reason": None,
            "usage_json": None,
            "status": "complete",
            "error": None,
            "created_at": 1.0 + n,
        }
        for n, text in enumerate(texts, start=1)
    ]
    return {
        "title": title,
        "created_at": 1.0,
        "updated_at": 2.0,
        "pinned": False,
        "model": "",
        "system_prompt": "",
        "params_json": "",
        "draft": "",
        "active_root": 1,
        "messages": messages,
    }


def _fill(store: Store, texts: list[str]) -> list[int]:
    """Import the texts as one chat; returns their message ids, oldest first."""
    store.import_data({"format": "foxchat", "version": 1, "conversations": [_chat_of(texts)]})
    [chat] = store.list_conversations()
    return [m.id for m in store.active_path(chat.id)]


def test_a_query_of_everyday_words_ranks_the_newest_matches(store: Store) -> None:
    # 500 old messages are short (bm25's favourites); 1,500 newer ones are long.
    old = ["use the code"] * 500
    new = [f"you can use the code like this, step {n}, " + "and so on " * 20 for n in range(1500)]
    ids = _fill(store, old + new)
    hits = store.search("use the code", limit=30)
    assert len(hits) == 30
    assert all(h.message_id is not None and h.message_id > ids[499] for h in hits)
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks)
    assert all(
        set(_marked(h.snippet)) >= {"use", "the", "code"} for h in hits
    )  # every word is in every hit


def test_a_short_word_only_old_messages_hold_is_still_found(store: Store) -> None:
    old = [f"use the code in go {n}" for n in range(5)]
    ids = _fill(store, old + ["use the code " + "and more " * 10] * 2500)
    hits = store.search("use the code go")
    assert sorted(h.message_id or 0 for h in hits) == ids[:5]


def test_a_huge_message_gives_its_snippet_at_once(store: Store) -> None:
    cid = store.create_conversation()
    store.add_message(cid, parent_id=None, role="user", content="**a " * 30_000 + "needle")
    [hit] = store.search("needle")
    assert _marked(hit.snippet) == ["needle"] and hit.snippet.startswith("…")
