"""Realistic conversation histories for the benchmarks, generated deterministically.

Text follows a Zipf curve over a large vocabulary, with a few topic words per
conversation and some conversations in Chinese or Japanese. ``build`` fills a
store through the real import path; ``benchmarks.store``, ``benchmarks.startup``
and ``benchmarks.window`` share it so they all measure the same kind of history.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from foxchat.store import Store

# Everyday words follow a Zipf curve over a large vocabulary; each conversation
# also has a few topic words, as real chats do, so a topical search matches a
# few percent of messages rather than all of them.
COMMON = [
    "the",
    "a",
    "to",
    "of",
    "and",
    "in",
    "is",
    "it",
    "you",
    "that",
    "for",
    "this",
    "with",
    "on",
    "be",
    "can",
    "are",
    "as",
    "your",
    "if",
    "or",
    "use",
    "function",
    "data",
    "model",
    "python",
    "file",
    "error",
    "value",
    "list",
    "return",
    "code",
    "example",
    "string",
]
TOPICS = [
    "volcano",
    "protein",
    "guitar",
    "marathon",
    "mortgage",
    "quantum",
    "bicycle",
    "lantern",
    "harbor",
    "glacier",
    "kubernetes",
    "postgres",
    "regex",
    "gradient",
    "tensor",
    "compiler",
    "parser",
    "webhook",
    "oauth",
    "docker",
    "recipe",
    "garden",
    "travel",
    "budget",
    "invoice",
    "schedule",
    "meeting",
    "summary",
    "translate",
    "history",
    "async",
    "database",
    "thread",
    "window",
    "button",
    "server",
    "memory",
    "query",
    "index",
]
SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "no", "pri", "da", "xo", "be", "gun"]
CJK = [
    "我们可以使用这个函数来处理数据。",
    "東京の天気は晴れです。",
    "请帮我翻译这段话。",
    "日本語の文法",
]


class TextMaker:
    """Deterministic, realistically distributed text."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rare = {
            "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4)))
            for _ in range(20_000)
        }
        self.vocabulary = COMMON + sorted(rare)
        weights = [1 / (rank + 1) for rank in range(len(self.vocabulary))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def sentence(self, length: int, topics: list[str]) -> str:
        count = max(1, length // 7)
        words = self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)
        for n in range(count):
            if self.rng.random() < 0.02:
                words[n] = self.rng.choice(topics)
        return " ".join(words).capitalize() + "."


def chat(title: str, start: float, texts: list[str], *, pinned: bool = False) -> dict[str, Any]:
    """One conversation in FoxChat's JSON export form: ``texts`` alternate, the user's first.

    Shared by the benchmarks so each builds its history through the real
    import path, in one shape.
    """
    count = len(texts)
    messages = [
        {
            "id": n,
            "parent": n - 1 if n > 1 else None,
            "active_child": n + 1 if n < count else None,
            "role": "user" if n % 2 == 1 else "assistant",
            "content": text,
            "reasoning": "",
            "tool_calls_json": None,
            "tool_call_id": None,
            "model": None if n % 2 == 1 else "gpt-4o",
            "finish_reason": None if n % 2 == 1 else "stop",
            "usage_json": None,
            "status": "complete",
            "error": None,
            "created_at": start + n * 30,
        }
        for n, text in enumerate(texts, start=1)
    ]
    return {
        "title": title,
        "created_at": start,
        "updated_at": start + count * 30,
        "pinned": pinned,
        "model": "gpt-4o",
        "system_prompt": "",
        "params_json": "",
        "draft": "",
        "active_root": 1 if count else None,
        "messages": messages,
    }


def _conversation(maker: TextMaker, index: int, count: int, start: float) -> dict[str, Any]:
    rng = maker.rng
    topics = rng.sample(TOPICS, 3)
    cjk = index % 20 == 0
    texts = []
    for n in range(1, count + 1):
        length = rng.randint(40, 400) if n % 2 == 1 else rng.randint(200, 1800)
        text = maker.sentence(length, topics)
        if cjk:
            text = rng.choice(CJK) * max(1, length // 40)
        texts.append(text)
    title = f"{maker.sentence(30, topics)[:40]} #{index}"
    return chat(title, start, texts, pinned=index % 97 == 0)


def build(store: Store, *, conversations: int, messages: int, long_conversation: int) -> int:
    """Fill ``store`` with ``conversations`` holding ``messages`` in all.

    The oldest conversation holds ``long_conversation`` messages, the rest share
    what is left evenly. Returns the id of the long conversation.
    """
    maker = TextMaker(3)
    rest = (messages - long_conversation) // (conversations - 1)
    counts = [long_conversation] + [rest] * (conversations - 1)
    counts[-1] += messages - sum(counts)
    start = 1_700_000_000.0
    made = [_conversation(maker, i, count, start + i * 3600) for i, count in enumerate(counts)]
    store.import_data({"format": "foxchat", "version": 1, "conversations": made})
    return min(c.id for c in store.list_conversations())


def build_data_dir(
    folder: Path, *, conversations: int, messages: int, long_conversation: int
) -> None:
    """Fill ``folder`` with a FoxChat database, unless it already holds one."""
    from foxchat.store import Store

    database = folder / "foxchat.sqlite3"
    if database.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    with Store.open(database) as store:
        build(
            store,
            conversations=conversations,
            messages=messages,
            long_conversation=long_conversation,
        )
    size_mb = database.stat().st_size / 1e6
    print(
        f"built {conversations} conversations, {messages} messages in "
        f"{time.perf_counter() - began:.1f} s ({size_mb:.0f} MB)"
    )


def _reply_markdown(maker: TextMaker, length: int, topics: list[str]) -> str:
    """An assistant reply as models write them: paragraphs, often a list, sometimes code."""
    rng = maker.rng
    parts = [maker.sentence(length // 2, topics)]
    if rng.random() < 0.5:
        parts.append("\n".join(f"- {maker.sentence(60, topics)}" for _ in range(rng.randint(2, 5))))
    if rng.random() < 0.3:
        name = rng.choice(topics)
        parts.append(f"```python\ndef {name}(value):\n    return value * 2  # {name}\n```")
    parts.append(maker.sentence(length // 2, topics))
    return "\n\n".join(parts)


def chatgpt_conversation(maker: TextMaker, index: int, count: int, start: float) -> dict[str, Any]:
    """One conversation as ChatGPT's conversations.json holds it.

    A ``mapping`` of nodes: an empty root, the hidden system message every
    export carries, then ``count`` turns, the user's first; ``current_node``
    is the last one.
    """
    rng = maker.rng
    topics = rng.sample(TOPICS, 3)
    cjk = index % 20 == 0
    mapping: dict[str, dict[str, Any]] = {}

    def add(node_id: str, parent: str | None, message: dict[str, Any] | None) -> None:
        mapping[node_id] = {"id": node_id, "message": message, "parent": parent, "children": []}
        if parent is not None:
            mapping[parent]["children"].append(node_id)

    def message(node_id: str, role: str, text: str, at: float, hidden: bool = False) -> Any:
        return {
            "id": node_id,
            "author": {"role": role, "name": None, "metadata": {}},
            "create_time": at,
            "update_time": None,
            "content": {"content_type": "text", "parts": [text]},
            "status": "finished_successfully",
            "end_turn": role == "assistant" or None,
            "weight": 1.0,
            "metadata": {"is_visually_hidden_from_conversation": True} if hidden else {},
            "recipient": "all",
        }

    root = f"root-{index}"
    add(root, None, None)
    parent = f"system-{index}"
    add(parent, root, message(parent, "system", "", start, hidden=True))
    for n in range(1, count + 1):
        node_id = f"msg-{index}-{n}"
        user = n % 2 == 1
        length = rng.randint(40, 400) if user else rng.randint(200, 1800)
        if cjk:
            text = rng.choice(CJK) * max(1, length // 40)
        elif user:
            text = maker.sentence(length, topics)
        else:
            text = _reply_markdown(maker, length, topics)
        add(node_id, parent, message(node_id, "user" if user else "assistant", text, start + n))
        parent = node_id
    return {
        "title": f"{maker.sentence(30, topics)[:40]} #{index}",
        "create_time": start,
        "update_time": start + count * 30,
        "mapping": mapping,
        "moderation_results": [],
        "current_node": parent,
        "id": f"conversation-{index}",
    }


def build_chatgpt_data_dir(folder: Path, *, conversations: int, messages_each: int) -> None:
    """Fill ``folder`` with a FoxChat database imported from a ChatGPT export, unless it
    already holds one; the export itself is kept beside it as conversations.json."""
    import json

    database = folder / "foxchat.sqlite3"
    if database.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    maker = TextMaker(5)
    start = 1_700_000_000.0
    export = [
        chatgpt_conversation(maker, i, messages_each, start + i * 3600)
        for i in range(conversations)
    ]
    source = folder / "conversations.json"
    source.write_text(json.dumps(export), encoding="utf-8")
    with Store.open(database) as store:
        result = store.import_file(source)
    size_mb = database.stat().st_size / 1e6
    print(
        f"imported {result.conversations} conversations, {result.messages} messages from a "
        f"ChatGPT export in {time.perf_counter() - began:.1f} s ({size_mb:.0f} MB)"
    )
