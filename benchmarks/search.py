"""Benchmark of search with everyday words over a heavy user's history.

Fills a real SQLite file with 98,000 messages of deterministic pseudo-English
(a fixed seed; common words follow a Zipf curve, as in real chats, with some
Markdown lists, tables and code), then times four-word queries made of common
words, the kind that match a large share of all messages. Each query runs
``REPEAT`` times; p95 and worst are over every run. Run:
``python -m benchmarks.search`` (``--keep DIR`` keeps and reuses the file).
Targets: p95 < 50 ms, worst < 150 ms. The last line is
``search: p95_ms=… worst_ms=…``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._data import chat
from foxchat.store import Store

CONVERSATIONS = 1_400
MESSAGES = 98_000
REPEAT = 5
SEED = 14

# Roughly the most frequent words of chat English, most frequent first.
_WORDS = (
    "the to and of a you is in it that for this can with be on your if are as i or"
    " use what how data will not an by do so we have from at file code one more"
    " which function here value it's like also any example need should make time"
    " each new first list return error string python model when set these help"
    " some then two other into would way could run line name type just only there"
    " well get write change work number check step text all want used about using"
    " project server table test class result user key add output input call api"
    " image simple because does good best our case same find please thank thanks"
    " question answer explain different create update version language system main"
    " because sure idea point note start end part order call loop array object"
    " method program memory query index window button thread request response page"
)
WORDS = _WORDS.split()
_TOPICS = (
    "volcano protein guitar marathon mortgage quantum bicycle lantern harbor glacier"
    " kubernetes postgres regex gradient tensor compiler parser webhook oauth docker"
    " recipe garden travel budget invoice schedule meeting summary translate history"
)
TOPICS = _TOPICS.split()

QUERIES = [
    "how to use the",
    "can you help me",
    "what is the best",
    "the code does not",
    "please write a function",
    "return the value of",
    "this is an example",
    "check the error text",
    "the data in the",
    "you can use this",
    "the name of the",
    "add a new line",
]


class PseudoEnglish:
    """Deterministic sentences over ``WORDS`` with Zipf weights."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.cumulative: list[float] = []
        total = 0.0
        for rank in range(len(WORDS)):
            total += 1 / (rank + 1)
            self.cumulative.append(total)

    def sentence(self, topics: list[str]) -> str:
        count = self.rng.randint(6, 18)
        words = self.rng.choices(WORDS, cum_weights=self.cumulative, k=count)
        if self.rng.random() < 0.3:
            words[self.rng.randrange(count)] = self.rng.choice(topics)
        return " ".join(words).capitalize() + "."

    def text(self, length: int, topics: list[str]) -> str:
        parts: list[str] = []
        size = 0
        while size < length:
            roll = self.rng.random()
            if roll < 0.05:
                part = (
                    "| name | value |\n|---|---|\n| " + " | ".join(self.rng.sample(WORDS, 2)) + " |"
                )
            elif roll < 0.1:
                part = "```python\ndef f(x):\n    return x\n```"
            elif roll < 0.2:
                part = "\n".join(f"- {self.sentence(topics)}" for _ in range(3))
            else:
                part = " ".join(self.sentence(topics) for _ in range(self.rng.randint(1, 4)))
            parts.append(part)
            size += len(part)
        return "\n\n".join(parts)


def _conversation(maker: PseudoEnglish, index: int, count: int) -> dict[str, Any]:
    rng = maker.rng
    topics = rng.sample(TOPICS, 3)
    texts = []
    for n in range(1, count + 1):
        length = rng.randint(40, 400) if n % 2 == 1 else rng.randint(200, 1800)
        texts.append(maker.text(length, topics))
    return chat(maker.sentence(topics)[:40], 1_700_000_000.0 + index * 3600, texts)


def build(store: Store) -> None:
    """Fill ``store`` with ``MESSAGES`` messages in ``CONVERSATIONS`` chats."""
    maker = PseudoEnglish(SEED)
    each = MESSAGES // CONVERSATIONS
    made = [_conversation(maker, i, each) for i in range(CONVERSATIONS)]
    store.import_data({"format": "foxchat", "version": 1, "conversations": made})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="foxchat-search-"))
    path = folder / "search.sqlite3"
    if not path.exists():
        began = time.perf_counter()
        with Store.open(path) as store:
            build(store)
        print(f"built {MESSAGES:,} messages in {time.perf_counter() - began:.1f} s")
    times: list[float] = []
    with Store.open(path) as store:
        for query in QUERIES:
            runs = []
            for _ in range(REPEAT):
                began = time.perf_counter()
                hits = store.search(query)
                runs.append((time.perf_counter() - began) * 1000)
            times += runs
            print(f"  {query!r:28} median {statistics.median(runs):7.1f} ms  {len(hits)} hits")
    p95 = statistics.quantiles(times, n=20)[-1]
    worst = max(times)
    print(f"{len(QUERIES)} queries x {REPEAT}: p95 {p95:.1f} ms, worst {worst:.1f} ms")
    print(f"search: p95_ms={p95:.1f} worst_ms={worst:.1f}")


if __name__ == "__main__":
    main()
