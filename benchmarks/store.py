"""Benchmark of the conversation store at the size of a heavy user's history.

Builds 1,000 conversations holding 100,000 messages of realistic lengths (one
of them 2,000 messages long; a few in Chinese and Japanese) through the real
import path, then times listing, loading the long conversation, and 50
different searches. Run: ``python -m benchmarks.store`` (``--keep DIR`` keeps
the file). Targets: list < 20 ms, open < 50 ms, search p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from foxchat.store import Store

CONVERSATIONS = 1_000
MESSAGES = 100_000
LONG_CONVERSATION = 2_000

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
QUERIES = [
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
    "recipe garden",
    "travel budget",
    "invoice",
    "schedule meeting",
    "summary",
    "translate",
    "history",
    "async database",
    "query index",
    "thread window",
    "button",
    "pyth",
    "kube",
    "serv",
    "datab",
    "memory error",
    "function return",
    "file value",
    "list string",
    "code example",
    "webhook oauth docker",
    "glacier harbor",
    "quantum tensor",
    '"async database"',
    "C++",
    "函数",
    "天気",
    "翻译",
    "日本語",
    "zebra-not-there",
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


def _conversation(maker: TextMaker, index: int, count: int, start: float) -> dict[str, Any]:
    rng = maker.rng
    topics = rng.sample(TOPICS, 3)
    cjk = index % 20 == 0
    messages = []
    for n in range(1, count + 1):
        user = n % 2 == 1
        length = rng.randint(40, 400) if user else rng.randint(200, 1800)
        text = maker.sentence(length, topics)
        if cjk:
            text = rng.choice(CJK) * max(1, length // 40)
        messages.append(
            {
                "id": n,
                "parent": n - 1 if n > 1 else None,
                "active_child": n + 1 if n < count else None,
                "role": "user" if user else "assistant",
                "content": text,
                "reasoning": "",
                "tool_calls_json": None,
                "tool_call_id": None,
                "model": None if user else "gpt-4o",
                "finish_reason": None if user else "stop",
                "usage_json": None,
                "status": "complete",
                "error": None,
                "created_at": start + n * 30,
            }
        )
    return {
        "title": f"{maker.sentence(30, topics)[:40]} #{index}",
        "created_at": start,
        "updated_at": start + count * 30,
        "pinned": index % 97 == 0,
        "model": "gpt-4o",
        "system_prompt": "",
        "params_json": "",
        "draft": "",
        "active_root": 1 if count else None,
        "messages": messages,
    }


def build(store: Store) -> int:
    """Fill the store; returns the id of the 2,000-message conversation."""
    maker = TextMaker(3)
    rest = (MESSAGES - LONG_CONVERSATION) // (CONVERSATIONS - 1)
    counts = [LONG_CONVERSATION] + [rest] * (CONVERSATIONS - 1)
    counts[-1] += MESSAGES - sum(counts)
    start = 1_700_000_000.0
    conversations = [
        _conversation(maker, i, count, start + i * 3600) for i, count in enumerate(counts)
    ]
    store.import_data({"format": "foxchat", "version": 1, "conversations": conversations})
    return min(c.id for c in store.list_conversations())


def _timed_ms(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="foxchat-bench-"))
    path = folder / "bench.sqlite3"
    if not path.exists():
        began = time.perf_counter()
        with Store.open(path) as store:
            build(store)
        print(
            f"built {CONVERSATIONS} conversations, {MESSAGES} messages in "
            f"{time.perf_counter() - began:.1f} s"
        )
    with Store.open(path) as store:
        long_id = min(c.id for c in store.list_conversations())
        cold_open = _timed_ms(lambda: store.active_path(long_id), 1)[0]
        listed = store.list_conversations()
        assert len(listed) == CONVERSATIONS
        list_ms = statistics.median(_timed_ms(store.list_conversations, 20))
        assert len(store.active_path(long_id)) == LONG_CONVERSATION
        open_ms = statistics.median(_timed_ms(lambda: store.active_path(long_id), 20))
        search_times = []
        for query in QUERIES:
            search_times += _timed_ms(lambda q=query: store.search(q), 1)  # type: ignore[misc]
            hits = len(store.search(query))
            print(f"  search {query!r:28} {search_times[-1]:7.1f} ms  {hits} hits")
    db_mb = sum(p.stat().st_size for p in folder.glob("bench.sqlite3*")) / 1e6
    p50 = statistics.median(search_times)
    p95 = statistics.quantiles(search_times, n=20)[-1]
    print(f"list {CONVERSATIONS} conversations: {list_ms:.1f} ms (median of 20)")
    print(
        f"load a {LONG_CONVERSATION}-message conversation: {open_ms:.1f} ms "
        f"(median of 20; first, cold: {cold_open:.1f} ms)"
    )
    print(f"search over {len(QUERIES)} queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"database: {db_mb:.0f} MB in {folder}")
    print(
        f"store: list_ms={list_ms:.1f} open_2000_ms={open_ms:.1f} "
        f"search_p95_ms={p95:.1f} db_mb={db_mb:.0f}"
    )


if __name__ == "__main__":
    main()
