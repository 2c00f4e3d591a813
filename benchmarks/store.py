"""Benchmark of the conversation store at the size of a heavy user's history.

Builds 1,000 conversations holding 100,000 messages of realistic lengths (one
of them 2,000 messages long; a few in Chinese and Japanese) through the real
import path, then times listing, loading the long conversation, and 50
different searches. Run: ``python -m benchmarks.store`` (``--keep DIR`` keeps
the file). Targets: list < 20 ms, open < 50 ms, search p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import _data
from foxchat.store import Store

CONVERSATIONS = 1_000
MESSAGES = 100_000
LONG_CONVERSATION = 2_000

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


def build(store: Store) -> int:
    """Fill the store; returns the id of the 2,000-message conversation."""
    return _data.build(
        store,
        conversations=CONVERSATIONS,
        messages=MESSAGES,
        long_conversation=LONG_CONVERSATION,
    )


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
